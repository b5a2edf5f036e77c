import type { BatchRecord, RequestRecord } from '@mbs/core';
import { isMbsError, type MbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import type { ScriptedOutcome } from './testing/scripted-provider.js';
import {
  createScriptedProvider,
  echoOutput,
  testPricing,
  track,
  twoBufferConfiguration,
} from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

/** Four requests to buffer 0 (one full batch), each invocation answered per `script`. */
async function runOneBatch(
  script: (index: number) => ScriptedOutcome,
  retry: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number } = {},
) {
  const clock = createVirtualClock();
  const provider = createScriptedProvider(clock, ({ index }) => script(index));
  const requests: RequestRecord[] = [];
  const batches: BatchRecord[] = [];
  const batcher = createBatcher({
    config: twoBufferConfiguration({ batchSize: 4, timeoutSeconds: 1 }),
    provider,
    clock,
    retry,
    seed: 3,
    pricing: testPricing,
    onRequestRecord: (record) => requests.push(record),
    onBatchRecord: (record) => batches.push(record),
  });
  const results = ['a', 'b', 'c', 'd'].map((id) =>
    track(batcher.submit({ id, size: 1, input: `input-${id}` })),
  );
  const closing = batcher.close();
  await clock.runUntilIdle();
  await closing;
  const stats = batcher.stats();
  expect(stats.doubleSettlements).toBe(0);
  expect(stats.submitted).toBe(stats.resolved + stats.rejected);
  expect(results.every((result) => result.settlements === 1)).toBe(true);
  return { results, provider, requests, batches, stats, clock };
}

const errorOf = (result: { error?: unknown }) => result.error as MbsError;

describe('createBatcher results', () => {
  it('fans results back by id, even when the provider reorders them', async () => {
    const { results, requests, stats } = await runOneBatch(() => ({ kind: 'reorder' }));
    expect(results.map((result) => result.value)).toEqual(
      ['a', 'b', 'c', 'd'].map((id) => echoOutput('mbs-b0', `input-${id}`)),
    );
    expect(stats.resolved).toBe(4);
    expect(requests.map((record) => record.requestId).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(requests[0]).toMatchObject({
      buffer: 0,
      classId: 0,
      size: 1,
      arrivalSeconds: 0,
      dispatchSeconds: 0,
      waitSeconds: 0,
      batchSize: 4,
    });
    expect(requests[0]?.latencySeconds).toBeCloseTo(0.01, 12);
    expect(requests[0]?.error).toBeUndefined();
  });

  it('rejects every request of a failed function with FUNCTION_ERROR and its details', async () => {
    const { results, batches, provider } = await runOneBatch(() => ({ kind: 'function-error' }));
    expect(provider.calls).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect(isMbsError(result.error, 'FUNCTION_ERROR')).toBe(true);
      expect(errorOf(result).details).toMatchObject({
        errorType: 'Runtime.ExitError',
        errorMessage: 'boom',
        functionName: 'mbs-b0',
        invocationId: 'inv-1',
      });
    }
    expect(batches[0]?.error?.code).toBe('FUNCTION_ERROR');
    // The failed invocation ran and is billed.
    expect(batches[0]?.billedDurationMs).toBe(10);
    expect(batches[0]?.costUsd).toBeGreaterThan(0.5);
  });

  it('rejects only the request whose item failed, and a request with no result explicitly', async () => {
    const itemError = await runOneBatch(() => ({ kind: 'item-error', failIds: ['b'] }));
    expect(itemError.results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(errorOf(itemError.results[1]!).details.itemError).toEqual({
      code: 'EVENT_INVALID',
      message: 'bad input',
    });
    expect(itemError.requests.find((record) => record.requestId === 'b')?.error?.code).toBe(
      'FUNCTION_ERROR',
    );

    const missing = await runOneBatch(() => ({ kind: 'missing', dropIds: ['c', 'd'] }));
    expect(missing.results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    expect(errorOf(missing.results[2]!).message).toMatch(/returned no result for request c/);
    expect(errorOf(missing.results[2]!).details.missingResult).toBe(true);
  });

  it('counts results that match no request instead of losing track of them', async () => {
    const { stats, results } = await runOneBatch(() => ({ kind: 'extra' }));
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(stats.unmatchedResults).toBe(1);
  });

  it('retries throttling and retryable errors with jittered backoff, then succeeds', async () => {
    const outcomes: ScriptedOutcome[] = [
      { kind: 'throttle' },
      { kind: 'transient' },
      { kind: 'ok' },
    ];
    const { results, provider, stats, batches } = await runOneBatch(
      (index) => outcomes[index] ?? { kind: 'ok' },
      { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 150 },
    );
    expect(results.every((result) => result.status === 'fulfilled')).toBe(true);
    expect(provider.calls).toHaveLength(3);
    expect(stats.retries).toBe(2);
    // Each call answers after 10 ms; the backoffs are at most 100 ms, then 150 ms (capped).
    const [first, second, third] = provider.calls.map((call) => call.atSeconds);
    expect(second! - first! - 0.01).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(third! - second! - 0.01).toBeLessThanOrEqual(0.15 + 1e-9);
    expect(new Set(provider.calls.map((call) => call.event.batchId)).size).toBe(1);
    expect(batches).toHaveLength(1);
  });

  it('reports exhausted retries with the last error and the attempt count', async () => {
    const { results, provider, batches } = await runOneBatch(() => ({ kind: 'throttle' }), {
      maxAttempts: 3,
      baseDelayMs: 1,
    });
    expect(provider.calls).toHaveLength(3);
    for (const result of results) {
      expect(isMbsError(result.error, 'THROTTLED')).toBe(true);
      expect(errorOf(result).message).toMatch(
        /failed after 3 attempt\(s\): \[test\] mbs-b0 throttled/,
      );
      expect(errorOf(result).details.attempts).toBe(3);
      expect(isMbsError(errorOf(result).cause, 'THROTTLED')).toBe(true);
    }
    expect(batches[0]).toMatchObject({
      billedDurationMs: 0,
      costUsd: 0,
      error: { code: 'THROTTLED' },
    });
  });

  it.each([
    ['transport', /fetch failed/],
    ['crash', /a non-error value: undefined/],
    ['sync-throw', /provider threw synchronously/],
    ['malformed', /without \{ results, record \}/],
  ] as const)(
    'does not retry a %s failure and rejects with PROVIDER_ERROR',
    async (kind, message) => {
      const { results, provider } = await runOneBatch(() => ({ kind }) as ScriptedOutcome);
      expect(provider.calls).toHaveLength(1);
      for (const result of results) {
        expect(isMbsError(result.error, 'PROVIDER_ERROR')).toBe(true);
        expect(errorOf(result).message).toMatch(message);
      }
    },
  );

  it('marks cold invocations in batch records', async () => {
    const { batches } = await runOneBatch(() => ({ kind: 'ok', initDurationMs: 300 }));
    expect(batches[0]?.cold).toBe(true);
  });

  it('keeps serving when a record callback throws, and counts it', async () => {
    const clock = createVirtualClock();
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 1 }),
      provider: createScriptedProvider(clock),
      clock,
      onRequestRecord: () => {
        throw new Error('disk full');
      },
    });
    const result = track(batcher.submit({ size: 1, input: 1 }));
    await clock.runUntilIdle();
    await batcher.close();
    expect(result.status).toBe('fulfilled');
    expect(batcher.stats().callbackErrors).toBe(1);
  });
});
