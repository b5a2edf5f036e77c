import { selectQuantiles } from '@mbs/core';
import type { GrowableFloat64Array } from './growable-float64-array.js';
import type { ReplayStatistics, ReplaySummary } from './replay-types.js';

/** What the engine accumulates per buffer. */
export interface BufferTotals {
  readonly latencies: GrowableFloat64Array;
  sumWaitSeconds: number;
  batches: number;
  costUsd: number;
  realElements: number;
  paddedElements: number;
  coldStarts: number;
  fullBatches: number;
  timeoutBatches: number;
}

/** A buffer's counters before its first batch, all zero; {@link summarizeReplay} sums into one too. */
export function zeroBufferCounters(): Omit<BufferTotals, 'latencies'> {
  return {
    sumWaitSeconds: 0,
    batches: 0,
    costUsd: 0,
    realElements: 0,
    paddedElements: 0,
    coldStarts: 0,
    fullBatches: 0,
    timeoutBatches: 0,
  };
}

function statistics(
  latencies: Float64Array,
  totals: Omit<BufferTotals, 'latencies'>,
  percentiles: readonly number[],
  spanSeconds: number,
): ReplayStatistics {
  const requests = latencies.length;
  let sumLatency = 0;
  let maxLatency = Number.NaN;
  for (let index = 0; index < requests; index++) {
    const latency = latencies[index]!;
    sumLatency += latency;
    if (!(latency <= maxLatency)) maxLatency = latency;
  }
  const [p50, p95, p99, ...extra] = selectQuantiles(latencies, [0.5, 0.95, 0.99, ...percentiles]);
  return {
    requests,
    batches: totals.batches,
    meanBatchSize: requests / totals.batches,
    meanLatencySeconds: sumLatency / requests,
    p50LatencySeconds: p50!,
    p95LatencySeconds: p95!,
    p99LatencySeconds: p99!,
    maxLatencySeconds: maxLatency,
    latencyPercentilesSeconds: Object.fromEntries(
      percentiles.map((percentile, index) => [String(percentile), extra[index]!]),
    ),
    meanWaitSeconds: totals.sumWaitSeconds / requests,
    costUsd: totals.costUsd,
    costPerRequestUsd: totals.costUsd / requests,
    invocationsPerSecond: spanSeconds > 0 ? totals.batches / spanSeconds : Number.NaN,
    paddingShare: totals.paddedElements > 0 ? 1 - totals.realElements / totals.paddedElements : 0,
    coldStarts: totals.coldStarts,
    dispatchReasons: { full: totals.fullBatches, timeout: totals.timeoutBatches },
  };
}

/** Summary statistics (exact order statistics of the latencies) per buffer and overall. */
export function summarizeReplay(
  buffers: readonly BufferTotals[],
  percentiles: readonly number[],
  firstArrivalSeconds: number,
  lastArrivalSeconds: number,
): ReplaySummary {
  const spanSeconds = buffers.some((buffer) => buffer.latencies.length > 0)
    ? lastArrivalSeconds - firstArrivalSeconds
    : 0;
  const all = new Float64Array(buffers.reduce((sum, buffer) => sum + buffer.latencies.length, 0));
  let offset = 0;
  const overall = zeroBufferCounters();
  const perBuffer = buffers.map((buffer) => {
    const view = buffer.latencies.view();
    all.set(view, offset);
    offset += view.length;
    for (const key of Object.keys(overall) as (keyof typeof overall)[]) overall[key] += buffer[key];
    return statistics(view, buffer, percentiles, spanSeconds);
  });
  return {
    overall: statistics(all, overall, percentiles, spanSeconds),
    buffers: perBuffer,
    firstArrivalSeconds: Number.isNaN(firstArrivalSeconds) ? 0 : firstArrivalSeconds,
    lastArrivalSeconds: Number.isFinite(lastArrivalSeconds) ? lastArrivalSeconds : 0,
    spanSeconds,
  };
}
