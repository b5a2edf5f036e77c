import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import {
  createScriptedProvider,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

// Two promise turns: enough for an already rejected promise's handlers to run.
const microtasks = async () => {
  await Promise.resolve();
  await Promise.resolve();
};

describe('createBatcher backpressure', () => {
  it('refuses a request at once when its buffer holds maxPendingPerBuffer requests', async () => {
    const clock = createVirtualClock();
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 10, timeoutSeconds: 1 }),
      provider: createScriptedProvider(clock),
      clock,
      limits: { maxPendingPerBuffer: 3 },
    });
    const accepted = [1, 2, 3].map((n) => track(batcher.submit({ size: 1, input: n })));
    const refused = track(batcher.submit({ size: 1, input: 4 }));
    const otherBuffer = track(batcher.submit({ size: 500, input: 5 }));
    await microtasks();
    expect(clock.now()).toBe(0);
    expect(refused.status).toBe('rejected');
    expect(isMbsError(refused.error, 'BACKPRESSURE')).toBe(true);
    expect((refused.error as Error).message).toMatch(
      /buffer 0 holds 3 pending requests, at limits\.maxPendingPerBuffer = 3/,
    );
    expect(accepted.every((result) => result.status === 'pending')).toBe(true);
    expect(otherBuffer.status).toBe('pending');
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expect(accepted.every((result) => result.status === 'fulfilled')).toBe(true);
    const stats = batcher.stats();
    expect(stats).toMatchObject({ submitted: 5, resolved: 4, rejected: 1, rejectedAtSubmit: 1 });
    expect(stats.buffers[0]).toMatchObject({ submitted: 4, rejectedAtSubmit: 1, resolved: 3 });
  });

  it('queues batches beyond maxInFlightPerBuffer, counts them as pending, and names both limits', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 1 }));
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 2, timeoutSeconds: 5 }),
      provider,
      clock,
      limits: { maxInFlightPerBuffer: 1, maxPendingPerBuffer: 4 },
    });
    const accepted = [1, 2, 3, 4, 5, 6].map((n) => track(batcher.submit({ size: 1, input: n })));
    const refused = track(batcher.submit({ size: 1, input: 7 }));
    await microtasks();
    expect(provider.calls).toHaveLength(1);
    const stats = batcher.stats();
    expect(stats.buffers[0]).toMatchObject({
      inFlightInvocations: 1,
      inFlightRequests: 2,
      queuedBatches: 2,
      queuedRequests: 4,
      pending: 4,
    });
    expect(stats.submitted).toBe(
      stats.resolved + stats.rejected + stats.pending + stats.inFlightRequests,
    );
    expect(isMbsError(refused.error, 'BACKPRESSURE')).toBe(true);
    expect((refused.error as Error).message).toMatch(/limits\.maxInFlightPerBuffer = 1/);
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expect(provider.maxInFlight()).toBe(1);
    expect(provider.calls.map((call) => call.atSeconds)).toEqual([0, 1, 2]);
    expect(
      provider.calls.map((call) => call.event.requests.map((request) => request.input)),
    ).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(accepted.every((result) => result.status === 'fulfilled')).toBe(true);
  });

  it('shares maxInFlightTotal across buffers, oldest dispatched batch first', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 1 }));
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 1, timeoutSeconds: 5 }),
      provider,
      clock,
      limits: { maxInFlightTotal: 1 },
    });
    const results = [
      track(batcher.submit({ size: 1, input: 'small-1' })),
      track(batcher.submit({ size: 500, input: 'large-1' })),
    ];
    await clock.advanceTo(0.5);
    results.push(track(batcher.submit({ size: 1, input: 'small-2' })));
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expect(provider.maxInFlight()).toBe(1);
    expect(provider.calls.map((call) => call.event.requests[0]?.input)).toEqual([
      'small-1',
      'large-1',
      'small-2',
    ]);
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
  });

  it('refuses a duplicate pending id and an invalid request at once', async () => {
    const clock = createVirtualClock();
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 10 }),
      provider: createScriptedProvider(clock),
      clock,
    });
    const first = track(batcher.submit({ id: 'same', size: 1, input: 1 }));
    const duplicate = track(batcher.submit({ id: 'same', size: 1, input: 2 }));
    const badSize = track(batcher.submit({ size: Number.NaN, input: 3 }));
    const badRequest = track(batcher.submit(null as never));
    await microtasks();
    expect((duplicate.error as Error).message).toMatch(/id is already pending/);
    expect((badSize.error as Error).message).toMatch(/size must be a finite number >= 0; got null/);
    expect((badRequest.error as Error).message).toMatch(/must be an object/);
    await clock.advanceTo(1);
    expect(first.status).toBe('fulfilled');
    // Once settled, the id may be used again.
    const reused = track(batcher.submit({ id: 'same', size: 1, input: 4 }));
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expect(reused.status).toBe('fulfilled');
    expect(batcher.stats()).toMatchObject({
      submitted: 5,
      resolved: 2,
      rejected: 3,
      rejectedAtSubmit: 3,
    });
  });
});
