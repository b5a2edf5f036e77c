import type { MarkovianArrivalProcess } from '@mbs/core';
import { createRandom, type MbsError } from '@mbs/core';
import {
  createInterArrivalStatistics,
  fitMap2,
  fitTargetsFromStatistics,
  poissonMap,
} from '@mbs/markov';
import {
  countingMatch,
  DEFAULT_COUNT_WINDOWS_SECONDS,
  traceCounts,
} from './counting-statistics.js';
import { errors } from './errors.js';
import { fitWindow } from './fit-workload.js';

/** One arrival of a window with its size class (0-based). */
export interface ClassedArrival {
  /** Arrival time in seconds; non-decreasing along the window. */
  readonly timeSeconds: number;
  /** Size class, in 0..classCount-1. */
  readonly classId: number;
}

/**
 * A contiguous range of classes, as @mbs/optimizer's `ClassRange` describes it (structurally, so
 * this package need not depend on the optimizer): classes `firstClass..firstClass + portions.length - 1`
 * and the portion of each routed to the range.
 */
export interface ArrivalClassRange {
  readonly firstClass: number;
  readonly portions: readonly number[];
}

/** Options of {@link createRangeArrivals}. */
export interface RangeArrivalsOptions {
  /** Seed of the draw that thins a split boundary class; default 1. */
  readonly seed?: number;
  /**
   * Sub-streams with fewer arrivals are fitted as a Poisson process at their rate (their SCV,
   * third moment and lag-1 autocorrelation are noise); default 50.
   */
  readonly minimumArrivals?: number;
  /**
   * Length of the window in seconds, for the rate of sub-streams too small to fit; default the
   * span from the first to the last arrival.
   */
  readonly durationSeconds?: number;
  /**
   * How a sub-stream is fitted: `moments` (default), a MAP(2) matching rate, SCV, third moment
   * and lag-1 autocorrelation; `counts`, the fit `fitWorkload`'s `auto` would choose for it (by
   * how well it reproduces the sub-stream's counts at `countWindowsSeconds`), competing with
   * `candidate` when given.
   */
  readonly fit?: 'moments' | 'counts';
  /** With `counts`: window lengths (ascending, seconds); default 5 ms to 1 s. */
  readonly countWindowsSeconds?: readonly number[];
  /**
   * With `counts`: another model of each range's stream (e.g. a marked MAP's restriction,
   * `markedRangeArrivals`), kept instead of the range's own fit when it reproduces the range's
   * counts at least as well.
   */
  readonly candidate?: (range: ArrivalClassRange) => MarkovianArrivalProcess;
}

/** How the ranges' streams were modelled so far, for reports. */
export interface RangeFitSummary {
  /** Ranges fitted. */
  readonly ranges: number;
  /** Ranges whose own fit was kept (with `counts`: it reproduced their counts better). */
  readonly ownFits: number;
  /** Ranges that kept the candidate. */
  readonly candidates: number;
  /** Ranges too small to fit: Poisson at their rate. */
  readonly poisson: number;
  /** Mean counting score of the kept models (with `counts`; 0 = exact). */
  readonly meanScore?: number;
}

/** Each range's stream, as `OptimizationProblem.rangeArrivals` takes it, with a summary. */
export type RangeArrivals = ((range: ArrivalClassRange) => MarkovianArrivalProcess) & {
  /** How the ranges fitted so far were modelled. */
  readonly summary: () => RangeFitSummary;
};

/** Sub-streams smaller than this get a Poisson fit unless asked otherwise. */
export const DEFAULT_RANGE_MINIMUM_ARRIVALS = 50;

function optionError(option: string, value: unknown, accepted: string): MbsError {
  return errors.error(
    'OPTION_INVALID',
    `createRangeArrivals ${option} is ${JSON.stringify(value)}; accepted: ${accepted}`,
    { details: { option, value } },
  );
}

/**
 * The arrival stream each class range of one window receives, fitted from the window's own
 * arrivals, for @mbs/optimizer's `OptimizationProblem.rangeArrivals`. Thinning the window's MAP by
 * a range's share assumes a request's class is independent of when it arrives; when sizes are
 * correlated in time (bursts of long prompts), a range's own stream is burstier than that, and
 * this fits it instead.
 *
 * For a range, the arrivals whose class lies in it are kept; a boundary class taken with portion
 * p < 1 keeps each of its arrivals by a seeded uniform draw u fixed per arrival (u >= 1 - p for
 * the range's first class, u < p otherwise), so the two neighbours sharing a split class receive
 * complementary halves of it. (A range made of a single partial class takes u < p: the right
 * share, though not the exact complement of its neighbours'.) The kept sub-stream's rate, SCV,
 * third moment and lag-1 autocorrelation are fitted with `fitMap2` (the nearest feasible MAP(2)
 * when outside its region), or with `fit: 'counts'` by the counting selection of `fitWindow`
 * (against `candidate`, if any); with fewer than `minimumArrivals` arrivals, a Poisson process at
 * count / window length (at least one arrival's worth). Fits are cached per range.
 *
 * @example
 * ```ts
 * const rangeArrivals = createRangeArrivals(arrivals, classCount);
 * const problem = { ...problem, rangeArrivals };
 * ```
 * @throws MbsError `OPTION_INVALID` for a class count that is not a positive integer, an arrival
 *   whose class is outside 0..classCount-1 or whose time goes backwards (named by its index), or
 *   bad options; `FIT_FAILED` (naming the range) when a sub-stream cannot be fitted.
 */
export function createRangeArrivals(
  arrivals: readonly ClassedArrival[],
  classCount: number,
  options: RangeArrivalsOptions = {},
): RangeArrivals {
  if (!Number.isInteger(classCount) || classCount < 1)
    throw optionError('classCount', classCount, 'an integer >= 1');
  const minimumArrivals = options.minimumArrivals ?? DEFAULT_RANGE_MINIMUM_ARRIVALS;
  if (!Number.isInteger(minimumArrivals) || minimumArrivals < 3)
    throw optionError('minimumArrivals', minimumArrivals, 'an integer >= 3');
  const first = arrivals[0]?.timeSeconds ?? 0;
  const last = arrivals[arrivals.length - 1]?.timeSeconds ?? 0;
  const durationSeconds = options.durationSeconds ?? last - first;
  if (!(durationSeconds > 0) || !Number.isFinite(durationSeconds))
    throw optionError(
      'durationSeconds',
      durationSeconds,
      'a finite number > 0 (or arrivals spanning a positive time)',
    );
  // Split by class once, so a range scans only its own classes' arrivals.
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  arrivals.forEach((arrival, index) => {
    const { classId, timeSeconds } = arrival;
    if (!Number.isInteger(classId) || classId < 0 || classId >= classCount)
      throw optionError(
        `arrivals[${index}].classId`,
        classId,
        `an integer in 0..${classCount - 1}`,
      );
    if (index > 0 && timeSeconds < arrivals[index - 1]!.timeSeconds)
      throw optionError(`arrivals[${index}].timeSeconds`, timeSeconds, 'times in ascending order');
    byClass[classId]!.push(index);
  });
  const random = createRandom(options.seed ?? 1);
  const draws = Float64Array.from(arrivals, () => random.next());
  const fits = new Map<string, MarkovianArrivalProcess>();
  const tally = { ranges: 0, ownFits: 0, candidates: 0, poisson: 0, scoreSum: 0, scored: 0 };
  const fitStream = (indices: readonly number[], range: ArrivalClassRange, key: string) => {
    if (options.fit !== 'counts' || indices.length < minimumArrivals) {
      const map = fitSubStream(indices, arrivals, minimumArrivals, durationSeconds, key);
      if (map.d0.length === 1 && indices.length < minimumArrivals) tally.poisson++;
      else tally.ownFits++;
      return map;
    }
    const times = indices.map((index) => arrivals[index]!.timeSeconds);
    const gaps = times.slice(1).map((time, position) => time - times[position]!);
    const windows = options.countWindowsSeconds ?? DEFAULT_COUNT_WINDOWS_SECONDS;
    let own: { map: MarkovianArrivalProcess; score: number };
    try {
      const fitted = fitWindow(gaps, 'auto', `range ${key}`, { countWindowsSeconds: windows });
      own = { map: fitted.map, score: fitted.report.counting?.score ?? Number.POSITIVE_INFINITY };
    } catch {
      // Simultaneous arrivals only, and the like: the rate is all there is to fit.
      tally.poisson++;
      return poissonMap(Math.max(indices.length, 1) / durationSeconds);
    }
    const candidate = options.candidate?.(range);
    const candidateScore = candidate
      ? countingMatch(candidate, traceCounts(times, windows)).score
      : Number.POSITIVE_INFINITY;
    const keepCandidate = candidate !== undefined && candidateScore <= own.score;
    if (keepCandidate) tally.candidates++;
    else tally.ownFits++;
    const score = keepCandidate ? candidateScore : own.score;
    if (Number.isFinite(score)) {
      tally.scoreSum += score;
      tally.scored++;
    }
    return keepCandidate ? candidate : own.map;
  };

  const rangeArrivals = (range: ArrivalClassRange) => {
    const key = `${range.firstClass}:${range.portions.join(',')}`;
    const cached = fits.get(key);
    if (cached) return cached;
    const kept: number[] = [];
    range.portions.forEach((portion, offset) => {
      const classId = range.firstClass + offset;
      const members = byClass[classId];
      if (!members)
        throw optionError('range', range, `classes within 0..${classCount - 1} (got ${classId})`);
      if (!(portion > 0)) return;
      const takesUpperPart = offset === 0 && range.portions.length > 1;
      for (const index of members) {
        const draw = draws[index]!;
        if (portion >= 1 || (takesUpperPart ? draw >= 1 - portion : draw < portion))
          kept.push(index);
      }
    });
    kept.sort((a, b) => a - b);
    const map = fitStream(kept, range, key);
    tally.ranges++;
    fits.set(key, map);
    return map;
  };
  return Object.assign(rangeArrivals, {
    summary: (): RangeFitSummary => ({
      ranges: tally.ranges,
      ownFits: tally.ownFits,
      candidates: tally.candidates,
      poisson: tally.poisson,
      ...(tally.scored > 0 ? { meanScore: tally.scoreSum / tally.scored } : {}),
    }),
  });
}

/** The MAP of the arrivals at `indices` (ascending), or Poisson when they are too few to fit. */
function fitSubStream(
  indices: readonly number[],
  arrivals: readonly ClassedArrival[],
  minimumArrivals: number,
  durationSeconds: number,
  label: string,
): MarkovianArrivalProcess {
  const statistics = createInterArrivalStatistics(1);
  for (let position = 1; position < indices.length; position++) {
    statistics.add(
      arrivals[indices[position]!]!.timeSeconds - arrivals[indices[position - 1]!]!.timeSeconds,
    );
  }
  const result = indices.length > 1 ? statistics.result() : undefined;
  // Too few arrivals, or all at one instant: only the rate is known.
  if (indices.length < minimumArrivals || !result || !(result.mean > 0))
    return poissonMap(Math.max(indices.length, 1) / durationSeconds);
  try {
    return fitMap2(fitTargetsFromStatistics(result)).map;
  } catch (error) {
    throw errors.error(
      'FIT_FAILED',
      `createRangeArrivals: cannot fit the ${indices.length} arrivals of range ${label} (first class:portions) with a MAP(2): ${(error as Error).message}`,
      { cause: error, details: { range: label, arrivals: indices.length } },
    );
  }
}
