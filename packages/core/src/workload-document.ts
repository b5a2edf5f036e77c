import {
  checkWindowSpans,
  classUpperEdgesOf,
  documentRoot,
  failDocument,
} from './document-checks.js';
import { isSquareMatrix } from './square-matrix.js';
import type { MarkovianArrivalProcess } from './workload.js';

/** Target vs fitted value of one statistic of a fit. */
export interface FitStatistic {
  readonly target: number;
  readonly fitted: number;
}

/** How well a fitted process reproduces the counts of arrivals in windows of one length. */
export interface CountWindowMatch {
  /** Window length in seconds (a batching timeout in play). */
  readonly seconds: number;
  /**
   * Kolmogorov distance (largest gap between the distribution functions) between the trace's and
   * the fit's laws of the number of arrivals in a window starting at an arbitrary time.
   */
  readonly windowDistance: number;
  /** The same for the arrivals within the window after each arrival (what fills a batch). */
  readonly arrivalDistance: number;
  /** Index of dispersion of window counts, Var / mean (1 for Poisson), trace vs fit. */
  readonly indexOfDispersion: FitStatistic;
}

/** How well a fitted process reproduces a trace's counting statistics at the batching time scales. */
export interface CountingMatch {
  /** Mean over the window lengths of the larger of the two distances; 0 is a perfect match. */
  readonly score: number;
  readonly windows: readonly CountWindowMatch[];
}

/** One fit compared when the fit is chosen by its counting match. */
export interface FitCandidate {
  readonly method: string;
  /** Its {@link CountingMatch.score}. */
  readonly score: number;
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
  /** How well the fitted MAP reproduces the window's counts at the batching time scales. */
  readonly counting?: CountingMatch;
  /** When the fit was chosen among candidates by their counting match: each one, and why this one. */
  readonly selection?: {
    readonly candidates: readonly FitCandidate[];
    readonly reason: string;
  };
  /** Whether the classes were found to depend on the arrival process, and what was kept. */
  readonly marks?: ClassMarksReport;
}

/** The test of whether request classes depend on the arrival process (sizes correlated with time). */
export interface ClassMarksReport {
  /**
   * Twice the log-likelihood gained by a marked MAP (classes drawn by phase transition) over the
   * same stream with independent classes: large when classes follow the stream's state.
   */
  readonly logLikelihoodRatio: number;
  readonly degreesOfFreedom: number;
  /** Whether the ratio exceeds the 0.999 quantile of its chi-square law. */
  readonly dependent: boolean;
  /** Whether the window keeps the marked MAP (`classArrivals`) rather than thinning. */
  readonly kept: boolean;
  readonly reason: string;
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
  /**
   * When classes depend on the arrival process: one matrix per class of the rates of `map`'s
   * arrival transitions that carry that class, summing to `map.d1` (a marked MAP). A buffer's
   * arrivals are then the restriction to its classes; absent, a class is an independent mark and
   * a buffer's arrivals are `map` thinned to its share.
   */
  readonly classArrivals?: readonly (readonly (readonly number[])[])[];
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
    const classArrivals = candidate.classArrivals;
    if (
      classArrivals !== undefined &&
      (!Array.isArray(classArrivals) ||
        classArrivals.length !== edges.length ||
        classArrivals.some(
          (matrix: unknown) =>
            !isSquareMatrix(matrix) ||
            (matrix as unknown[]).length !== (candidate.map as { d0: unknown[] }).d0.length,
        ))
    ) {
      failDocument(
        source,
        `${path}.classArrivals`,
        `must hold ${edges.length} square matrices (one per class) of the MAP's order`,
      );
    }
    for (const key of ['startSeconds', 'endSeconds', 'arrivals'] as const) {
      if (typeof candidate[key] !== 'number')
        failDocument(source, `${path}.${key}`, 'must be a number');
    }
  });
  checkWindowSpans(source, windows);
  (representatives as unknown[]).forEach((size, index) => {
    if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
      failDocument(
        source,
        `classRepresentativeSizes[${index}]`,
        `must be a finite size > 0; got ${JSON.stringify(size)}`,
      );
    }
  });
  windows.forEach((window: { arrivals: number }, index) => {
    if (!Number.isSafeInteger(window.arrivals) || window.arrivals < 0) {
      failDocument(
        source,
        `windows[${index}].arrivals`,
        `must be a count of arrivals (an integer >= 0); got ${window.arrivals}`,
      );
    }
  });
  return object as unknown as WorkloadDocument;
}
