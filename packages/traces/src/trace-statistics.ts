import type { ClassScheme, CountingMatch, Trace, TraceReadReport } from '@mbs/core';
import { sortedQuantile } from '@mbs/core';
import { createInterArrivalStatistics, mapCountDistributions } from '@mbs/markov';
import { buildClassScheme, type ClassSchemeSpec, classShares } from './class-schemes.js';
import { DEFAULT_COUNT_WINDOWS_SECONDS, traceCounts } from './counting-statistics.js';
import { errors } from './errors.js';
import { fitWindow } from './fit-workload.js';
import { createSizeSample } from './size-sample.js';

/** Options of {@link traceStatistics}. */
export interface TraceStatisticsOptions {
  /** A class scheme, or how to build one from the trace's sizes; default 8 quantile classes. */
  readonly classes?: ClassScheme | ClassSchemeSpec;
  /** Autocorrelation lags 1..lags of the inter-arrival times; default 5. */
  readonly lags?: number;
  /**
   * Window lengths in seconds (ascending) of the counting statistics; default
   * {@link DEFAULT_COUNT_WINDOWS_SECONDS} (5 ms to 1 s, the batching timeouts in play).
   */
  readonly countWindowsSeconds?: readonly number[];
  /**
   * Also fit the whole trace as `fitWorkload` would (method `auto`) and report how well the fit
   * reproduces the counting statistics; default true. Needs 50 arrivals.
   */
  readonly fitCounts?: boolean;
}

/** The counts of arrivals of a trace at one window length. */
export interface CountSummary {
  readonly seconds: number;
  /** Mean arrivals per window tiled from the first arrival. */
  readonly windowMean: number;
  /** Index of dispersion of those counts, Var / mean (1 for Poisson). */
  readonly indexOfDispersion: number;
  /** Share of arrivals followed by another within the window length (they would share a batch). */
  readonly followedShare: number;
}

/** Counting statistics of a trace and, when asked, how well its fit reproduces them. */
export interface CountingSummary {
  readonly windows: readonly CountSummary[];
  /** The fit `auto` chooses for the whole trace, why, and its match per window length. */
  readonly fit?: {
    readonly method: string;
    readonly reason?: string;
    readonly match: CountingMatch;
    /** Share of arrivals followed by another within each window length, under the fit. */
    readonly followedShares: readonly number[];
  };
}

/** Statistics of the inter-arrival times of a trace (seconds). */
export interface InterArrivalSummary {
  /** Inter-arrival times: arrivals - 1. */
  readonly count: number;
  readonly meanSeconds: number;
  /** Squared coefficient of variation (1 for Poisson arrivals). */
  readonly scv: number;
  /** Raw moments E[X], E[X^2], E[X^3] in seconds, seconds^2, seconds^3. */
  readonly moments: readonly number[];
  /** Autocorrelations of lag 1..k. */
  readonly autocorrelations: readonly number[];
}

/** Percentiles of request sizes (nearest rank, so each is a size that occurred). */
export interface SizeSummary {
  readonly min: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Size classes of a trace and each one's share of requests. */
export interface ClassSummary {
  readonly upperEdges: readonly number[];
  /** The size a batch of each class pads to. */
  readonly representativeSizes: readonly number[];
  readonly shares: readonly number[];
  readonly counts: readonly number[];
}

/** What {@link traceStatistics} measures. */
export interface TraceStatistics {
  readonly source: string;
  readonly format: string;
  readonly sizeUnit?: string;
  /** Arrivals. */
  readonly count: number;
  /** Seconds from the first to the last arrival. */
  readonly durationSeconds: number;
  /** Arrivals per second: inter-arrival count over duration (1 / mean inter-arrival). */
  readonly rateRequestsPerSecond: number;
  /** Absent for a trace of a single arrival. */
  readonly interArrival?: InterArrivalSummary;
  readonly sizes: SizeSummary;
  readonly classes: ClassSummary;
  /** What the reader read and skipped. */
  readonly read: TraceReadReport;
  /** Counts of arrivals in windows of the batching time scales (absent below two arrivals). */
  readonly counting?: CountingSummary;
}

/** Lags reported when none are asked for. */
export const DEFAULT_LAGS = 5;

function isScheme(value: ClassScheme | ClassSchemeSpec): value is ClassScheme {
  return typeof (value as ClassScheme).classOf === 'function';
}

/**
 * Reads a trace once and measures it: arrival count, duration, rate, inter-arrival mean, SCV,
 * moments and autocorrelations (streaming), size percentiles and class shares. Sizes are kept
 * in memory for exact percentiles and quantile classes: 8 bytes per arrival (80 MB for 10
 * million arrivals, twice that while the buffer grows).
 *
 * @example
 * ```ts
 * const statistics = await traceStatistics(createCsvTraceReader().read('azure.csv'), {
 *   classes: { by: 'quantile', count: 8 },
 *   lags: 5,
 * });
 * statistics.rateRequestsPerSecond; // 5.4
 * ```
 */
export async function traceStatistics(
  trace: Trace,
  options: TraceStatisticsOptions = {},
): Promise<TraceStatistics> {
  const lags = options.lags ?? DEFAULT_LAGS;
  if (!Number.isSafeInteger(lags) || lags < 1 || lags > 1000) {
    throw errors.error('OPTION_INVALID', `lags is ${lags}; give an integer from 1 to 1000`, {
      details: { lags },
    });
  }
  const interArrivals = createInterArrivalStatistics(lags);
  const sizes = createSizeSample();
  const times = createSizeSample();
  let count = 0;
  let first = 0;
  let previous = 0;
  let sizeSum = 0;
  for await (const arrival of trace) {
    if (count === 0) first = arrival.timeSeconds;
    else interArrivals.add(arrival.timeSeconds - previous);
    previous = arrival.timeSeconds;
    times.add(arrival.timeSeconds);
    sizes.add(arrival.size);
    sizeSum += arrival.size;
    count++;
  }
  if (count === 0) {
    throw errors.error('TRACE_EMPTY', `${trace.metadata.source}: the trace has no arrivals`, {
      details: { source: trace.metadata.source },
    });
  }
  const sorted = sizes.sortInPlace();
  const scheme = isScheme(options.classes ?? {})
    ? (options.classes as ClassScheme)
    : buildClassScheme((options.classes ?? {}) as ClassSchemeSpec, sorted);
  const shares = classShares(scheme, sorted);
  const durationSeconds = previous - first;
  const metadata = trace.metadata;
  const result = count > 1 ? interArrivals.result() : undefined;
  const counting =
    count > 1 && durationSeconds > 0
      ? countingSummary(times.values(), options, trace.metadata.source)
      : undefined;
  return {
    source: metadata.source,
    format: metadata.format,
    ...(metadata.sizeUnit === undefined ? {} : { sizeUnit: metadata.sizeUnit }),
    count,
    durationSeconds,
    rateRequestsPerSecond: count > 1 && durationSeconds > 0 ? (count - 1) / durationSeconds : 0,
    ...(result
      ? {
          interArrival: {
            count: result.count,
            meanSeconds: result.mean,
            scv: result.scv,
            moments: result.moments,
            autocorrelations: result.autocorrelations,
          },
        }
      : {}),
    sizes: {
      min: sorted[0]!,
      mean: sizeSum / count,
      p50: sortedQuantile(sorted, 0.5),
      p90: sortedQuantile(sorted, 0.9),
      p99: sortedQuantile(sorted, 0.99),
      max: sorted[sorted.length - 1]!,
    },
    classes: {
      upperEdges: scheme.upperEdges,
      representativeSizes: scheme.upperEdges.map((_, classId) =>
        scheme.representativeSize(classId),
      ),
      shares,
      counts: shares.map((share) => Math.round(share * count)),
    },
    read: trace.report(),
    ...(counting ? { counting } : {}),
  };
}

/** Fewest arrivals for which the counting fit is attempted. */
const MINIMUM_FIT_ARRIVALS = 50;

function countingSummary(
  times: Float64Array,
  options: TraceStatisticsOptions,
  source: string,
): CountingSummary {
  const lengths = options.countWindowsSeconds ?? DEFAULT_COUNT_WINDOWS_SECONDS;
  const counts = traceCounts(times, lengths);
  const windows = counts.map((entry) => ({
    seconds: entry.seconds,
    windowMean: entry.windowMean,
    indexOfDispersion: entry.indexOfDispersion,
    followedShare: 1 - entry.arrivalLaw[0]!,
  }));
  if (options.fitCounts === false || times.length < MINIMUM_FIT_ARRIVALS) return { windows };
  const gaps = times.subarray(1).map((time, index) => time - times[index]!);
  const { map, report } = fitWindow(gaps, 'auto', source, { countWindowsSeconds: lengths });
  const match = report.counting!;
  // A window of `levels: 1` keeps only P(no arrival), all the followed share needs.
  const followedShares = mapCountDistributions(map, lengths, { start: 'arrival', levels: 1 }).map(
    (law) => 1 - law.probabilities[0]!,
  );
  return {
    windows,
    fit: {
      method: report.method,
      ...(report.selection ? { reason: report.selection.reason } : {}),
      match,
      followedShares,
    },
  };
}
