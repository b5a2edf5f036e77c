import { buildDeploymentPackage } from '@mbs/handler';
import { createEmulator, type Emulator } from '@mbs/lambda-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalProvider } from './local-provider.js';

const batch = {
  batchId: 'onnx-1',
  requests: [
    { id: 'long', input: { dims: [6], data: [5, 17, 42, 8, 999, 3] } },
    { id: 'short', input: { dims: [2], data: [7, 11] } },
  ],
};

let emulator: Emulator;
let zip: Uint8Array;

beforeAll(async () => {
  ({ zip } = await buildDeploymentPackage({ model: 'default', compressionLevel: 1 }));
  emulator = createEmulator();
}, 60_000);
afterAll(async () => {
  await emulator?.dispose();
});

describe('the real deployment package of @mbs/handler', () => {
  it('runs under the in-process provider with results mapped to the batch', async () => {
    const provider = createLocalProvider({ emulator });
    await provider.deployFunction({
      functionName: 'mbs-onnx-provider',
      memoryMb: 1024,
      timeoutSeconds: 30,
      zipFile: zip,
    });
    const { results, record } = await provider.invoke('mbs-onnx-provider', batch);
    expect(record.error).toBeUndefined();
    expect(record.memorySizeMb).toBe(1024);
    expect(record.maxMemoryUsedMb).toBeGreaterThan(30);
    expect(results.map((result) => result.id)).toEqual(['long', 'short']);
    expect(results.every((result) => result.ok)).toBe(true);
  }, 60_000);
});
