import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { createLocalProvider } from './local-provider.js';

// Minimal protobuf writer, enough to hand-build an ONNX model (no ONNX tooling needed).
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}
const integerField = (field: number, value: number) => [...varint(field << 3), ...varint(value)];
const bytesField = (field: number, bytes: readonly number[]) => [
  ...varint((field << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const stringField = (field: number, text: string) => bytesField(field, [...Buffer.from(text)]);

/** An ONNX model y = Identity(x) for float tensors of shape [batch, width]. */
function identityModel(): Uint8Array {
  const shape = [...bytesField(1, stringField(2, 'batch')), ...bytesField(1, integerField(1, 3))];
  const tensorType = bytesField(1, [...integerField(1, 1), ...bytesField(2, shape)]);
  const valueInfo = (name: string) => [...stringField(1, name), ...bytesField(2, tensorType)];
  const node = [...stringField(1, 'x'), ...stringField(2, 'y'), ...stringField(4, 'Identity')];
  const graph = [
    ...bytesField(1, node),
    ...stringField(2, 'identity'),
    ...bytesField(11, valueInfo('x')),
    ...bytesField(12, valueInfo('y')),
  ];
  const opset = [...stringField(1, ''), ...integerField(2, 13)];
  return new Uint8Array([
    ...integerField(1, 7),
    ...stringField(2, 'mbs-test'),
    ...bytesField(7, graph),
    ...bytesField(8, opset),
  ]);
}

const HANDLER = `
const ort = require('onnxruntime-node');
const path = require('node:path');
const sessionReady = ort.InferenceSession.create(path.join(__dirname, 'identity.onnx'));
exports.handler = async (event) => {
  const session = await sessionReady;
  const width = 3;
  const data = new Float32Array(event.requests.length * width);
  event.requests.forEach((request, row) => data.set(request.input, row * width));
  const { y } = await session.run({ x: new ort.Tensor('float32', data, [event.requests.length, width]) });
  return {
    results: event.requests.map((request, row) => ({ id: request.id, ok: true, output: Array.from(y.data.slice(row * width, (row + 1) * width)) })),
    timings: {},
  };
};
`;

describe('an ONNX Runtime function in an instance', () => {
  it('loads onnxruntime-node and runs a batch through a model', async () => {
    // Unpacking under the repository lets the function resolve onnxruntime-node from the
    // workspace's node_modules, as a layer would on Lambda.
    const workDirectory = join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      'node_modules',
      '.cache',
    );
    const provider = createLocalProvider({ workDirectory });
    const zipFile = zipSync({ 'index.js': strToU8(HANDLER), 'identity.onnx': identityModel() });
    await provider.deployFunction({
      functionName: 'onnx',
      memoryMb: 1769,
      timeoutSeconds: 30,
      zipFile,
    });
    const requests = [
      { id: 'a', input: [1, 2, 3] },
      { id: 'b', input: [-1.5, 0, 4.25] },
    ];
    const { results, record } = await provider.invoke('onnx', { requests });
    expect(record.error).toBeUndefined();
    expect(results).toEqual(
      requests.map((request) => ({ id: request.id, ok: true, output: request.input })),
    );
    expect(record.initDurationMs).toBeGreaterThan(0);
    await provider.dispose();
  }, 30_000);
});
