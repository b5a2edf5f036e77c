import type { BatchRecord, RequestRecord } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRunRecordAccumulator, formatBufferTable } from './run-summary.js';

const request = (latencySeconds: number, failed = false): RequestRecord => ({
  requestId: 'r',
  buffer: 0,
  classId: 0,
  size: 1,
  arrivalSeconds: 0,
  dispatchSeconds: 0,
  completionSeconds: latencySeconds,
  waitSeconds: 0,
  latencySeconds,
  batchId: 'b',
  batchSize: 1,
  ...(failed ? { error: { code: 'FUNCTION_ERROR', message: 'x' } } : {}),
});

const batch = (
  buffer: number,
  size: number,
  paddingShare: number,
  costUsd: number,
): BatchRecord => ({
  batchId: 'b',
  buffer,
  openedSeconds: 0,
  dispatchedSeconds: 0,
  endedSeconds: 0,
  size,
  largestClass: 0,
  paddingShare,
  durationMs: 10,
  billedDurationMs: 10,
  memoryMb: 128,
  cold: size === 1,
  costUsd,
  reason: 'full',
});

describe('createRunRecordAccumulator', () => {
  it('gives nearest-rank quantiles of resolved requests only', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 0, max: 5 }),
        (latencies, failures) => {
          const accumulator = createRunRecordAccumulator();
          for (const latency of latencies) accumulator.addRequest(request(latency));
          for (let index = 0; index < failures; index++) accumulator.addRequest(request(1e9, true));
          const summary = accumulator.summary();
          const sorted = [...latencies].sort((a, b) => a - b);
          // Nearest rank: the smallest value with at least p of the values at or below it.
          const quantile = (p: number) =>
            sorted.find(
              (value) =>
                sorted.filter((other) => other <= value).length >= p * sorted.length - 1e-9,
            );
          expect(summary.latencySeconds.p50).toBe(quantile(0.5));
          expect(summary.latencySeconds.p95).toBe(quantile(0.95));
          expect(summary.latencySeconds.p99).toBe(quantile(0.99));
          expect(summary.requestRecords).toBe(latencies.length + failures);
          expect(summary.failedRequests).toBe(failures);
        },
      ),
    );
  });

  it('totals batches per buffer with request-weighted padding', () => {
    const accumulator = createRunRecordAccumulator();
    accumulator.addBatch(batch(1, 4, 0.5, 3e-6));
    accumulator.addBatch(batch(0, 1, 0, 1e-6));
    accumulator.addBatch({ ...batch(1, 2, 0.2, 0), error: { code: 'THROTTLED', message: 'x' } });
    accumulator.addRequest(request(0.1));
    accumulator.addRequest(request(0.2));
    const summary = accumulator.summary();
    expect(summary.buffers.map((buffer) => buffer.buffer)).toEqual([0, 1]);
    expect(summary.buffers[1]).toMatchObject({
      batches: 2,
      failedBatches: 1,
      requests: 6,
      meanBatchSize: 3,
      coldStarts: 0,
    });
    expect(summary.buffers[1]!.paddingShare).toBeCloseTo((4 * 0.5 + 2 * 0.2) / 6, 12);
    expect(summary.costUsd).toBeCloseTo(4e-6, 18);
    expect(summary.costPerRequestUsd).toBeCloseTo(2e-6, 18);
    expect(summary.coldStarts).toBe(1);
    const table = formatBufferTable(summary, (index) => `fn-${index}`);
    expect(table.split('\n')[0]).toMatch(/^buffer\s+function\s+batches/);
    expect(table).toContain('fn-1');
  });
});
