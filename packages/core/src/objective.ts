import type { PluginBase } from './plugin.js';

/** A predicted latency law of a group of requests (all of them, or one class's). */
export interface PredictedLatency {
  /** P(latency <= `seconds`), in [0, 1]. */
  fractionWithin(seconds: number): number;
  /** The `probability`-quantile of latency in seconds (`probability` in (0, 1)); may be Infinity. */
  quantileSeconds(probability: number): number;
}

/** What the model predicts for one configuration, as an objective sees it. */
export interface PredictedConfiguration {
  /** Mean cost per request over all requests, USD. */
  readonly costPerRequestUsd: number;
  /** Invocations per second over all buffers. */
  readonly invocationsPerSecond: number;
  /** Latency of an arbitrary request (seconds). */
  readonly latency: PredictedLatency;
  /** Share of all requests in each class, by class id (sums to 1). */
  readonly classShares: readonly number[];
  /**
   * Latency of one class's requests, merged over the buffers that serve it; `undefined` for a
   * class without requests. Computed on first use (it costs a model evaluation per buffer).
   */
  classLatency(classId: number): PredictedLatency | undefined;
}

/** The settings of a solve an objective may read (`mbs solve --percentile --slo --budget`). */
export interface ObjectiveSettings {
  /** The latency percentile of the solve, in (0, 1), e.g. 0.95. */
  readonly percentile: number;
  /** `--slo`: a latency limit in seconds, when given. */
  readonly sloSeconds?: number;
  /** `--budget`: a mean cost per request in USD, when given. */
  readonly budgetUsdPerRequest?: number;
}

/** How one configuration fares under an objective. */
export interface ObjectiveAssessment {
  /** Whether it meets every constraint of the objective. */
  readonly feasible: boolean;
  /** What the objective minimises among feasible configurations (e.g. USD per request). */
  readonly score: number;
  /**
   * How far it misses its constraints (0 when feasible, > 0 otherwise, e.g. the largest relative
   * excess); when nothing is feasible the configuration with the least violation is reported.
   */
  readonly violation: number;
}

/**
 * The two goals the optimizer solves directly (its fast path): the cheapest configuration whose
 * `percentile` of latency is at most `sloSeconds` (`latency`), or the lowest `percentile` of
 * latency whose mean cost per request is at most `budgetUsdPerRequest` (`cost`).
 */
export type StandardObjective =
  | { readonly mode: 'latency'; readonly percentile: number; readonly sloSeconds: number }
  | { readonly mode: 'cost'; readonly percentile: number; readonly budgetUsdPerRequest: number };

/**
 * An objective (plugin): what `mbs solve` optimises and constrains. `assess` judges one predicted
 * configuration; the optimizer searches configurations and keeps the feasible one with the lowest
 * score. An objective that is exactly one of the {@link StandardObjective} forms says so with
 * `standardForm`, and is solved by the optimizer's exact search; any other is solved by sweeping
 * that search's latency limits at each of `searchPercentiles` and assessing what it finds.
 *
 * @example
 * ```ts
 * // The cheapest configuration whose p99 is at most 1.5 s and whose p50 is at most 0.4 s.
 * const objective: Objective = {
 *   specificationVersion: 'v1',
 *   name: 'p99-and-p50',
 *   searchPercentiles: () => [0.99, 0.5],
 *   assess: ({ latency, costPerRequestUsd }) => {
 *     const excess = Math.max(latency.quantileSeconds(0.99) / 1.5, latency.quantileSeconds(0.5) / 0.4) - 1;
 *     return { feasible: excess <= 0, score: costPerRequestUsd, violation: Math.max(0, excess) };
 *   },
 * };
 * ```
 */
export interface Objective extends PluginBase {
  /** Judges one configuration; must return finite `score` and `violation` >= 0. */
  assess(prediction: PredictedConfiguration, settings: ObjectiveSettings): ObjectiveAssessment;
  /**
   * The latency percentiles the search should sweep for this objective (in (0, 1)); default
   * `[settings.percentile]`. List the percentiles the constraints name.
   */
  searchPercentiles?(settings: ObjectiveSettings): readonly number[];
  /**
   * Capability: this objective is exactly a standard form under these settings, which the
   * optimizer then solves with its exact, fast search. Throws OPTION_INVALID when a setting it
   * needs is missing (e.g. a budget).
   */
  standardForm?(settings: ObjectiveSettings): StandardObjective;
}
