import { testFunctionsZip } from '@mbs/lambda-emulator';
import { describe, expect, it } from 'vitest';
import { createLocalProvider } from './local-provider.js';

const zipFile = testFunctionsZip();
const encoder = new TextEncoder();

describe('the local provider with worker-thread instances', () => {
  it('runs zip code in worker threads too, and stops a busy loop at the timeout', async () => {
    const provider = createLocalProvider({ isolation: 'thread' });
    await provider.deployFunction({
      functionName: 'echo',
      memoryMb: 1769,
      timeoutSeconds: 1,
      zipFile,
      handler: 'index.echo',
    });
    const { results } = await provider.invoke('echo', { requests: [{ id: 'a', input: 5 }] });
    expect(results).toEqual([{ id: 'a', ok: true, output: 5 }]);
    provider.emulator.createFunction({
      functionName: 'spin',
      code: { zipFile },
      handler: 'index.spin',
      runtime: 'nodejs20.x',
      memoryMb: 1769,
      timeoutSeconds: 1,
    });
    const outcome = await provider.emulator.invoke(
      'spin',
      encoder.encode(JSON.stringify({ spinMs: 10_000 })),
    );
    expect(outcome.record?.error?.type).toBe('Sandbox.Timedout');
    expect(provider.emulator.instanceCount('spin')).toBe(0);
    await provider.dispose();
  });
});
