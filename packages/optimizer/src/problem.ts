import type { MarkovianArrivalProcess, PricingModel, ServiceTimeProfile } from '@mbs/core';
import type { ClassRange } from './ranges.js';

/**
 * What the search must satisfy. `latency`: minimise mean cost per request subject to the
 * percentile of latency over all requests <= SLO. `cost`: minimise that percentile subject to mean
 * cost per request <= budget (MBS's `--constraint`).
 */
export type SearchConstraint =
  | { readonly mode: 'latency'; readonly sloSeconds: number }
  | { readonly mode: 'cost'; readonly budgetUsdPerRequest: number };

/** The grid the search walks. */
export interface SearchBounds {
  /** Largest number of buffers (1..classCount). */
  readonly maxBuffers: number;
  /** Batch sizes B to consider, ascending (1..profile maximum). */
  readonly batchSizes: readonly number[];
  /** Timeouts T to consider in seconds, ascending. */
  readonly timeoutsSeconds: readonly number[];
  /** Memory sizes M to consider in MB, ascending. */
  readonly memoriesMb: readonly number[];
  /**
   * Where a boundary class may be split between two neighbouring buffers: the share of the class
   * the lower buffer takes. Empty: classes are never split.
   */
  readonly splitShares: readonly number[];
  /**
   * After the grid search, refine each buffer's T to this resolution in seconds (e.g. 0.001) and M
   * to every MB the profile can answer, keeping the system constraint. 0 or absent: no refinement.
   */
  readonly refineTimeoutResolutionSeconds?: number;
}

/** One workload window and everything needed to price and time it. */
export interface OptimizationProblem {
  readonly map: MarkovianArrivalProcess;
  /** Share of requests in each class; sums to 1. */
  readonly classShares: readonly number[];
  /** The size each class pads to (for padding overhead and per-size latency). */
  readonly classRepresentativeSizes: readonly number[];
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  /** The latency percentile constrained or minimised, in (0, 1), e.g. 0.95. */
  readonly percentile: number;
  readonly constraint: SearchConstraint;
  /**
   * Latency per unit of request size (latency / representative size of its class), as MBS
   * normalised by KB; the SLO is then in seconds per size unit.
   */
  readonly perSize?: boolean;
  readonly bounds: SearchBounds;
  /**
   * The arrivals each class range receives, as a MAP at that stream's own rate (requests per
   * second of the range alone, not of the whole workload). Absent (the default): a range gets
   * {@link OptimizationProblem.map} thinned to its share of requests, which is exact only when a
   * request's class is independent of when it arrives. Set it when sizes are correlated in time
   * (e.g. from `createRangeArrivals` of @mbs/traces); the model evaluator then caches wait laws
   * per range (first class, last class, portions) rather than per share. Called once per range
   * and (B, T) whose wait law is not cached, so it should cache its own fits.
   */
  readonly rangeArrivals?: (range: ClassRange) => MarkovianArrivalProcess;
}
