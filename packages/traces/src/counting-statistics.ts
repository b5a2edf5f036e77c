import type { CountingMatch, CountWindowMatch, MarkovianArrivalProcess } from '@mbs/core';
import { mapCountDistributions, mapIndexOfDispersion } from '@mbs/markov';
import { errors } from './errors.js';

/**
 * Window lengths at which counts are compared when none are given: the batching timeouts in play,
 * 5 ms to 1 s (the default T grid of `mbs solve` spans the same range).
 */
export const DEFAULT_COUNT_WINDOWS_SECONDS: readonly number[] = [
  0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1,
];

/** The most count levels resolved; higher counts are pooled (a batch never holds that many). */
const MAX_LEVELS = 1024;

/** The counts of a trace in windows of one length. */
export interface TraceCounts {
  /** Window length in seconds. */
  readonly seconds: number;
  /**
   * Share of windows tiled from the first arrival holding k arrivals, k = 0..levels-1 (the last
   * level pools every higher count).
   */
  readonly windowLaw: Float64Array;
  /** Share of arrivals followed by k more within the window length (same pooling). */
  readonly arrivalLaw: Float64Array;
  /** Mean arrivals per tiled window. */
  readonly windowMean: number;
  /** Index of dispersion of the tiled window counts, Var / mean. */
  readonly indexOfDispersion: number;
  /** Tiled windows, and arrivals whose window ends before the last arrival. */
  readonly windows: number;
  readonly arrivals: number;
}

function checkLengths(windowsSeconds: readonly number[], source: string): void {
  if (windowsSeconds.length === 0) {
    throw errors.error('OPTION_INVALID', `${source}: give at least one window length`);
  }
  windowsSeconds.forEach((seconds, index) => {
    if (
      !(seconds > 0 && Number.isFinite(seconds)) ||
      (index > 0 && seconds <= windowsSeconds[index - 1]!)
    ) {
      throw errors.error(
        'OPTION_INVALID',
        `${source} window length #${index + 1} is ${seconds} s; give finite lengths > 0 in ascending order`,
        { details: { index, seconds } },
      );
    }
  });
}

/**
 * The counting statistics of arrival times (seconds, ascending) at each window length: the law
 * of the count in windows tiled from the first arrival, its index of dispersion, and the law of
 * the number of later arrivals within the length after each arrival (the arrivals that join a
 * batch opened by it within a timeout of that length). Windows and arrivals whose window would run
 * past the last arrival are left out. O(arrivals + span / length) per length.
 *
 * @example
 * ```ts
 * const [at100ms] = traceCounts(times, [0.1]);
 * at100ms.arrivalLaw[0]; // share of arrivals with no other arrival in the next 100 ms
 * ```
 * @throws MbsError `OPTION_INVALID` for fewer than two arrivals, times going backwards, or lengths
 *   that are not positive and ascending.
 */
export function traceCounts(
  times: ArrayLike<number>,
  windowsSeconds: readonly number[] = DEFAULT_COUNT_WINDOWS_SECONDS,
): TraceCounts[] {
  checkLengths(windowsSeconds, 'traceCounts');
  const count = times.length;
  if (count < 2) {
    throw errors.error(
      'OPTION_INVALID',
      `traceCounts: ${count} arrivals; counting statistics need at least 2`,
    );
  }
  for (let index = 1; index < count; index++) {
    if (!(times[index]! >= times[index - 1]!)) {
      throw errors.error(
        'OPTION_INVALID',
        `traceCounts: arrival #${index + 1} at ${times[index]} s comes before the previous one; times must ascend`,
      );
    }
  }
  const first = times[0]!;
  const last = times[count - 1]!;
  return windowsSeconds.map((seconds) => {
    // Tiled windows: counts first, then their law with a pooled top level.
    const windows = Math.max(1, Math.floor((last - first) / seconds));
    const counts = new Uint32Array(windows);
    for (let index = 0; index < count; index++) {
      const window = Math.floor((times[index]! - first) / seconds);
      if (window < windows) counts[window]! += 1;
    }
    let largest = 0;
    let sum = 0;
    let squares = 0;
    for (const value of counts) {
      largest = Math.max(largest, value);
      sum += value;
      squares += value * value;
    }
    // After each arrival: two pointers over the times.
    const after: number[] = [];
    let ahead = 1;
    for (let index = 0; index < count && times[index]! + seconds <= last; index++) {
      ahead = Math.max(ahead, index + 1);
      while (ahead < count && times[ahead]! <= times[index]! + seconds) ahead++;
      const later = ahead - index - 1;
      after.push(later);
      largest = Math.max(largest, later);
    }
    const levels = Math.min(MAX_LEVELS, largest + 2);
    const windowLaw = new Float64Array(levels);
    for (const value of counts) windowLaw[Math.min(levels - 1, value)]! += 1 / windows;
    const arrivalLaw = new Float64Array(levels);
    for (const value of after) arrivalLaw[Math.min(levels - 1, value)]! += 1 / after.length;
    const mean = sum / windows;
    const variance = squares / windows - mean * mean;
    return {
      seconds,
      windowLaw,
      arrivalLaw,
      windowMean: mean,
      indexOfDispersion: mean > 0 ? variance / mean : Number.NaN,
      windows,
      arrivals: after.length,
    };
  });
}

/** The largest gap between the distribution functions of two count laws (pooled top level). */
function kolmogorovDistance(trace: Float64Array, fitted: Float64Array): number {
  let traceCdf = 0;
  let fittedCdf = 0;
  let distance = 0;
  // The last level pools everything above it, so its CDF is 1 on both sides.
  for (let level = 0; level + 1 < trace.length; level++) {
    traceCdf += trace[level]!;
    fittedCdf += fitted[level]!;
    distance = Math.max(distance, Math.abs(traceCdf - fittedCdf));
  }
  return distance;
}

/**
 * How well a MAP reproduces a trace's counting statistics ({@link traceCounts}): per window
 * length, the Kolmogorov distance between the count laws in tiled windows and after an arrival
 * (from `mapCountDistributions` of @mbs/markov) and the index of dispersion of both; the score is
 * the mean over lengths of the larger distance. Batching depends on exactly these counts (how
 * many requests arrive within a timeout of a batch's first one), which the first moments of the
 * gaps do not pin down.
 *
 * @example
 * ```ts
 * const { score } = countingMatch(fit.map, traceCounts(times));
 * ```
 */
export function countingMatch(
  map: MarkovianArrivalProcess,
  counts: readonly TraceCounts[],
): CountingMatch {
  const lengths = counts.map((entry) => entry.seconds);
  checkLengths(lengths, 'countingMatch');
  const levels = Math.max(...counts.map((entry) => entry.windowLaw.length));
  const fromTime = mapCountDistributions(map, lengths, { levels });
  const fromArrival = mapCountDistributions(map, lengths, { start: 'arrival', levels });
  const dispersion = mapIndexOfDispersion(map, lengths);
  const pooled = (probabilities: Float64Array, tail: number, size: number) => {
    const law = probabilities.slice(0, size);
    let above = tail;
    for (let level = size; level < probabilities.length; level++) above += probabilities[level]!;
    law[size - 1]! += above;
    return law;
  };
  const windows: CountWindowMatch[] = counts.map((entry, index) => {
    const size = entry.windowLaw.length;
    const time = fromTime[index]!;
    const arrival = fromArrival[index]!;
    return {
      seconds: entry.seconds,
      windowDistance: kolmogorovDistance(
        entry.windowLaw,
        pooled(time.probabilities, time.tail, size),
      ),
      arrivalDistance: kolmogorovDistance(
        entry.arrivalLaw,
        pooled(arrival.probabilities, arrival.tail, size),
      ),
      indexOfDispersion: { target: entry.indexOfDispersion, fitted: dispersion[index]! },
    };
  });
  const score =
    windows.reduce(
      (sum, window) => sum + Math.max(window.windowDistance, window.arrivalDistance),
      0,
    ) / windows.length;
  return { score, windows };
}
