import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BatchResponse, createBatchHandler, type TensorOutput } from './batch-handler.js';
import { DEFAULT_MODEL_DESCRIPTOR, PPOCR_REC_DESCRIPTOR } from './model-descriptor.js';
import { buildDefaultModel } from './onnx/default-model.js';

const model = buildDefaultModel();

function tokens(length: number, seed: number): number[] {
  return Array.from({ length }, (_, index) => ((index * 37 + seed * 101) % 999) + 1);
}

function outputOf(response: BatchResponse, index: number): TensorOutput {
  const result = response.results[index]!;
  if (!result.ok) throw new Error(`request ${result.id} failed: ${result.error.message}`);
  return result.output as TensorOutput;
}

async function thrown(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('createBatchHandler on the default model', () => {
  it('returns, for each request of a padded batch, what it returns for the request alone', async () => {
    const batchHandler = createBatchHandler({ model, descriptor: DEFAULT_MODEL_DESCRIPTOR });
    const lengths = [1, 7, 64, 300, 33];
    const requests = lengths.map((length, index) => ({
      id: `r${index}`,
      input: { dims: [length], data: tokens(length, index) },
    }));
    const batched = await batchHandler.handle({ batchId: 'b1', requests });
    expect(batched.batchId).toBe('b1');
    expect(batched.results.map((result) => result.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    for (const [index, request] of requests.entries()) {
      const alone = await batchHandler.handle({ requests: [request] });
      const expected = outputOf(alone, 0);
      const actual = outputOf(batched, index);
      expect(actual.dims).toEqual([16]);
      expect(actual.dtype).toBe('float32');
      (actual.data as number[]).forEach((value, label) => {
        expect(value).toBeCloseTo((expected.data as number[])[label]!, 4);
      });
    }
    await batchHandler.dispose();
  });

  it('times the one run and reports padding, cold start first and warm after', async () => {
    const batchHandler = createBatchHandler({ model, descriptor: DEFAULT_MODEL_DESCRIPTOR });
    const event = {
      requests: [10, 30, 20].map((length, index) => ({
        id: `${index}`,
        input: { dims: [length], data: tokens(length, index) },
      })),
    };
    const cold = await batchHandler.handle(event);
    expect(cold.timings).toMatchObject({
      model: 'default',
      batchSize: 3,
      paddedLength: 30,
      coldStart: true,
    });
    expect(cold.timings.paddingShare).toBeCloseTo(1 - 60 / 90, 12);
    expect(cold.timings.initMs).toBeGreaterThan(0);
    expect(cold.timings.inferenceMs).toBeGreaterThan(0);
    expect(cold.timings.totalMs).toBeGreaterThanOrEqual(
      cold.timings.initMs + cold.timings.inferenceMs + cold.timings.padMs,
    );
    const warm = await batchHandler.handle(event);
    expect(warm.timings).toMatchObject({ coldStart: false, initMs: 0 });
    await batchHandler.dispose();
  });

  it('answers base64 input with base64 output holding the same values', async () => {
    const batchHandler = createBatchHandler({ model, descriptor: DEFAULT_MODEL_DESCRIPTOR });
    const ids = tokens(12, 3);
    const base64 = Buffer.from(BigInt64Array.from(ids, BigInt).buffer).toString('base64');
    const response = await batchHandler.handle({
      requests: [
        { id: 'json', input: { dims: [12], data: ids } },
        { id: 'binary', input: { dims: [12], data: base64, dtype: 'int64' } },
      ],
    });
    const json = outputOf(response, 0).data as number[];
    const binary = outputOf(response, 1).data as string;
    expect(
      Array.from(new Float32Array(new Uint8Array(Buffer.from(binary, 'base64')).buffer)),
    ).toEqual(json);
    await batchHandler.dispose();
  });

  it('fails only the requests whose input is bad and runs the rest', async () => {
    const batchHandler = createBatchHandler({ model, descriptor: DEFAULT_MODEL_DESCRIPTOR });
    const good = { dims: [5], data: tokens(5, 1) };
    const response = await batchHandler.handle({
      requests: [
        { id: 'dtype', input: { ...good, dtype: 'float32' } },
        { id: 'good', input: good },
        { id: 'dims', input: { dims: [2, 3], data: tokens(6, 1) } },
        { id: 'vocabulary', input: { dims: [2], data: [4, 1000] } },
        { id: 'count', input: { dims: [4], data: [1, 2] } },
      ],
    });
    expect(response.results.map((result) => result.ok)).toEqual([false, true, false, false, false]);
    for (const result of response.results) {
      if (!result.ok) {
        expect(result.error.code).toBe('EVENT_INVALID');
        expect(result.error.message).toMatch(/^\[@mbs\/handler\] event.requests\[\d\].input: /);
      }
    }
    expect(response.timings).toMatchObject({ batchSize: 1, paddedLength: 5, paddingShare: 0 });
    const alone = await batchHandler.handle({ requests: [{ id: 'good', input: good }] });
    expect(outputOf(response, 1)).toEqual(outputOf(alone, 0));
    const allBad = await batchHandler.handle({
      requests: [{ id: 'x', input: { dims: [1], data: [0] } }],
    });
    expect(allBad.results[0]!.ok).toBe(false);
    expect(allBad.timings).toMatchObject({ batchSize: 0, paddedLength: 0, inferenceMs: 0 });
    await batchHandler.dispose();
  });

  it('throws EVENT_INVALID for a malformed batch and keeps serving', async () => {
    const batchHandler = createBatchHandler({
      model,
      descriptor: DEFAULT_MODEL_DESCRIPTOR,
      maxBatchSize: 3,
      maxPaddedElements: 1000,
    });
    const request = (id: string, length = 4) => ({
      id,
      input: { dims: [length], data: tokens(length, 2) },
    });
    const cases: [unknown, RegExp][] = [
      [undefined, /event: must be an object/],
      [{ requests: [] }, /is empty/],
      [{ requests: [request('a'), request('a')] }, /"a" appears twice/],
      [{ requests: [request('a'), request('b'), request('c'), request('d')] }, /at most 3/],
      [
        { requests: [request('a', 600), request('b', 600)] },
        /padded batch \[2, 600\] holds 1200 elements; at most 1000/,
      ],
    ];
    for (const [event, message] of cases) {
      const error = await thrown(batchHandler.handle(event));
      expect(error.name).toBe('EVENT_INVALID');
      expect(error.message).toMatch(message);
    }
    const served = await batchHandler.handle({ requests: [request('a')] });
    expect(served.results[0]!.ok).toBe(true);
    await batchHandler.dispose();
  });

  it('reports a model that cannot load, and loads it on a later event once it is there', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mbs-handler-'));
    try {
      const path = join(directory, 'late.onnx');
      const batchHandler = createBatchHandler({
        model: path,
        descriptor: DEFAULT_MODEL_DESCRIPTOR,
      });
      const event = { requests: [{ id: 'a', input: { dims: [2], data: [3, 4] } }] };
      const error = await thrown(batchHandler.handle(event));
      expect(error.name).toBe('FUNCTION_ERROR');
      expect(error.message).toContain(`model ${path}: cannot be loaded`);
      await writeFile(path, model);
      const response = await batchHandler.handle(event);
      expect(response.results[0]!.ok).toBe(true);
      expect(response.timings.coldStart).toBe(true);
      await batchHandler.dispose();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('refuses a descriptor that does not match the model’s names', async () => {
    const batchHandler = createBatchHandler({
      model,
      descriptor: { ...PPOCR_REC_DESCRIPTOR, minLength: 8 },
    });
    const pixels = new Array(3 * 48 * 8).fill(0);
    const error = await thrown(
      batchHandler.handle({ requests: [{ id: 'a', input: { dims: [3, 48, 8], data: pixels } }] }),
    );
    expect(error.name).toBe('FUNCTION_ERROR');
    expect(error.message).toMatch(
      /has inputs \[token_ids\] and outputs \[logits\]; descriptor ppocr names input x/,
    );
  });

  it('checks its options', () => {
    expect(() =>
      createBatchHandler({ model, descriptor: DEFAULT_MODEL_DESCRIPTOR, threads: 2 } as never),
    ).toThrow(/unknown option\(s\) threads/);
    expect(() =>
      createBatchHandler({ model, descriptor: DEFAULT_MODEL_DESCRIPTOR, maxBatchSize: 0 }),
    ).toThrow(/maxBatchSize must be a positive integer; got 0/);
    expect(() =>
      createBatchHandler({ model: 3 as never, descriptor: DEFAULT_MODEL_DESCRIPTOR }),
    ).toThrow(/model must be a file path or the model bytes/);
  });
});
