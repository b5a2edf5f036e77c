import type { BatchRecord, ConfigurationDocument, RequestRecord } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import type { Tracked } from './testing/scripted-provider.js';
import {
  bufferConfiguration,
  createScriptedProvider,
  echoOutput,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

const oneBuffer = {
  classUpperEdges: [10, 100, 1000],
  system: {
    buffers: [
      bufferConfiguration(0, 2, { batchSize: 3, timeoutSeconds: 0.05, functionName: 'single' }),
    ],
  },
};

/** Every request was sent in exactly one batch and settled exactly once. */
function expectNothingLost(
  results: readonly Tracked[],
  calls: ReturnType<typeof createScriptedProvider>['calls'],
  stats: { submitted: number; resolved: number; rejected: number; doubleSettlements: number },
) {
  const sentIn = new Map<string, string>();
  for (const call of calls) {
    for (const request of call.event.requests) {
      const earlier = sentIn.get(request.id);
      expect(earlier === undefined || earlier === call.event.batchId).toBe(true);
      sentIn.set(request.id, call.event.batchId!);
    }
  }
  expect(sentIn.size).toBe(results.length);
  expect(results.every((result) => result.status === 'fulfilled' && result.settlements === 1)).toBe(
    true,
  );
  expect(stats.submitted).toBe(stats.resolved + stats.rejected);
  expect(stats.resolved).toBe(results.length);
  expect(stats.doubleSettlements).toBe(0);
}

describe('createBatcher reconfigure', () => {
  it('changes B and T of the same buffers mid-stream without losing a request', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 0.3 }));
    const batches: BatchRecord[] = [];
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 8, timeoutSeconds: 1 }),
      provider,
      clock,
      onBatchRecord: (record) => batches.push(record),
    });
    const results: Tracked[] = [];
    for (let index = 0; index < 5; index++)
      results.push(track(batcher.submit({ size: index * 200, input: index })));
    await clock.advanceTo(0.1);
    batcher.reconfigure(twoBufferConfiguration({ batchSize: 2, timeoutSeconds: 0.2 }).system);
    for (let index = 5; index < 10; index++)
      results.push(track(batcher.submit({ size: index * 200, input: index })));
    await clock.advanceTo(0.15);
    // Buffer 1 held 4 requests, more than the new B: the policy sent them at the change.
    expect(provider.calls[0]).toMatchObject({ functionName: 'mbs-b1', atSeconds: 0.1 });
    expect(provider.calls[0]?.event.requests.map((request) => request.input)).toEqual([1, 2, 3, 4]);
    const stats = batcher.stats();
    expect(stats.buffers.map((buffer) => buffer.batchSize)).toEqual([2, 2]);
    expect(stats.submitted).toBe(
      stats.resolved + stats.rejected + stats.pending + stats.inFlightRequests,
    );
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expectNothingLost(results, provider.calls, batcher.stats());
    expect(batches.find((batch) => batch.dispatchedSeconds === 0.1)).toMatchObject({
      reason: 'flush',
      size: 4,
      openedSeconds: 0,
    });
    expect(results.map((result) => result.value)).toEqual(
      results.map((_, index) => echoOutput(index * 200 <= 100 ? 'mbs-b0' : 'mbs-b1', index)),
    );
  });

  it('replaces the buffers mid-stream: open batches leave, in-flight ones finish, new ones route anew', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 0.5 }));
    const records: RequestRecord[] = [];
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 2, timeoutSeconds: 10 }),
      provider,
      clock,
      onRequestRecord: (record) => records.push(record),
    });
    // Buffer 0 gets one full batch (in flight) and one open request; buffer 1 one open request.
    const results = [1, 2, 3, 500].map((size) => track(batcher.submit({ size, input: size })));
    await clock.advanceTo(0.1);
    expect(batcher.stats().inFlightInvocations).toBe(1);
    batcher.reconfigure(oneBuffer);
    await clock.settle();
    expect(batcher.stats()).toMatchObject({ retiredBuffers: 2, configurationChanges: 2 });
    expect(batcher.stats().buffers.map((buffer) => buffer.functionName)).toEqual(['single']);
    for (const size of [4, 600, 7]) results.push(track(batcher.submit({ size, input: size })));
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    expectNothingLost(results, provider.calls, batcher.stats());
    expect(batcher.stats().retiredBuffers).toBe(0);
    expect(provider.calls.map((call) => call.functionName)).toEqual([
      'mbs-b0',
      'mbs-b0',
      'mbs-b1',
      'single',
    ]);
    expect(records).toHaveLength(7);
  });

  it('follows the windows of a configuration document by time', async () => {
    const clock = createVirtualClock(1000);
    const document: ConfigurationDocument = {
      schema: 'mbs.configuration',
      version: 1,
      classUpperEdges: [10, 100, 1000],
      windows: [
        {
          startSeconds: 0,
          endSeconds: 60,
          system: twoBufferConfiguration({ batchSize: 1 }).system,
        },
        { startSeconds: 60, endSeconds: 120, system: oneBuffer.system },
      ],
    };
    const provider = createScriptedProvider(clock);
    const batcher = createBatcher({
      config: document,
      provider,
      clock,
      followSchedule: true,
      schedulePeriodSeconds: 120,
    });
    const results = [track(batcher.submit({ size: 500, input: 'first window' }))];
    await clock.advanceTo(1059);
    results.push(track(batcher.submit({ size: 500, input: 'still first' })));
    await clock.advanceTo(1061);
    expect(batcher.stats().buffers.map((buffer) => buffer.functionName)).toEqual(['single']);
    results.push(track(batcher.submit({ size: 500, input: 'second window' })));
    await clock.advanceTo(1125);
    // The schedule repeats every 120 s: back to the first window.
    expect(batcher.stats().buffers).toHaveLength(2);
    results.push(track(batcher.submit({ size: 500, input: 'first again' })));
    const closing = batcher.close();
    await clock.runUntilIdle();
    await closing;
    // Several windows: the default names carry the window, as `mbs deploy` creates them.
    expect(provider.calls.map((call) => call.functionName)).toEqual([
      'mbs-w0-b1',
      'mbs-w0-b1',
      'single',
      'mbs-w0-b1',
    ]);
    expect(batcher.stats().configurationChanges).toBe(3);
    expectNothingLost(results, provider.calls, batcher.stats());
    expect(clock.pendingTimers()).toBe(0);
  });
});
