import type { BatchRecord, RequestRecord } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { testProvider } from '@mbs/test-utils';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createBatcher } from './batcher.js';
import { createFunctionProvider } from './function-provider.js';
import { testPricing } from './testing/scripted-provider.js';

testProvider('function (in process)', async () => ({
  provider: createFunctionProvider<unknown, unknown>({
    echo: async (inputs) => inputs,
    failing: async () => {
      throw new RangeError('no model loaded');
    },
  }),
  echoFunctionName: 'echo',
  failingFunctionName: 'failing',
  platformRecords: false,
}));

// Three classes (sizes up to 10, 100, 1000) in two buffers, the class shares left out.
const config = {
  classUpperEdges: [10, 100, 1000],
  system: {
    buffers: [
      { firstClass: 0, lastClass: 1, batchSize: 3, timeoutSeconds: 0.005, memoryMb: 2048 },
      { firstClass: 2, lastClass: 2, batchSize: 3, timeoutSeconds: 0.005, memoryMb: 4096 },
    ],
  },
};

describe('createFunctionProvider with createBatcher', () => {
  it('serves each request with its own output, typed, and records only what it measured', async () => {
    const seen: { functionName: string; inputs: readonly string[] }[] = [];
    const provider = createFunctionProvider(async (texts: readonly string[], { functionName }) => {
      seen.push({ functionName, inputs: texts });
      await new Promise((resolve) => setTimeout(resolve, 2));
      return texts.map((text) => text.length);
    });
    const batches: BatchRecord[] = [];
    const requests: RequestRecord[] = [];
    const batcher = createBatcher({
      config,
      provider,
      pricing: testPricing,
      onBatchRecord: (record) => batches.push(record),
      onRequestRecord: (record) => requests.push(record),
    });
    const submitted = batcher.submit({ size: 5, input: 'hello' });
    expectTypeOf(submitted).toEqualTypeOf<Promise<number>>();
    const words = ['a', 'bb', 'ccc', 'dddd'];
    const outputs = await Promise.all([
      submitted,
      ...words.map((word, index) => batcher.submit({ size: 10 ** index, input: word })),
    ]);
    await batcher.close();
    expect(outputs).toEqual([5, 1, 2, 3, 4]);
    expect(new Set(seen.map((call) => call.functionName))).toEqual(new Set(['mbs-b0', 'mbs-b1']));
    expect(seen.flatMap((call) => call.inputs).sort()).toEqual(['a', 'bb', 'ccc', 'dddd', 'hello']);
    expect(requests).toHaveLength(5);
    for (const batch of batches) {
      expect(batch.billedDurationMs).toBeUndefined();
      expect(batch.invocationId).toBeUndefined();
      expect(batch.cold).toBe(false);
      expect(batch.durationMs).toBeGreaterThanOrEqual(1);
      expect(batch.memoryMb).toBe(batch.buffer === 0 ? 2048 : 4096);
      // The measured duration priced at the buffer's memory.
      expect(batch.costUsd).toBeCloseTo(
        testPricing.invocationCostUsd({ durationMs: batch.durationMs, memoryMb: batch.memoryMb }),
        12,
      );
    }
  });

  it('fails every request of a batch whose function throws or miscounts its outputs', async () => {
    let call = 0;
    const provider = createFunctionProvider(async (inputs: readonly number[]) => {
      call++;
      if (call === 1) throw new TypeError('bad tensor');
      return inputs.slice(1);
    });
    const batcher = createBatcher({ config, provider });
    const first = await Promise.allSettled(
      [1, 2, 3].map((size) => batcher.submit({ size, input: size })),
    );
    const second = await Promise.allSettled(
      [4, 5, 6].map((size) => batcher.submit({ size, input: size })),
    );
    await batcher.close();
    for (const result of first) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(isMbsError(error, 'FUNCTION_ERROR')).toBe(true);
      expect(error.message).toContain('TypeError: bad tensor');
    }
    for (const result of second) {
      const error = (result as PromiseRejectedResult).reason;
      expect(isMbsError(error, 'FUNCTION_ERROR')).toBe(true);
      expect(error.message).toContain(
        'InvalidOutput: function mbs-b0 returned 2 outputs for 3 inputs; return an array with one output per input',
      );
    }
  });

  it('refuses a function name it does not serve, without retrying', async () => {
    let calls = 0;
    const provider = createFunctionProvider({
      small: async (inputs: readonly number[]) => {
        calls++;
        return inputs;
      },
    });
    const batcher = createBatcher({ config, provider, functionNames: ['small', 'large'] });
    const [small, large] = await Promise.allSettled([
      batcher.submit({ size: 1, input: 1 }),
      batcher.submit({ size: 500, input: 2 }),
    ]);
    await batcher.close();
    expect(small).toEqual({ status: 'fulfilled', value: 1 });
    const error = (large as PromiseRejectedResult).reason;
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect(error.message).toContain('provider function has no function large; it has small');
    expect(error.details.attempts).toBe(1);
    expect(calls).toBe(1);
  });

  it('stops waiting when the signal aborts, and runs nothing once it has', async () => {
    let runs = 0;
    const provider = createFunctionProvider(async (inputs: readonly number[]) => {
      runs++;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return inputs;
    });
    const controller = new AbortController();
    const waiting = provider.invoke(
      'any',
      { requests: [{ id: 'a', input: 1 }] },
      { signal: controller.signal },
    );
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    await expect(
      provider.invoke('any', { requests: [{ id: 'b', input: 2 }] }, { signal: controller.signal }),
    ).rejects.toThrow('caller gave up');
    expect(runs).toBe(1);
  });

  it('checks its arguments when created', () => {
    expect(() => createFunctionProvider(42 as never)).toThrow(
      /\[@mbs\/batcher\] functions is 42; give an async function \(inputs\) => outputs/,
    );
    expect(() => createFunctionProvider({ a: 'x' } as never)).toThrow(
      /functions \.a is not a function/,
    );
    expect(() => createFunctionProvider({})).toThrow(/functions is an empty object/);
    expect(() => createFunctionProvider(async () => [], { nmae: 'x' } as never)).toThrow(
      /createFunctionProvider: unknown option "nmae"; accepted: name/,
    );
    expect(() => createFunctionProvider(async () => [], { name: '' })).toThrow(
      /name is ""; give a non-empty string/,
    );
  });
});
