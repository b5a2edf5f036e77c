import { classUpperEdgesOf, documentRoot, failDocument } from './document-checks.js';
import { isSquareMatrix } from './square-matrix.js';
import type { MarkovianArrivalProcess } from './workload.js';

/** Target vs fitted value of one statistic of a fit. */
export interface FitStatistic {
  readonly target: number;
  readonly fitted: number;
}

/** How well a MAP fits the arrivals of a window. */
export interface FitReport {
  /** Fitting method, e.g. `poisson`, `map2-moments`, `map2-nearest`. */
  readonly method: string;
  readonly rate: FitStatistic;
  readonly scv: FitStatistic;
  readonly thirdMoment?: FitStatistic;
  readonly lag1Autocorrelation?: FitStatistic;
  /** Why the fit could not match every target, with the gap. */
  readonly warnings: readonly string[];
}

/** One window of a fitted workload. */
export interface WorkloadWindow {
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** Arrivals seen in the window. */
  readonly arrivals: number;
  readonly map: MarkovianArrivalProcess;
  /** Share of each class among the window's requests; sums to 1. */
  readonly classShares: readonly number[];
  readonly fit?: FitReport;
}

/** The versioned file `mbs fit --out` writes and `mbs solve --workload` reads. */
export interface WorkloadDocument {
  readonly schema: 'mbs.workload';
  readonly version: 1;
  readonly source: string;
  readonly sizeUnit?: string;
  /** Upper edges of the size classes. */
  readonly classUpperEdges: readonly number[];
  /** The size each class pads to. */
  readonly classRepresentativeSizes: readonly number[];
  readonly windows: readonly WorkloadWindow[];
}

/**
 * Checks the arrival process of one window (`map` with square `d0`, `d1` of one order, and
 * `classShares`: one non-negative share per class, summing to 1), as a workload document and a
 * configuration document both hold it; DOCUMENT errors name `path`.
 */
export function checkWindowArrivals(
  source: string,
  path: string,
  candidate: { readonly map?: unknown; readonly classShares?: unknown },
  classCount: number,
): void {
  const map = candidate.map as { d0?: unknown; d1?: unknown } | undefined;
  if (
    !map ||
    !isSquareMatrix(map.d0) ||
    !isSquareMatrix(map.d1) ||
    map.d0.length !== map.d1.length
  ) {
    failDocument(source, `${path}.map`, 'must hold square matrices d0 and d1 of the same order');
  }
  const shares = candidate.classShares;
  if (
    !Array.isArray(shares) ||
    shares.length !== classCount ||
    shares.some((s) => typeof s !== 'number' || s < 0)
  ) {
    failDocument(source, `${path}.classShares`, `must be ${classCount} non-negative numbers`);
  }
  const total = (shares as number[]).reduce((sum, s) => sum + s, 0);
  if (Math.abs(total - 1) > 1e-6)
    failDocument(source, `${path}.classShares`, `must sum to 1; they sum to ${total}`);
}

/**
 * Parses the structure of a workload document (the JSON of `mbs fit`). The MAPs' validity rules
 * are checked by `@mbs/markov`'s `validateMap`, which callers run before using them.
 *
 * @example
 * ```ts
 * const workload = parseWorkloadDocument(JSON.parse(text), 'workload.json');
 * ```
 */
export function parseWorkloadDocument(value: unknown, source: string): WorkloadDocument {
  const object = documentRoot(value, source, 'mbs.workload');
  const edges = classUpperEdgesOf(object, source);
  const representatives = object.classRepresentativeSizes;
  if (!Array.isArray(representatives) || representatives.length !== edges.length) {
    failDocument(source, 'classRepresentativeSizes', `must be an array of ${edges.length} numbers`);
  }
  const windows = object.windows;
  if (!Array.isArray(windows) || windows.length === 0)
    failDocument(source, 'windows', 'must be a non-empty array');
  windows.forEach((window: unknown, index) => {
    const path = `windows[${index}]`;
    const candidate = window as Partial<Record<keyof WorkloadWindow, unknown>> | null;
    if (typeof candidate !== 'object' || candidate === null)
      failDocument(source, path, 'must be an object');
    checkWindowArrivals(source, path, candidate, edges.length);
    for (const key of ['startSeconds', 'endSeconds', 'arrivals'] as const) {
      if (typeof candidate[key] !== 'number')
        failDocument(source, `${path}.${key}`, 'must be a number');
    }
  });
  return object as unknown as WorkloadDocument;
}
