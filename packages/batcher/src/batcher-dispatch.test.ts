import type { BatchRecord } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import { createSystemClock } from './clock.js';
import {
  createScriptedProvider,
  echoOutput,
  testPricing,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

const TICKS_PER_SECOND = 1024;

describe('createBatcher dispatch (virtual clock)', () => {
  it('sends a batch as soon as it holds B requests', async () => {
    const clock = createVirtualClock();
    const provider = createScriptedProvider(clock);
    const batches: BatchRecord[] = [];
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 3, timeoutSeconds: 1 }),
      provider,
      clock,
      onBatchRecord: (record) => batches.push(record),
    });
    const results = [1, 2, 3].map((n) => track(batcher.submit({ size: 5, input: n })));
    await clock.settle();
    expect(provider.calls).toHaveLength(1);
    expect(provider.calls[0]?.functionName).toBe('mbs-b0');
    expect(provider.calls[0]?.event.requests.map((request) => request.input)).toEqual([1, 2, 3]);
    expect(provider.calls[0]?.atSeconds).toBe(0);
    await clock.advanceBy(0.01);
    expect(results.map((result) => result.value)).toEqual(
      [1, 2, 3].map((n) => echoOutput('mbs-b0', n)),
    );
    expect(batches[0]).toMatchObject({
      reason: 'full',
      size: 3,
      openedSeconds: 0,
      dispatchedSeconds: 0,
    });
    await batcher.close();
  });

  it('sends a partial batch T seconds after its first request, not before', async () => {
    const clock = createVirtualClock(100);
    const provider = createScriptedProvider(clock);
    const batches: BatchRecord[] = [];
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 8, timeoutSeconds: 0.25 }),
      provider,
      clock,
      pricing: testPricing,
      onBatchRecord: (record) => batches.push(record),
    });
    const first = track(batcher.submit({ size: 500, input: 'a' }));
    await clock.advanceTo(100.1);
    const second = track(batcher.submit({ size: 900, input: 'b' }));
    await clock.advanceTo(100.2499);
    expect(provider.calls).toHaveLength(0);
    await clock.advanceTo(100.25);
    expect(provider.calls).toHaveLength(1);
    expect(provider.calls[0]?.functionName).toBe('mbs-b1');
    await clock.advanceTo(100.3);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('fulfilled');
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch).toMatchObject({
      buffer: 1,
      reason: 'timeout',
      size: 2,
      openedSeconds: 100,
      dispatchedSeconds: 100.25,
      largestClass: 2,
      memoryMb: 1024,
      cold: false,
      invocationId: 'inv-1',
    });
    expect(batch.paddingShare).toBeCloseTo(1 - 1400 / 1800, 12);
    expect(batch.endedSeconds).toBeCloseTo(100.26, 9);
    expect(batch.costUsd).toBeCloseTo((10 / 1000) * 1 + 0.5, 9);
    await batcher.close();
  });

  it('dispatches exactly as a direct B/T computation says, for any arrivals (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 60 }),
        async (gapsTicks, batchSize, timeoutTicks) => {
          const clock = createVirtualClock();
          const provider = createScriptedProvider(clock);
          const batches: BatchRecord[] = [];
          const timeoutSeconds = timeoutTicks / TICKS_PER_SECOND;
          const batcher = createBatcher({
            config: twoBufferConfiguration({ batchSize, timeoutSeconds }),
            provider,
            clock,
            onBatchRecord: (record) => batches.push(record),
          });
          // Times in ticks of 1/1024 s are exact in binary floating point, so ties stay ties.
          let timeTicks = 0;
          const arrivalsTicks = gapsTicks.map((gap) => (timeTicks += gap));
          for (const arrival of arrivalsTicks) {
            await clock.advanceTo(arrival / TICKS_PER_SECOND);
            void batcher.submit({ size: 1, input: arrival });
          }
          await clock.runUntilIdle();
          await batcher.close();
          // Independent computation: a batch opens at its first arrival and leaves at its B-th
          // arrival, or at open + T if that comes first (a timer due at an arrival's time fires
          // before that arrival).
          const expected: { dispatchedTicks: number; size: number; reason: string }[] = [];
          let openTicks: number | undefined;
          let size = 0;
          for (const arrival of arrivalsTicks) {
            if (openTicks !== undefined && openTicks + timeoutTicks <= arrival) {
              expected.push({ dispatchedTicks: openTicks + timeoutTicks, size, reason: 'timeout' });
              openTicks = undefined;
              size = 0;
            }
            openTicks ??= arrival;
            size++;
            if (size === batchSize) {
              expected.push({ dispatchedTicks: arrival, size, reason: 'full' });
              openTicks = undefined;
              size = 0;
            }
          }
          if (openTicks !== undefined) {
            expected.push({ dispatchedTicks: openTicks + timeoutTicks, size, reason: 'timeout' });
          }
          const actual = batches
            .sort((a, b) => a.dispatchedSeconds - b.dispatchedSeconds)
            .map((batch) => ({
              dispatchedTicks: Math.round(batch.dispatchedSeconds * TICKS_PER_SECOND),
              size: batch.size,
              reason: batch.reason,
            }));
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('createBatcher dispatch (real timers)', () => {
  it('sends a lone request about T after it arrived', async () => {
    const clock = createSystemClock();
    const provider = createScriptedProvider(clock, () => ({ kind: 'ok', latencySeconds: 0 }));
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 100, timeoutSeconds: 0.1 }),
      provider,
    });
    const submittedAt = clock.now();
    const output = await batcher.submit({ size: 5, input: 'x' });
    expect(output).toEqual(echoOutput('mbs-b0', 'x'));
    const waited = provider.calls[0]!.atSeconds - submittedAt;
    expect(waited).toBeGreaterThanOrEqual(0.1);
    // Loose on purpose (a shared, busy machine), yet below 2T; the benchmark measures lateness.
    expect(waited).toBeLessThan(0.1 + 0.08);
    await batcher.close();
  });
});
