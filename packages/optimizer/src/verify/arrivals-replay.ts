import type { Arrival, ClassScheme, PricingModel, ServiceTimeProfile } from '@mbs/core';
import { replayArrivals } from '@mbs/sim';
import type { SystemReplay } from './replay-measurement.js';

/** What {@link createArrivalsReplay} replays besides the arrivals. */
export interface ArrivalsReplayOptions {
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  /** Classes the sizes of arrivals that carry no class id; needed unless every arrival has one. */
  readonly classScheme?: ClassScheme;
  /** Seed of split-class routing; default 1. */
  readonly seed?: number;
}

/**
 * A replay of fixed arrivals (a real trace's window, times from its start) through `@mbs/sim`.
 * The measurement has no standard error: the arrivals are the workload, not a sample of it.
 *
 * @example
 * ```ts
 * const replay = createArrivalsReplay(arrivals, { profile, pricing, classScheme });
 * const { percentileSeconds } = replay(solution.system, 0.95);
 * ```
 */
export function createArrivalsReplay(
  arrivals: readonly Arrival[],
  options: ArrivalsReplayOptions,
): SystemReplay {
  return (system, percentile) => {
    const { overall } = replayArrivals(arrivals, {
      ...options,
      system,
      percentiles: [percentile],
    });
    return {
      percentileSeconds: overall.latencyPercentilesSeconds[String(percentile)] ?? Number.NaN,
      costPerRequestUsd: overall.costPerRequestUsd,
      requests: overall.requests,
    };
  };
}
