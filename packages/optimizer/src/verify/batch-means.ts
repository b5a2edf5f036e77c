import { selectQuantiles, sortedQuantile, studentTQuantile } from '@mbs/core';

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
  return standardErrorOfMean(estimates);
}

/** Standard error of the mean of batch estimates: their sample variance over their count, rooted. */
function standardErrorOfMean(estimates: readonly number[]): number {
  const count = estimates.length;
  const mean = estimates.reduce((sum, value) => sum + value, 0) / count;
  const variance = estimates.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (count - 1);
  return Math.sqrt(variance / count);
}

/** The share of replayed requests over a latency, with its batch-means standard error. */
export interface ExceedanceEstimate {
  /** Share of all replayed requests whose latency exceeds the given one, in [0, 1]. */
  readonly share: number;
  /** Batch-means standard error of `share` over the stretches (0 when every stretch agrees). */
  readonly standardError: number;
  /** Stretches the standard error is over (its degrees of freedom are one fewer). */
  readonly stretches: number;
}

/**
 * A replay's latencies cut, in arrival order, into consecutive stretches of equal length: what a
 * margin drawn from how the traffic varies from one stretch to the next needs.
 */
export interface LatencyStretches {
  /** The share of requests over `latencySeconds`, with its standard error over the stretches. */
  readonly exceedance: (latencySeconds: number) => ExceedanceEstimate;
  /** The nearest-rank `level` quantile of all replayed latencies, in seconds (level in (0, 1]). */
  readonly quantile: (level: number) => number;
}

// Values of a sorted array strictly greater than `bound`: binary search for the first of them.
function countAbove(sorted: Float64Array, bound: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! > bound) high = middle;
    else low = middle + 1;
  }
  return sorted.length - low;
}

/**
 * Cuts `latencies` (in arrival order) into `stretches` consecutive stretches for
 * {@link LatencyStretches}. The share over a latency is a mean of indicators, so its batch means
 * are close to normal even where the latency distribution has a step (where a percentile's batch
 * means are not: a stretch's p95 lands on one side of the step or the other). The remainder of
 * the division counts in the share, not in its standard error. Copies `latencies`.
 */
export function createLatencyStretches(
  latencies: Float64Array,
  stretches: number,
): LatencyStretches {
  const size = Math.floor(latencies.length / stretches);
  const sortedStretches = Array.from({ length: stretches }, (_, stretch) =>
    latencies.slice(stretch * size, (stretch + 1) * size).sort(),
  );
  const all = latencies.slice().sort();
  return {
    exceedance: (latencySeconds) => {
      const shares = sortedStretches.map((sorted) => countAbove(sorted, latencySeconds) / size);
      return {
        share: all.length === 0 ? 0 : countAbove(all, latencySeconds) / all.length,
        standardError: standardErrorOfMean(shares),
        stretches,
      };
    },
    quantile: (level) => sortedQuantile(all, level),
  };
}

/**
 * How far above `estimate.share` the share over the same latency may land on a later stretch of
 * the traffic, at one-sided `confidence` (in (0, 1)): Student's t(confidence, stretches - 1) x
 * standard error x sqrt(1 + 1 / laterLengthRatio), a prediction bound. The later stretch's share
 * has an error of its own, whose variance grows as the stretch gets shorter: with
 * `laterLengthRatio` = later length / replayed length (default 1, as long as the replayed one) it
 * is the replayed share's variance / laterLengthRatio, hence the factor (sqrt 2 at ratio 1).
 *
 * @example
 * ```ts
 * exceedancePredictionMargin({ share: 0.04, standardError: 0.003, stretches: 10 }, 0.9); // 0.0059
 * ```
 */
export function exceedancePredictionMargin(
  estimate: ExceedanceEstimate,
  confidence: number,
  laterLengthRatio = 1,
): number {
  return (
    studentTQuantile(confidence, estimate.stretches - 1) *
    estimate.standardError *
    Math.sqrt(1 + 1 / laterLengthRatio)
  );
}
