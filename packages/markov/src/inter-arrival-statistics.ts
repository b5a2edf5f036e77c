import { errors } from './errors.js';

/** What {@link createInterArrivalStatistics} has measured so far. */
export interface InterArrivalStatisticsResult {
  /** Inter-arrival times seen. */
  readonly count: number;
  /** Arrivals per second: 1 / mean. */
  readonly rate: number;
  /** Mean inter-arrival time in seconds. */
  readonly mean: number;
  /** Squared coefficient of variation: population variance / mean^2. */
  readonly scv: number;
  /** Raw moments m1, m2, m3 in seconds, seconds^2, seconds^3 (population estimates, divisor n). */
  readonly moments: readonly [number, number, number];
  /**
   * Autocorrelations at lags 1..maxLag: the covariance of the pairs (x_i, x_{i+k}) over the
   * population variance; NaN for a lag with fewer than 2 pairs or a zero variance.
   */
  readonly autocorrelations: readonly number[];
}

/** A streaming accumulator of inter-arrival statistics with memory bounded by maxLag. */
export interface InterArrivalStatistics {
  /** Adds one inter-arrival time in seconds (finite, >= 0). */
  add(interArrivalSeconds: number): void;
  /** The statistics of everything added so far. */
  result(): InterArrivalStatisticsResult;
}

/**
 * A streaming accumulator of the rate, SCV, first three moments and lag 1..maxLag
 * autocorrelations of inter-arrival times. Memory is O(maxLag): a ring buffer of the last maxLag
 * values. Moments use the one-pass updates of Welford and Pébay (no cancellation between large
 * sums); each lag keeps its own running pair means and co-moment (the bivariate Welford update),
 * so the result is as accurate as a two-pass computation to a few ulps per value.
 *
 * @example
 * ```ts
 * const statistics = createInterArrivalStatistics(10);
 * for (let i = 1; i < times.length; i++) statistics.add(times[i] - times[i - 1]);
 * const { rate, scv, autocorrelations } = statistics.result();
 * ```
 * @param maxLag - largest autocorrelation lag (integer >= 0). Default 10.
 */
export function createInterArrivalStatistics(maxLag = 10): InterArrivalStatistics {
  if (!Number.isInteger(maxLag) || maxLag < 0) {
    throw errors.error(
      'OPTION_INVALID',
      `createInterArrivalStatistics maxLag = ${maxLag}; must be an integer >= 0`,
    );
  }
  let count = 0;
  let mean = 0;
  let centralSecond = 0;
  let centralThird = 0;
  const recent = new Float64Array(Math.max(1, maxLag));
  const pairCounts = new Float64Array(maxLag);
  const leadMeans = new Float64Array(maxLag);
  const lagMeans = new Float64Array(maxLag);
  const coMoments = new Float64Array(maxLag);
  return {
    add(interArrivalSeconds: number): void {
      const value = interArrivalSeconds;
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw errors.error(
          'OPTION_INVALID',
          `inter-arrival #${count + 1} = ${value} s; inter-arrival times must be finite and >= 0`,
          { details: { index: count, value } },
        );
      }
      for (let lag = 1; lag <= maxLag && lag <= count; lag++) {
        const earlier = recent[(count - lag) % maxLag]!;
        const index = lag - 1;
        const pairs = ++pairCounts[index]!;
        const leadDelta = earlier - leadMeans[index]!;
        leadMeans[index]! += leadDelta / pairs;
        lagMeans[index]! += (value - lagMeans[index]!) / pairs;
        coMoments[index]! += leadDelta * (value - lagMeans[index]!);
      }
      if (maxLag > 0) recent[count % maxLag] = value;
      const previous = count;
      count++;
      const delta = value - mean;
      const deltaShare = delta / count;
      const term = delta * deltaShare * previous;
      mean += deltaShare;
      centralThird += term * deltaShare * (count - 2) - 3 * deltaShare * centralSecond;
      centralSecond += term;
    },
    result(): InterArrivalStatisticsResult {
      if (count === 0) {
        throw errors.error(
          'TRACE_EMPTY',
          'inter-arrival statistics: no inter-arrival time was added; at least one is needed',
        );
      }
      const variance = centralSecond / count;
      const second = variance + mean * mean;
      const third = centralThird / count + 3 * mean * variance + mean ** 3;
      const autocorrelations: number[] = [];
      for (let index = 0; index < maxLag; index++) {
        const pairs = pairCounts[index]!;
        autocorrelations.push(
          pairs >= 2 && variance > 0 ? coMoments[index]! / pairs / variance : Number.NaN,
        );
      }
      return {
        count,
        rate: 1 / mean,
        mean,
        scv: variance / (mean * mean),
        moments: [mean, second, third],
        autocorrelations,
      };
    },
  };
}
