import type { RequestRecord } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import type { SystemWithClasses } from './configuration-input.js';
import {
  bufferConfiguration,
  createScriptedProvider,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

/** Class 1 split: 30% to buffer 0, 70% to buffer 1. */
const splitConfiguration: SystemWithClasses = {
  classUpperEdges: [10, 100, 1000],
  system: {
    buffers: [
      bufferConfiguration(0, 1, { lastClassShare: 0.3, batchSize: 50, timeoutSeconds: 0.01 }),
      bufferConfiguration(1, 2, { firstClassShare: 0.7, batchSize: 50, timeoutSeconds: 0.01 }),
    ],
  },
};

async function routeAll(config: SystemWithClasses, sizes: readonly number[], seed: number) {
  const clock = createVirtualClock();
  const records: RequestRecord[] = [];
  const batcher = createBatcher({
    config,
    provider: createScriptedProvider(clock),
    clock,
    seed,
    limits: { maxPendingPerBuffer: Number.POSITIVE_INFINITY },
    onRequestRecord: (record) => records.push(record),
  });
  sizes.forEach((size, index) => {
    void batcher.submit({ id: `q${index}`, size, input: index });
  });
  const closing = batcher.close();
  await clock.runUntilIdle();
  await closing;
  const bufferOf = new Map(records.map((record) => [record.requestId, record.buffer]));
  return { records, buffers: sizes.map((_, index) => bufferOf.get(`q${index}`)), batcher };
}

describe('createBatcher routing', () => {
  it('routes by the class of the size, the last class open-ended', async () => {
    const { records, buffers } = await routeAll(
      twoBufferConfiguration(),
      [0, 10, 11, 100, 101, 1000, 1e6],
      1,
    );
    expect(buffers).toEqual([0, 0, 0, 0, 1, 1, 1]);
    expect(records.find((record) => record.requestId === 'q6')?.classId).toBe(2);
  });

  it('honours a given class over the size', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock);
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 1 }),
      provider,
      clock,
    });
    const result = track(batcher.submit({ size: 1, classId: 2, input: 'x' }));
    const refused = track(batcher.submit({ size: 1, classId: 3, input: 'x' }));
    await clock.runUntilIdle();
    expect(provider.calls[0]?.functionName).toBe('mbs-b1');
    expect(result.status).toBe('fulfilled');
    expect((refused.error as Error).message).toMatch(/classId must be an integer in 0\.\.2; got 3/);
    await batcher.close();
  });

  it('splits a boundary class in the configured shares', async () => {
    const count = 20_000;
    const { buffers, batcher } = await routeAll(splitConfiguration, new Array(count).fill(50), 11);
    const toFirst = buffers.filter((buffer) => buffer === 0).length / count;
    // Binomial standard error sqrt(0.3 x 0.7 / 20000) ~ 0.0032; allow 4.5 of them.
    expect(Math.abs(toFirst - 0.3)).toBeLessThan(0.015);
    expect(buffers.every((buffer) => buffer === 0 || buffer === 1)).toBe(true);
    const stats = batcher.stats();
    expect(stats.buffers[0]!.resolved + stats.buffers[1]!.resolved).toBe(count);
  });

  it('never splits classes that are not on a boundary', async () => {
    const { buffers } = await routeAll(
      splitConfiguration,
      [...new Array(500).fill(5), ...new Array(500).fill(500)],
      5,
    );
    expect(buffers.slice(0, 500).every((buffer) => buffer === 0)).toBe(true);
    expect(buffers.slice(500).every((buffer) => buffer === 1)).toBe(true);
  });

  it('routes the same way for the same seed', async () => {
    const sizes = new Array(300).fill(60);
    const first = await routeAll(splitConfiguration, sizes, 42);
    const second = await routeAll(splitConfiguration, sizes, 42);
    const other = await routeAll(splitConfiguration, sizes, 43);
    expect(second.buffers).toEqual(first.buffers);
    expect(other.buffers).not.toEqual(first.buffers);
  });

  it('names functions from options, the configuration, or the prefix', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock);
    const named = twoBufferConfiguration({ batchSize: 1 });
    const withName: SystemWithClasses = {
      ...named,
      system: {
        buffers: [named.system.buffers[0]!, { ...named.system.buffers[1]!, functionName: 'large' }],
      },
    };
    const byPrefix = createBatcher({
      config: withName,
      provider,
      clock,
      functionNamePrefix: 'svc',
    });
    const byList = createBatcher({ config: named, provider, clock, functionNames: ['x', 'y'] });
    const byFunction = createBatcher({
      config: named,
      provider,
      clock,
      functionNames: (buffer, index) => `m${buffer.memoryMb}-${index}`,
    });
    const closing = [byPrefix, byList, byFunction].map((batcher) => {
      void batcher.submit({ size: 1, input: 0 });
      void batcher.submit({ size: 500, input: 0 });
      return batcher.close();
    });
    await clock.runUntilIdle();
    await Promise.all(closing);
    expect(provider.calls.map((call) => call.functionName)).toEqual([
      'svc-b0',
      'large',
      'x',
      'y',
      'm1024-0',
      'm1024-1',
    ]);
    expect(() =>
      createBatcher({ config: named, provider, clock, functionNames: ['only-one'] }),
    ).toThrow(/functionNames has 1 names; the configuration has a buffer 1/);
  });
});
