import { selectQuantiles } from '@mbs/core';

/**
 * Standard error of a percentile by batch means: the percentile of each of `batches` consecutive
 * stretches of `latencies` (in arrival order), whose spread over sqrt(batches) estimates the whole
 * set's error. Consecutive stretches, not random subsets, because arrivals are correlated: a
 * bursty stretch falls in one batch, as it does in the whole. Reorders `latencies` within each
 * stretch.
 */
export function batchMeansStandardError(
  latencies: Float64Array,
  batches: number,
  percentile: number,
): number {
  const size = Math.floor(latencies.length / batches);
  const estimates = Array.from(
    { length: batches },
    (_, batch) =>
      selectQuantiles(latencies.subarray(batch * size, (batch + 1) * size), [percentile])[0]!,
  );
  const mean = estimates.reduce((sum, value) => sum + value, 0) / batches;
  const variance = estimates.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (batches - 1);
  return Math.sqrt(variance / batches);
}
