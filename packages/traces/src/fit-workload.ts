import type { ClassScheme, MbsError, Trace, WorkloadDocument, WorkloadWindow } from '@mbs/core';
import {
  createInterArrivalStatistics,
  type EmProgress,
  fitMap2,
  fitMapEm,
  fitPoisson,
  fitTargetsFromStatistics,
  type InterArrivalStatistics,
  MAX_EM_PHASES,
  type MapFit,
} from '@mbs/markov';
import { CLASS_MARKS_MODES, type ClassMarksMode, fitClassMarks } from './class-marks.js';
import { buildClassScheme, type ClassSchemeSpec, classShares } from './class-schemes.js';
import {
  countingMatch,
  DEFAULT_COUNT_WINDOWS_SECONDS,
  type TraceCounts,
  traceCounts,
} from './counting-statistics.js';
import { errors } from './errors.js';
import { type SelectedFit, selectFitByCounts } from './select-fit.js';
import { createSizeSample } from './size-sample.js';
import { splitWindows } from './windows.js';

/**
 * How each window's MAP is chosen: `map2` matches moments with a MAP(2); `map-em` fits a MAP of
 * `phases` phases by maximum likelihood (EM); `auto` keeps Poisson for Poisson-looking windows and
 * otherwise picks, among those, the fit that best reproduces the window's counting statistics.
 */
export type FitMethod = 'auto' | 'poisson' | 'map2' | 'map-em';

/** Options of {@link fitWorkload}. */
export interface FitWorkloadOptions {
  /** Window length in seconds; default the whole trace as one window. */
  readonly windowSeconds?: number;
  /** A class scheme, or how to build one from the trace's sizes; default 8 quantile classes. */
  readonly classes?: ClassScheme | ClassSchemeSpec;
  /**
   * `auto` (default): Poisson when the window's SCV and lag-1 autocorrelation are within two
   * standard errors of a Poisson process's (1 and 0); else, with `phases`, a maximum-likelihood
   * MAP of that many phases; else the fit that best reproduces the window's counts of arrivals in
   * the `countWindowsSeconds` lengths: the MAP(2) by moments when it matches within sampling
   * noise, otherwise the simplest of it and maximum-likelihood MAPs of 2, 3 and 4 phases within
   * 10 % of the best (the report's `selection` lists them). Or force one.
   */
  readonly method?: FitMethod;
  /**
   * Phases (2..10) of a MAP fitted by maximum likelihood (`fitMapEm` of @mbs/markov) to each
   * window `auto` does not keep Poisson, or to every window with `map-em`. Default: unset, so
   * `auto` chooses by counting statistics; `map-em` uses 4. Not accepted with `poisson` or `map2`.
   */
  readonly phases?: number;
  /** Windows with fewer arrivals merge into the next one (the last into the previous); default 10. */
  readonly minimumWindowArrivals?: number;
  /**
   * How classes are modelled (see {@link ClassMarksMode}): `auto` (default) fits a marked MAP to
   * each window whose fit is `auto` or `map-em` and keeps it when classes depend on the arrivals,
   * so each buffer's stream is its classes' restriction; `independent` always thins; `fitted`
   * always keeps the marked MAP (not with `poisson` or `map2`).
   */
  readonly marks?: ClassMarksMode;
  /**
   * Window lengths in seconds (ascending) at which the fit's counting statistics are compared with
   * the trace's, and by which `auto` chooses its fit: the batching timeouts in play. Default
   * {@link DEFAULT_COUNT_WINDOWS_SECONDS} (5 ms to 1 s).
   */
  readonly countWindowsSeconds?: readonly number[];
  /**
   * Progress of maximum-likelihood fits, one line per EM iteration: the window (i of n), the
   * stage and iteration, and the log-likelihood.
   */
  readonly onProgress?: (message: string) => void;
  /**
   * Called once the trace is read and classed, before any window is fitted (which takes most of
   * the time): the classes and each window's class shares, all that depends on sizes alone. A
   * caller can answer what needs no arrival model (e.g. a latency floor) before the fits.
   */
  readonly onClasses?: (classes: ClassedWorkload) => void | Promise<void>;
}

/** A workload's classes and windows before their arrivals are fitted (see `onClasses`). */
export interface ClassedWorkload {
  readonly classUpperEdges: readonly number[];
  readonly classRepresentativeSizes: readonly number[];
  readonly windows: readonly {
    readonly startSeconds: number;
    readonly endSeconds: number;
    readonly arrivals: number;
    readonly classShares: readonly number[];
  }[];
}

/** Windows with fewer arrivals than this merge into a neighbour unless asked otherwise. */
export const DEFAULT_MINIMUM_WINDOW_ARRIVALS = 10;

/** The fit methods, for option validation. */
export const FIT_METHODS: readonly FitMethod[] = ['auto', 'poisson', 'map2', 'map-em'];

/** Phases of the `map-em` fit when no `phases` option is given. */
export const DEFAULT_EM_PHASES = 4;

/** Options of {@link fitWindow}. */
export interface FitWindowOptions {
  /** Phases of the maximum-likelihood MAP, as {@link FitWorkloadOptions.phases}. */
  readonly phases?: number;
  /** As {@link FitWorkloadOptions.countWindowsSeconds}. */
  readonly countWindowsSeconds?: readonly number[];
  /** Called after each EM iteration of a maximum-likelihood fit (`fitMapEm`'s `onIteration`). */
  readonly onIteration?: (progress: EmProgress) => void;
}

function optionError(option: string, value: unknown, accepted: string): MbsError {
  return errors.error(
    'OPTION_INVALID',
    `${option} is ${JSON.stringify(value)}; accepted: ${accepted}`,
    { details: { option, value } },
  );
}

/**
 * Fits one window's inter-arrival times: Poisson, a MAP(2) matching rate, SCV, third moment and
 * lag-1 autocorrelation, or a maximum-likelihood MAP of `phases` phases. `auto` keeps Poisson
 * when the SCV is within two standard errors of 1 (the sample SCV of n exponential gaps has
 * standard error about 2 / sqrt(n)) and the lag-1 autocorrelation within two standard errors of
 * 0 (about 1 / sqrt(n)); otherwise, without `phases`, it chooses by counting statistics (see
 * {@link FitWorkloadOptions.method}). Every report carries the fit's counting match.
 *
 * @example
 * ```ts
 * const { map, report } = fitWindow(gaps, 'auto', 'azure 0-600 s', { phases: 4 });
 * ```
 * @throws MbsError `OPTION_INVALID` for `phases` out of 2..10 or given with `poisson` or `map2`;
 *   `FIT_FAILED` when the window cannot be fitted (message names the window).
 */
export function fitWindow(
  gaps: ArrayLike<number>,
  method: FitMethod,
  label: string,
  options: FitWindowOptions = {},
): MapFit {
  const phases = checkPhases(method, options.phases);
  const statistics = createInterArrivalStatistics(1);
  const times = new Float64Array(gaps.length + 1);
  for (let index = 0; index < gaps.length; index++) {
    statistics.add(gaps[index]!);
    times[index + 1] = times[index]! + gaps[index]!;
  }
  const windows = options.countWindowsSeconds ?? DEFAULT_COUNT_WINDOWS_SECONDS;
  return fitStatistics(
    statistics,
    gaps,
    method,
    phases,
    label,
    () => traceCounts(times, windows),
    options.onIteration,
  ).fit;
}

/** The EM phase count `method` and `phases` ask for, or undefined for the moment fits. */
function checkPhases(method: FitMethod, phases: number | undefined): number | undefined {
  if (phases === undefined) return method === 'map-em' ? DEFAULT_EM_PHASES : undefined;
  if (method === 'poisson' || method === 'map2') {
    throw optionError(
      'phases',
      phases,
      `leave it out with method ${method}, or use auto or map-em`,
    );
  }
  if (!Number.isInteger(phases) || phases < 2 || phases > MAX_EM_PHASES) {
    throw optionError('phases', phases, `an integer in 2..${MAX_EM_PHASES}`);
  }
  return phases;
}

/**
 * {@link fitWindow} on gaps already added to `statistics` (lag 1 at least); `phases` set means
 * the non-Poisson fit is the EM one.
 */
function fitStatistics(
  statistics: InterArrivalStatistics,
  gaps: ArrayLike<number>,
  method: FitMethod,
  phases: number | undefined,
  label: string,
  counts: () => readonly TraceCounts[],
  onIteration?: (progress: EmProgress) => void,
): SelectedFit {
  const count = gaps.length;
  const result = count > 0 ? statistics.result() : undefined;
  if (!(result && result.mean > 0 && Number.isFinite(result.mean))) {
    throw errors.error(
      'FIT_FAILED',
      `${label}: cannot fit ${count} inter-arrival times of mean ${result?.mean ?? 'none'} s; a window needs two arrivals at different times`,
      { details: { window: label, count, mean: result?.mean } },
    );
  }
  const standardErrors = Math.sqrt(result.count);
  const scv = result.scv;
  const lag1 = result.autocorrelations[0];
  // Too few gaps to tell (lag 1 undefined) is Poisson too: a MAP(2) would fit noise.
  const looksPoisson =
    lag1 === undefined ||
    Number.isNaN(lag1) ||
    (Math.abs(scv - 1) <= 4 / standardErrors && Math.abs(lag1) <= 2 / standardErrors);
  const usePoisson = method === 'poisson' || (method === 'auto' && looksPoisson);
  try {
    const windowCounts = counts();
    if (!usePoisson && phases === undefined && method === 'auto') {
      return selectFitByCounts(result, gaps, windowCounts, onIteration);
    }
    const em =
      !usePoisson && phases !== undefined
        ? fitMapEm(gaps, { phases, ...(onIteration ? { onIteration } : {}) })
        : undefined;
    const fit = em ?? (usePoisson ? fitPoisson(result) : fitMap2(fitTargetsFromStatistics(result)));
    return {
      fit: {
        map: fit.map,
        report: { ...fit.report, counting: countingMatch(fit.map, windowCounts) },
      },
      ...(em ? { bestEm: em } : {}),
    };
  } catch (error) {
    const [name, fix] = usePoisson
      ? ['Poisson', "the window's inter-arrival times need a positive mean and variance"]
      : phases === undefined
        ? ['MAP(2)', "the window's inter-arrival times need a positive mean and variance"]
        : [
            `MAP(${phases}) EM`,
            'use fewer phases, longer windows, or the moment fit (method map2) for windows with simultaneous arrivals',
          ];
    throw errors.error(
      'FIT_FAILED',
      `${label}: ${name} fit failed (${(error as Error).message}); ${fix}`,
      {
        cause: error,
        details: { window: label, rate: result.rate, scv: result.scv },
      },
    );
  }
}

/**
 * Fits a workload document to a trace: a class scheme over all its sizes, then per window of
 * `windowSeconds` a MAP (Poisson, MAP(2), or a maximum-likelihood MAP(n) with `phases`, see
 * {@link fitWindow}) with target vs fitted statistics, the arrival count and the class shares.
 * Reads the trace once and keeps every arrival time and size in memory, plus a sorted copy of the
 * sizes for the class scheme and one window's gaps: up to 32 bytes per arrival (320 MB for 10
 * million); the EM fit adds about 8 x (2 phases + 6) bytes per gap of the window it fits.
 *
 * @example
 * ```ts
 * const workload = await fitWorkload(createCsvTraceReader().read('azure.csv'), {
 *   windowSeconds: 600,
 *   classes: { by: 'quantile', count: 8 },
 * });
 * await writeFile('workload.json', JSON.stringify(workload, null, 2));
 * ```
 */
export async function fitWorkload(
  trace: Trace,
  options: FitWorkloadOptions = {},
): Promise<WorkloadDocument> {
  const windowSeconds = options.windowSeconds ?? Number.POSITIVE_INFINITY;
  if (!(windowSeconds > 0)) {
    throw optionError('windowSeconds', windowSeconds, 'a number of seconds > 0');
  }
  const method = options.method ?? 'auto';
  if (!FIT_METHODS.includes(method)) throw optionError('method', method, FIT_METHODS.join(', '));
  const marks = options.marks ?? 'auto';
  if (!CLASS_MARKS_MODES.includes(marks))
    throw optionError('marks', marks, CLASS_MARKS_MODES.join(', '));
  if (marks === 'fitted' && (method === 'poisson' || method === 'map2'))
    throw optionError('marks', marks, `auto or independent with method ${method}`);
  const phases = checkPhases(method, options.phases);
  const countWindows = options.countWindowsSeconds ?? DEFAULT_COUNT_WINDOWS_SECONDS;
  const minimum = options.minimumWindowArrivals ?? DEFAULT_MINIMUM_WINDOW_ARRIVALS;
  if (!Number.isSafeInteger(minimum) || minimum < 2) {
    throw optionError('minimumWindowArrivals', minimum, 'an integer >= 2');
  }
  // Times use the same growable typed array as sizes.
  const times = createSizeSample();
  const sizes = createSizeSample();
  for await (const arrival of trace) {
    times.add(arrival.timeSeconds);
    sizes.add(arrival.size);
  }
  const source = trace.metadata.source;
  if (times.count < 2) {
    throw errors.error(
      times.count === 0 ? 'TRACE_EMPTY' : 'FIT_FAILED',
      `${source}: ${times.count} arrivals; fitting needs at least 2`,
      { details: { source, arrivals: times.count } },
    );
  }
  const classes = options.classes ?? {};
  const scheme =
    typeof (classes as ClassScheme).classOf === 'function'
      ? (classes as ClassScheme)
      : buildClassScheme(classes as ClassSchemeSpec, sizes.sorted(), source);
  const allTimes = times.values();
  const allSizes = sizes.values();
  const spans = splitWindows(allTimes, windowSeconds, minimum);
  const shares = spans.map((span) => classShares(scheme, allSizes.subarray(span.from, span.to)));
  const representativeSizes = scheme.upperEdges.map((_, classId) =>
    scheme.representativeSize(classId),
  );
  await options.onClasses?.({
    classUpperEdges: [...scheme.upperEdges],
    classRepresentativeSizes: representativeSizes,
    windows: spans.map((span, index) => ({
      startSeconds: span.startSeconds,
      endSeconds: span.endSeconds,
      arrivals: span.to - span.from,
      classShares: shares[index]!,
    })),
  });
  const windows: WorkloadWindow[] = spans.map((span, windowIndex) => {
    const onIteration = options.onProgress
      ? (progress: EmProgress) =>
          options.onProgress!(
            `window ${windowIndex + 1} of ${spans.length}: EM ${progress.stage} iteration ${progress.iteration} of ${progress.stage === 'fitting' ? 'at most ' : ''}${progress.iterations}, log-likelihood ${progress.logLikelihood.toFixed(1)}`,
          )
      : undefined;
    const label = `${source} window ${span.startSeconds}-${span.endSeconds} s`;
    const statistics = createInterArrivalStatistics(1);
    const gaps = new Float64Array(Math.max(0, span.to - span.from - 1));
    for (let index = span.from + 1; index < span.to; index++) {
      const gap = allTimes[index]! - allTimes[index - 1]!;
      statistics.add(gap);
      gaps[index - span.from - 1] = gap;
    }
    const windowCounts = traceCounts(allTimes.subarray(span.from, span.to), countWindows);
    const selected = fitStatistics(
      statistics,
      gaps,
      method,
      phases,
      label,
      () => windowCounts,
      onIteration,
    );
    const windowSizes = allSizes.subarray(span.from, span.to);
    const { fit, classArrivals } =
      method === 'auto' || method === 'map-em'
        ? fitClassMarks({
            gaps,
            classes: Uint32Array.from(windowSizes, (size) => scheme.classOf(size)),
            classCount: scheme.count,
            chosen: selected.fit,
            ...(selected.bestEm ? { base: selected.bestEm } : {}),
            counts: windowCounts,
            mode: marks,
          })
        : { fit: selected.fit, classArrivals: undefined };
    return {
      startSeconds: span.startSeconds,
      endSeconds: span.endSeconds,
      arrivals: span.to - span.from,
      map: fit.map,
      classShares: shares[windowIndex]!,
      ...(classArrivals ? { classArrivals } : {}),
      fit: fit.report,
    };
  });
  const sizeUnit = trace.metadata.sizeUnit;
  return {
    schema: 'mbs.workload',
    version: 1,
    source,
    ...(sizeUnit === undefined ? {} : { sizeUnit }),
    classUpperEdges: [...scheme.upperEdges],
    classRepresentativeSizes: representativeSizes,
    windows,
  };
}
