/** Burstiness of a stream of arrival times, at the scales the batching model cares about. */
export interface StreamStatistics {
  /** Squared coefficient of variation of the inter-arrival times (1 for Poisson). */
  readonly scv: number;
  /** Lag-1 autocorrelation of consecutive inter-arrival times (0 for Poisson). */
  readonly lag1: number;
  /** Variance over mean of the arrival counts in consecutive 1 s windows (1 for Poisson). */
  readonly countDispersion: number;
}

/**
 * Inter-arrival SCV, lag-1 autocorrelation and the index of dispersion of 1 s counts of ascending
 * arrival times in seconds (at least three). Sample moments, not unbiased estimators: the streams
 * compared hold thousands of arrivals.
 *
 * @example
 * ```ts
 * streamStatistics([0, 0.4, 1.1, 1.5, 3]).scv;
 * ```
 */
export function streamStatistics(times: readonly number[]): StreamStatistics {
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  let covariance = 0;
  for (let index = 1; index < gaps.length; index++) {
    covariance += (gaps[index]! - mean) * (gaps[index - 1]! - mean);
  }
  const start = times[0] ?? 0;
  const windows = Math.max(1, Math.ceil((times[times.length - 1] ?? 0) - start));
  const counts = new Float64Array(windows);
  for (const time of times) {
    const index = Math.min(windows - 1, Math.floor(time - start));
    counts[index] = (counts[index] ?? 0) + 1;
  }
  const countMean = counts.reduce((sum, count) => sum + count, 0) / windows;
  const countVariance = counts.reduce((sum, count) => sum + (count - countMean) ** 2, 0) / windows;
  return {
    scv: variance / mean ** 2,
    lag1: covariance / (gaps.length - 1) / variance,
    countDispersion: countVariance / countMean,
  };
}
