import type { BatchRecord } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import {
  createScriptedProvider,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

describe('createBatcher close', () => {
  it('flushes open batches, waits for in-flight invocations, then refuses new work', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 2 }));
    const batches: BatchRecord[] = [];
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 10, timeoutSeconds: 60 }),
      provider,
      clock,
      onBatchRecord: (record) => batches.push(record),
    });
    const results = [1, 500, 2].map((size) => track(batcher.submit({ size, input: size })));
    const closing = batcher.close();
    let closed = false;
    void closing.then(() => {
      closed = true;
    });
    expect(batcher.close()).toBe(closing);
    await clock.settle();
    expect(provider.calls).toHaveLength(2);
    expect(closed).toBe(false);
    const late = track(batcher.submit({ size: 1, input: 'late' }));
    await clock.settle();
    expect(isMbsError(late.error, 'CLOSED')).toBe(true);
    expect(() => batcher.reconfigure(twoBufferConfiguration())).toThrow(/reconfigure after close/);
    await clock.advanceTo(1.999);
    expect(closed).toBe(false);
    await clock.advanceTo(2);
    await closing;
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(batches.map((batch) => batch.reason)).toEqual(['flush', 'flush']);
    expect(batcher.stats()).toMatchObject({
      submitted: 4,
      resolved: 3,
      rejected: 1,
      pending: 0,
      inFlightInvocations: 0,
      closed: true,
    });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('closes at once when idle', async () => {
    const clock = createVirtualClock();
    const batcher = createBatcher({
      config: twoBufferConfiguration(),
      provider: createScriptedProvider(clock),
      clock,
    });
    await batcher.close();
    expect(batcher.stats().closed).toBe(true);
  });

  it('flush() sends open batches without closing', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock);
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 10, timeoutSeconds: 60 }),
      provider,
      clock,
    });
    const result = track(batcher.submit({ size: 1, input: 1 }));
    batcher.flush();
    await clock.advanceBy(0.01);
    expect(result.status).toBe('fulfilled');
    expect(batcher.stats().closed).toBe(false);
    await batcher.close();
  });
});
