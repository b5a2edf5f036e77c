import type { BatchRecord, RequestRecord } from '@mbs/core';
import { formatUsd, sortedQuantile } from '@mbs/core';
import { formatTable } from '../table.js';

/** Totals of one buffer over a run, from its batch records. */
export interface BufferRunSummary {
  readonly buffer: number;
  readonly batches: number;
  readonly failedBatches: number;
  readonly requests: number;
  readonly meanBatchSize: number;
  /** Request-weighted padding share of its batches. */
  readonly paddingShare: number;
  readonly coldStarts: number;
  readonly billedMilliseconds: number;
  readonly costUsd: number;
}

/** What `mbs run` prints at the end: latency of resolved requests, cost, batches per buffer. */
export interface RunRecordSummary {
  readonly requestRecords: number;
  readonly failedRequests: number;
  /** Latency of requests that got a result, in seconds (nearest-rank quantiles). */
  readonly latencySeconds: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly batches: number;
  readonly coldStarts: number;
  readonly costUsd: number;
  /** costUsd / request records. */
  readonly costPerRequestUsd: number;
  readonly buffers: readonly BufferRunSummary[];
}

interface BufferTotals {
  batches: number;
  failedBatches: number;
  requests: number;
  paddingWeighted: number;
  coldStarts: number;
  billedMilliseconds: number;
  costUsd: number;
}

/** Accumulates request and batch records as a run writes them, then summarizes them. */
export interface RunRecordAccumulator {
  readonly addRequest: (record: RequestRecord) => void;
  readonly addBatch: (record: BatchRecord) => void;
  summary(): RunRecordSummary;
}

/**
 * An accumulator of a run's records: keeps latencies of resolved requests and per-buffer totals
 * of batches, so a long run does not keep its records in memory.
 */
export function createRunRecordAccumulator(): RunRecordAccumulator {
  const latencies: number[] = [];
  let requestRecords = 0;
  let failedRequests = 0;
  const buffers = new Map<number, BufferTotals>();
  return {
    addRequest(record) {
      requestRecords++;
      if (record.error === undefined) latencies.push(record.latencySeconds);
      else failedRequests++;
    },
    addBatch(record) {
      const totals = buffers.get(record.buffer) ?? {
        batches: 0,
        failedBatches: 0,
        requests: 0,
        paddingWeighted: 0,
        coldStarts: 0,
        billedMilliseconds: 0,
        costUsd: 0,
      };
      totals.batches++;
      if (record.error !== undefined) totals.failedBatches++;
      totals.requests += record.size;
      totals.paddingWeighted += record.size * record.paddingShare;
      if (record.cold) totals.coldStarts++;
      // `mbs run` invokes platform providers, which always report a billed duration.
      totals.billedMilliseconds += record.billedDurationMs ?? 0;
      // A refused batch ran nowhere and costs nothing (its costUsd is NaN: no billed duration).
      if (Number.isFinite(record.costUsd)) totals.costUsd += record.costUsd;
      buffers.set(record.buffer, totals);
    },
    summary() {
      const perBuffer = [...buffers.entries()]
        .sort(([a], [b]) => a - b)
        .map(
          ([buffer, totals]): BufferRunSummary => ({
            buffer,
            batches: totals.batches,
            failedBatches: totals.failedBatches,
            requests: totals.requests,
            meanBatchSize: totals.requests / totals.batches,
            paddingShare: totals.requests === 0 ? 0 : totals.paddingWeighted / totals.requests,
            coldStarts: totals.coldStarts,
            billedMilliseconds: totals.billedMilliseconds,
            costUsd: totals.costUsd,
          }),
        );
      const costUsd = perBuffer.reduce((sum, buffer) => sum + buffer.costUsd, 0);
      latencies.sort((a, b) => a - b);
      return {
        requestRecords,
        failedRequests,
        latencySeconds: {
          p50: sortedQuantile(latencies, 0.5),
          p95: sortedQuantile(latencies, 0.95),
          p99: sortedQuantile(latencies, 0.99),
        },
        batches: perBuffer.reduce((sum, buffer) => sum + buffer.batches, 0),
        coldStarts: perBuffer.reduce((sum, buffer) => sum + buffer.coldStarts, 0),
        costUsd,
        costPerRequestUsd: requestRecords === 0 ? Number.NaN : costUsd / requestRecords,
        buffers: perBuffer,
      };
    },
  };
}

const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

/** The per-buffer table of a run summary, with function names. */
export function formatBufferTable(
  summary: RunRecordSummary,
  functionNameOf: (buffer: number) => string,
): string {
  return formatTable(summary.buffers, [
    { header: 'buffer', value: (row) => String(row.buffer), align: 'right' },
    { header: 'function', value: (row) => functionNameOf(row.buffer) },
    { header: 'batches', value: (row) => String(row.batches), align: 'right' },
    { header: 'failed', value: (row) => String(row.failedBatches), align: 'right' },
    { header: 'requests', value: (row) => String(row.requests), align: 'right' },
    { header: 'mean batch', value: (row) => row.meanBatchSize.toFixed(2), align: 'right' },
    { header: 'padding', value: (row) => percent(row.paddingShare), align: 'right' },
    { header: 'cold', value: (row) => String(row.coldStarts), align: 'right' },
    { header: 'cost', value: (row) => formatUsd(row.costUsd), align: 'right' },
  ]);
}
