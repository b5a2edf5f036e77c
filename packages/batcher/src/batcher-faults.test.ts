import type { BatchRecord, RequestRecord } from '@mbs/core';
import { isMbsError, MBS_ERROR_CODES } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import type { ScriptedOutcome, Tracked } from './testing/scripted-provider.js';
import {
  bufferConfiguration,
  createScriptedProvider,
  testPricing,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

const outcomeKinds = [
  'ok',
  'reorder',
  'throttle',
  'transient',
  'function-error',
  'item-error',
  'missing',
  'extra',
  'transport',
  'crash',
  'sync-throw',
  'malformed',
] as const;

const scenario = fc.record({
  arrivals: fc.array(
    fc.record({
      gapMs: fc.integer({ min: 0, max: 60 }),
      size: fc.integer({ min: 0, max: 2000 }),
      giveClass: fc.boolean(),
    }),
    { minLength: 1, maxLength: 60 },
  ),
  outcomes: fc.array(
    fc.record({
      kind: fc.constantFrom(...outcomeKinds),
      latencyMs: fc.integer({ min: 0, max: 300 }),
      pick: fc.nat(),
    }),
    { minLength: 1, maxLength: 12 },
  ),
  batchSize: fc.integer({ min: 1, max: 5 }),
  timeoutMs: fc.integer({ min: 0, max: 100 }),
  maxPendingPerBuffer: fc.integer({ min: 1, max: 12 }),
  maxInFlightPerBuffer: fc.integer({ min: 1, max: 3 }),
  maxInFlightTotal: fc.integer({ min: 1, max: 4 }),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  reconfigureAt: fc.option(fc.nat(), { nil: undefined }),
  reconfigureToOneBuffer: fc.boolean(),
  seed: fc.integer(),
});

describe('createBatcher under random faults (property)', () => {
  it('settles every request exactly once, accounts for all of them, and loses none', async () => {
    // Codes seen over all runs, to check the scenarios reach every fault path.
    const seenCodes = new Map<string, number>();
    let retriesSeen = 0;
    let queuedSeen = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (run) => {
        const clock = createVirtualClock();
        const provider = createScriptedProvider(clock, ({ index, event }): ScriptedOutcome => {
          const outcome = run.outcomes[index % run.outcomes.length]!;
          const latencySeconds = outcome.latencyMs / 1000;
          const ids = event.requests.map((request) => request.id);
          const chosen = ids.filter((_, position) => (outcome.pick >> position) & 1);
          switch (outcome.kind) {
            case 'item-error':
              return { kind: 'item-error', failIds: chosen, latencySeconds };
            case 'missing':
              return { kind: 'missing', dropIds: chosen, latencySeconds };
            case 'sync-throw':
              return { kind: 'sync-throw' };
            default:
              return { kind: outcome.kind, latencySeconds };
          }
        });
        const requestRecords: RequestRecord[] = [];
        const batchRecords: BatchRecord[] = [];
        const batcher = createBatcher({
          config: twoBufferConfiguration({
            batchSize: run.batchSize,
            timeoutSeconds: run.timeoutMs / 1000,
          }),
          provider,
          clock,
          pricing: testPricing,
          seed: run.seed,
          limits: {
            maxPendingPerBuffer: run.maxPendingPerBuffer,
            maxInFlightPerBuffer: run.maxInFlightPerBuffer,
            maxInFlightTotal: run.maxInFlightTotal,
          },
          retry: { maxAttempts: run.maxAttempts, baseDelayMs: 5, maxDelayMs: 40 },
          onRequestRecord: (record) => requestRecords.push(record),
          onBatchRecord: (record) => batchRecords.push(record),
        });
        const results: { id: string; input: number; tracked: Tracked }[] = [];
        let time = 0;
        for (const [index, arrival] of run.arrivals.entries()) {
          time += arrival.gapMs / 1000;
          await clock.advanceTo(time);
          if (index === run.reconfigureAt) {
            batcher.reconfigure(
              run.reconfigureToOneBuffer
                ? { buffers: [bufferConfiguration(0, 2, { batchSize: 2, timeoutSeconds: 0.02 })] }
                : twoBufferConfiguration({ batchSize: 3, timeoutSeconds: 0.03 }).system,
            );
          }
          const id = `q${index}`;
          const promise = batcher.submit({
            id,
            size: arrival.size,
            input: index,
            ...(arrival.giveClass ? { classId: arrival.size % 3 } : {}),
          });
          results.push({ id, input: index, tracked: track(promise) });
          const stats = batcher.stats();
          queuedSeen += stats.queuedBatches;
          expect(stats.submitted).toBe(
            stats.resolved + stats.rejected + stats.pending + stats.inFlightRequests,
          );
        }
        const closing = batcher.close();
        await clock.runUntilIdle();
        await closing;

        const stats = batcher.stats();
        // Every promise settled, once.
        for (const { tracked } of results) {
          expect(tracked.status).not.toBe('pending');
          expect(tracked.settlements).toBe(1);
        }
        const fulfilled = results.filter((result) => result.tracked.status === 'fulfilled');
        const rejected = results.filter((result) => result.tracked.status === 'rejected');
        expect(stats.submitted).toBe(results.length);
        expect(stats.resolved).toBe(fulfilled.length);
        expect(stats.rejected).toBe(rejected.length);
        expect(stats.submitted).toBe(stats.resolved + stats.rejected);
        expect(stats).toMatchObject({
          pending: 0,
          inFlightRequests: 0,
          inFlightInvocations: 0,
          queuedBatches: 0,
          doubleSettlements: 0,
          retiredBuffers: 0,
        });
        expect(stats.batchesCompleted).toBe(stats.batchesDispatched);

        // Each accepted request went out in exactly one batch (retries resend the same batch).
        const batchOf = new Map<string, string>();
        for (const call of provider.calls) {
          for (const request of call.event.requests) {
            const earlier = batchOf.get(request.id);
            expect(earlier === undefined || earlier === call.event.batchId).toBe(true);
            batchOf.set(request.id, call.event.batchId!);
          }
        }
        expect(batchOf.size).toBe(results.length - stats.rejectedAtSubmit);

        // One request record per request that reached a batch, one batch record per batch.
        expect(requestRecords).toHaveLength(batchOf.size);
        expect(new Set(requestRecords.map((record) => record.requestId)).size).toBe(batchOf.size);
        expect(batchRecords).toHaveLength(stats.batchesDispatched);
        expect(batchRecords.reduce((sum, record) => sum + record.size, 0)).toBe(batchOf.size);

        // Outputs are the request's own; errors are explicit MbsErrors with a known code.
        for (const { input, tracked } of fulfilled) {
          expect((tracked.value as { input: unknown }).input).toBe(input);
        }
        retriesSeen += stats.retries;
        for (const { tracked } of rejected) {
          const code = (tracked.error as { code: string }).code;
          seenCodes.set(code, (seenCodes.get(code) ?? 0) + 1);
          expect(isMbsError(tracked.error)).toBe(true);
          expect(MBS_ERROR_CODES).toContain((tracked.error as { code: string }).code);
        }
        // Each outcome matches what the last attempt of its batch answered.
        const lastOutcome = new Map<string, ScriptedOutcome>();
        for (const call of provider.calls) lastOutcome.set(call.event.batchId!, call.outcome);
        for (const { id, tracked } of results) {
          const batchId = batchOf.get(id);
          if (batchId === undefined) continue;
          const outcome = lastOutcome.get(batchId)!;
          const served =
            outcome.kind === 'ok' ||
            outcome.kind === 'reorder' ||
            outcome.kind === 'extra' ||
            (outcome.kind === 'item-error' && !outcome.failIds.includes(id)) ||
            (outcome.kind === 'missing' && !outcome.dropIds.includes(id));
          expect(tracked.status).toBe(served ? 'fulfilled' : 'rejected');
        }
        for (const record of requestRecords) {
          expect(record.latencySeconds).toBeGreaterThanOrEqual(record.waitSeconds);
          expect(record.waitSeconds).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
    expect([...seenCodes.keys()].sort()).toEqual(
      ['BACKPRESSURE', 'FUNCTION_ERROR', 'PROVIDER_ERROR', 'THROTTLED'].sort(),
    );
    expect(retriesSeen).toBeGreaterThan(0);
    expect(queuedSeen).toBeGreaterThan(0);
  });
});
