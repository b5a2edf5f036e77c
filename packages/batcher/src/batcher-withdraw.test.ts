import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import {
  createScriptedProvider,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

const microtasks = async () => {
  await Promise.resolve();
  await Promise.resolve();
};

describe('createBatcher withdrawal (SubmitOptions.signal, withdraw(id))', () => {
  it('takes an aborted request out of the open batch; the others still leave at the first deadline', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock);
    const records: unknown[] = [];
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 3, timeoutSeconds: 1 }),
      provider,
      clock,
      onRequestRecord: (record) => records.push(record),
    });
    const gone = new AbortController();
    const first = track(batcher.submit({ size: 1, input: 'a' }, { signal: gone.signal }));
    await clock.advanceTo(0.5);
    const second = track(batcher.submit({ size: 1, input: 'b' }));
    gone.abort();
    await microtasks();
    expect(first.status).toBe('rejected');
    expect(isMbsError(first.error, 'CANCELLED')).toBe(true);
    expect(batcher.stats().buffers[0]).toMatchObject({ openRequests: 1, cancelled: 1 });
    // The batch keeps the deadline of its first arrival (t = 1), not the second's (t = 1.5).
    await clock.advanceTo(1);
    await microtasks();
    expect(provider.calls).toHaveLength(1);
    expect(provider.calls[0]!.event.requests.map((request) => request.input)).toEqual(['b']);
    await clock.runUntilIdle();
    expect(second.status).toBe('fulfilled');
    // A withdrawn request reached no batch, so it has no request record.
    expect(records).toHaveLength(1);
    const stats = batcher.stats();
    expect(stats).toMatchObject({ submitted: 2, resolved: 1, rejected: 1, cancelled: 1 });
    await batcher.close();
  });

  it('takes an aborted request out of a batch waiting for an invocation slot, and drops a batch left empty', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 1 }));
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 1, timeoutSeconds: 1 }),
      provider,
      clock,
      limits: { maxInFlightPerBuffer: 1 },
    });
    const controllers = [0, 1, 2].map(() => new AbortController());
    const tracked = controllers.map((controller, index) =>
      track(batcher.submit({ size: 1, input: index }, { signal: controller.signal })),
    );
    await microtasks();
    expect(batcher.stats().buffers[0]).toMatchObject({ inFlightInvocations: 1, queuedBatches: 2 });
    // In flight: the abort has no effect. Queued: withdrawn, and its empty batch dropped.
    controllers[0]!.abort();
    controllers[1]!.abort();
    await microtasks();
    expect(tracked[0]!.status).toBe('pending');
    expect(isMbsError(tracked[1]!.error, 'CANCELLED')).toBe(true);
    expect(batcher.stats().buffers[0]).toMatchObject({ queuedBatches: 1, queuedRequests: 1 });
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expect(tracked[0]!.status).toBe('fulfilled');
    expect(tracked[2]!.status).toBe('fulfilled');
    expect(provider.calls.map((call) => call.event.requests[0]!.input)).toEqual([0, 2]);
    expect(batcher.stats()).toMatchObject({ batchesDispatched: 2, batchesCompleted: 2 });
  });

  it('refuses a request whose signal is already aborted, and ignores aborts after it settled', async () => {
    const clock = createVirtualClock();
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 1, timeoutSeconds: 1 }),
      provider: createScriptedProvider(clock),
      clock,
    });
    const refused = track(batcher.submit({ size: 1, input: 0 }, { signal: AbortSignal.abort() }));
    const controller = new AbortController();
    const served = track(batcher.submit({ size: 1, input: 1 }, { signal: controller.signal }));
    await clock.runUntilIdle();
    controller.abort();
    await microtasks();
    expect(isMbsError(refused.error, 'CANCELLED')).toBe(true);
    expect(served.status).toBe('fulfilled');
    expect(batcher.stats()).toMatchObject({ submitted: 2, resolved: 1, rejected: 1, cancelled: 1 });
    await batcher.close();
  });

  it('keeps every request answered exactly once and the counts balanced under random aborts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            gap: fc.double({ min: 0, max: 0.5, noNaN: true }),
            size: fc.constantFrom(1, 500),
            abortAfter: fc.option(fc.double({ min: 0, max: 2, noNaN: true })),
          }),
          { maxLength: 40 },
        ),
        async (arrivals) => {
          const clock = createVirtualClock();
          const batcher = createBatcher({
            config: twoBufferConfiguration({ batchSize: 3, timeoutSeconds: 0.7 }),
            provider: createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 0.4 })),
            clock,
            limits: { maxInFlightPerBuffer: 1 },
          });
          const tracked = [];
          for (const arrival of arrivals) {
            await clock.advanceBy(arrival.gap);
            const controller = new AbortController();
            if (arrival.abortAfter !== null) {
              clock.setTimer(clock.now() + arrival.abortAfter, () => controller.abort());
            }
            tracked.push(
              track(
                batcher.submit({ size: arrival.size, input: 0 }, { signal: controller.signal }),
              ),
            );
          }
          const closing = batcher.close();
          await clock.runUntilIdle();
          await closing;
          await microtasks();
          const stats = batcher.stats();
          expect(tracked.every((entry) => entry.status !== 'pending')).toBe(true);
          const cancelled = tracked.filter((entry) => isMbsError(entry.error, 'CANCELLED'));
          expect(cancelled).toHaveLength(stats.cancelled);
          expect(stats.submitted).toBe(stats.resolved + stats.rejected);
          expect(stats.resolved).toBe(
            tracked.filter((entry) => entry.status === 'fulfilled').length,
          );
          expect(stats.doubleSettlements).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('withdraw(id) takes a request out of the open batch or a queued one, not out of an invocation', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 1 }));
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 2, timeoutSeconds: 1 }),
      provider,
      clock,
      limits: { maxInFlightPerBuffer: 1 },
    });
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const tracked = ids.map((id) => track(batcher.submit({ id, size: 1, input: id })));
    await microtasks();
    // [a, b] is being invoked, [c, d] waits for the slot, e is in the open batch.
    expect(batcher.withdraw('a')).toBe(false);
    expect(batcher.withdraw('c')).toBe(true);
    expect(batcher.withdraw('c')).toBe(false);
    expect(batcher.withdraw('e')).toBe(true);
    expect(batcher.withdraw('nobody')).toBe(false);
    await microtasks();
    expect(isMbsError(tracked[2]!.error, 'CANCELLED')).toBe(true);
    expect((tracked[2]!.error as Error).message).toMatch(/request c was withdrawn from buffer 0/);
    expect(isMbsError(tracked[4]!.error, 'CANCELLED')).toBe(true);
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expect(tracked.map((entry) => entry.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    expect(provider.calls.map((call) => call.event.requests.map((r) => r.input))).toEqual([
      ['a', 'b'],
      ['d'],
    ]);
    expect(batcher.stats()).toMatchObject({ submitted: 5, resolved: 3, rejected: 2, cancelled: 2 });
  });
});
