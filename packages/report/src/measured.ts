import { sortedQuantile } from '@mbs/core';
import type { MeasuredRecords, ReportBatch } from './documents.js';

/** Probabilities at which a measured CDF is drawn: every 0.5 %, then the tail, then the maximum. */
export const EMPIRICAL_CDF_PROBABILITIES: readonly number[] = [
  ...Array.from({ length: 199 }, (_, index) => (index + 1) / 200),
  0.995,
  0.999,
  1,
];

/** Latencies of requests that got a result, sorted ascending: all, and by buffer index. */
export interface SortedLatencies {
  readonly all: Float64Array;
  readonly byBuffer: ReadonlyMap<number, Float64Array>;
}

/** The measured latencies of a replay or run, sorted (requests with an error are left out). */
export function sortedLatencies(records: MeasuredRecords): SortedLatencies {
  const byBuffer = new Map<number, number[]>();
  const all: number[] = [];
  for (const request of records.requests ?? []) {
    if (request.error !== undefined || !Number.isFinite(request.latencySeconds)) continue;
    all.push(request.latencySeconds);
    let list = byBuffer.get(request.buffer);
    if (!list) {
      list = [];
      byBuffer.set(request.buffer, list);
    }
    list.push(request.latencySeconds);
  }
  return {
    all: Float64Array.from(all).sort(),
    byBuffer: new Map(
      [...byBuffer].map(([buffer, list]) => [buffer, Float64Array.from(list).sort()]),
    ),
  };
}

/**
 * The empirical CDF as points `[x, p]`: x is the nearest-rank quantile of the sorted latencies at
 * each of {@link EMPIRICAL_CDF_PROBABILITIES} (`sortedQuantile` of `@mbs/core`). Empty when there
 * are no latencies.
 */
export function empiricalCdfPoints(sorted: Float64Array): [number, number][] {
  if (sorted.length === 0) return [];
  return EMPIRICAL_CDF_PROBABILITIES.map((p) => [sortedQuantile(sorted, p), p]);
}

/** Per buffer: how many batches had each size (index n − 1) and the request-weighted padding. */
export interface BatchTotals {
  readonly counts: number[];
  readonly batches: number;
  /** Σ n × paddingShare / Σ n over batches with a padding share (by real request sizes). */
  readonly paddingBySizes: number;
}

/** Batch-size counts and padding by request sizes of each buffer's batches. */
export function batchTotals(batches: readonly ReportBatch[]): Map<number, BatchTotals> {
  const totals = new Map<number, { counts: number[]; weighted: number; requests: number }>();
  for (const batch of batches) {
    if (!(Number.isInteger(batch.size) && batch.size >= 1)) continue;
    let entry = totals.get(batch.buffer);
    if (!entry) {
      entry = { counts: [], weighted: 0, requests: 0 };
      totals.set(batch.buffer, entry);
    }
    while (entry.counts.length < batch.size) entry.counts.push(0);
    entry.counts[batch.size - 1]!++;
    if (typeof batch.paddingShare === 'number' && Number.isFinite(batch.paddingShare)) {
      entry.weighted += batch.size * batch.paddingShare;
      entry.requests += batch.size;
    }
  }
  return new Map(
    [...totals].map(([buffer, entry]) => [
      buffer,
      {
        counts: entry.counts,
        batches: entry.counts.reduce((sum, count) => sum + count, 0),
        paddingBySizes: entry.requests > 0 ? entry.weighted / entry.requests : Number.NaN,
      },
    ]),
  );
}
