import type { ClassRange } from './ranges.js';

/** B, T and M of one buffer. */
export interface BufferSettings {
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}

/** What the model predicts for one buffer serving one class range. */
export interface BufferOutcome {
  /** Share of all requests this buffer serves. */
  readonly requestShare: number;
  /** Mean cost per request of this buffer, USD. */
  readonly costPerRequestUsd: number;
  readonly invocationsPerSecond: number;
  readonly paddingShare: number;
  readonly meanLatencySeconds: number;
  /**
   * Fraction of this buffer's requests whose latency is at most `limit` seconds (or, for a
   * per-size problem, whose latency per unit of size is at most `limit`).
   */
  fractionWithin(limit: number): number;
}

/**
 * The model as the search sees it: an outcome per (range, settings). Implementations cache what
 * does not depend on M (the batch-size and wait laws) so sweeping memory is cheap.
 */
export interface BufferEvaluator {
  evaluate(range: ClassRange, settings: BufferSettings): BufferOutcome;
  /**
   * Optional fast path for the search's inner loop: for each setting, this buffer's part of the
   * system's mean cost (requestShare x cost per request) and of its misses (requestShare x share
   * over `limit`), equal to what {@link BufferEvaluator.evaluate} gives, without building outcomes.
   */
  screen?(range: ClassRange, settings: readonly BufferSettings[], limit: number): Float64Array;
  /**
   * Optional faster path still: the Pareto front (by ascending miss, then cost, as
   * `paretoFront` keeps it) of the settings whose miss is at most `missCap`, with the same values
   * {@link BufferEvaluator.screen} gives. Settings that cannot be on it need not be evaluated in
   * full (a loose limit leaves one setting to evaluate).
   */
  screenFront?(
    range: ClassRange,
    settings: readonly BufferSettings[],
    limit: number,
    missCap: number,
  ): ScreenedFront;
  /** Model evaluations done so far (cache hits excluded). */
  readonly evaluations: number;
}

/** What {@link BufferEvaluator.screenFront} finds: settings by index, ascending miss. */
export interface ScreenedFront {
  readonly indices: readonly number[];
  /** requestShare x cost per request of each front setting, in the order of `indices`. */
  readonly costs: readonly number[];
  /** requestShare x share over the limit of each front setting, in the order of `indices`. */
  readonly misses: readonly number[];
}

/** Fraction of all requests within `limit` for a system of buffer outcomes. */
export function systemFractionWithin(outcomes: readonly BufferOutcome[], limit: number): number {
  return outcomes.reduce(
    (sum, outcome) => sum + outcome.requestShare * outcome.fractionWithin(limit),
    0,
  );
}

/** Mean cost per request over all requests of a system. */
export function systemCostPerRequest(outcomes: readonly BufferOutcome[]): number {
  return outcomes.reduce(
    (sum, outcome) => sum + outcome.requestShare * outcome.costPerRequestUsd,
    0,
  );
}

/**
 * The percentile of latency over all requests of a system: the smallest x whose system
 * fraction within x reaches `percentile`, by bisection to a relative 1e-7.
 */
export function systemPercentile(
  outcomes: readonly BufferOutcome[],
  percentile: number,
  upperBound: number,
): number {
  let low = 0;
  let high = Math.max(upperBound, 1e-9);
  let guard = 0;
  while (systemFractionWithin(outcomes, high) < percentile && guard++ < 60) high *= 2;
  if (systemFractionWithin(outcomes, high) < percentile) return Number.POSITIVE_INFINITY;
  for (let iteration = 0; iteration < 80 && high - low > 1e-7 * high; iteration++) {
    const middle = (low + high) / 2;
    if (systemFractionWithin(outcomes, middle) >= percentile) high = middle;
    else low = middle;
  }
  return high;
}
