import type { Arrival, ClassScheme, PricingModel, ServiceTimeProfile } from '@mbs/core';
import { replayArrivals } from '@mbs/sim';
import { errors } from '../errors.js';
import { batchMeansStandardError, createLatencyStretches } from './batch-means.js';
import type { SystemReplay } from './replay-measurement.js';

/** What {@link createArrivalsReplay} replays besides the arrivals. */
export interface ArrivalsReplayOptions {
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  /** Classes the sizes of arrivals that carry no class id; needed unless every arrival has one. */
  readonly classScheme?: ClassScheme;
  /** Seed of split-class routing; default 1. */
  readonly seed?: number;
  /**
   * Cut the replayed requests, in arrival order, into this many consecutive stretches (an integer
   * >= 2 with at least 20 requests each) and report the batch-means standard error of the
   * percentile over them: how much the percentile moves from one stretch of this traffic to the
   * next, a measure of how far other traffic like it may land, and the latencies by stretch
   * (`latencyStretches`, for `verifySolution`'s `confidence`). Absent: neither.
   */
  readonly stretches?: number;
}

/**
 * A replay of fixed arrivals (a real trace's window, times from its start) through `@mbs/sim`.
 * The arrivals are the workload, not a sample of it, so the measurement has no sampling error;
 * with `stretches`, it reports how much the percentile varies from stretch to stretch of the
 * traffic instead, which `verifySolution`'s `standardErrors` can demand a margin of.
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
  const { stretches, ...replayOptions } = options;
  if (
    stretches !== undefined &&
    !(Number.isInteger(stretches) && stretches >= 2 && arrivals.length / stretches >= 20)
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `createArrivalsReplay option stretches: ${stretches}; give an integer >= 2 with at least 20 of the ${arrivals.length} arrivals per stretch`,
      { details: { option: 'stretches', value: stretches } },
    );
  }
  return (system, percentile) => {
    const records: { arrival: number; latency: number }[] = [];
    const { overall } = replayArrivals(arrivals, {
      ...replayOptions,
      system,
      percentiles: [percentile],
      ...(stretches === undefined
        ? {}
        : {
            onRequest: (record) => {
              records.push({ arrival: record.arrivalSeconds, latency: record.latencySeconds });
            },
          }),
    });
    const measured = {
      percentileSeconds: overall.latencyPercentilesSeconds[String(percentile)] ?? Number.NaN,
      costPerRequestUsd: overall.costPerRequestUsd,
      requests: overall.requests,
    };
    if (stretches === undefined) return measured;
    // Records leave with their batch; put them back in arrival order before cutting stretches.
    records.sort((left, right) => left.arrival - right.arrival);
    const latencies = Float64Array.from(records, (record) => record.latency);
    // Before the standard error, which reorders each stretch.
    const latencyStretches = createLatencyStretches(latencies, stretches);
    return {
      ...measured,
      standardErrorSeconds: batchMeansStandardError(latencies, stretches, percentile),
      latencyStretches,
    };
  };
}
