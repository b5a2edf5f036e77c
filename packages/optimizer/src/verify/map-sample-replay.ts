import type { PricingModel, ServiceTimeProfile } from '@mbs/core';
import { type MapWorkload, simulateMap } from '@mbs/sim';
import { errors } from '../errors.js';
import { batchMeansStandardError } from './batch-means.js';
import type { SystemReplay } from './replay-measurement.js';

/** Options of {@link createMapSampleReplay}. */
export interface MapSampleReplayOptions {
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  /** Requests sampled per replay (e.g. 10^6). */
  readonly requests: number;
  /** Seed of the sample; the same seed replays the same arrivals for every configuration. */
  readonly seed: number;
  /**
   * Consecutive batches the requests are cut into to estimate the standard error of the
   * percentile (batch means); default 20. Each batch must hold at least 1,000 requests.
   */
  readonly batches?: number;
}

const DEFAULT_BATCHES = 20;
const MIN_REQUESTS_PER_BATCH = 1000;

function checkOptions(options: MapSampleReplayOptions): number {
  const batches = options.batches ?? DEFAULT_BATCHES;
  if (!Number.isInteger(options.requests) || options.requests < 1) {
    throw errors.error(
      'OPTION_INVALID',
      `createMapSampleReplay option requests: ${options.requests}; give an integer >= 1`,
      { details: { option: 'requests', value: options.requests } },
    );
  }
  if (
    !Number.isInteger(batches) ||
    batches < 2 ||
    options.requests / batches < MIN_REQUESTS_PER_BATCH
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `createMapSampleReplay option batches: ${batches}; give an integer >= 2 with at least ${MIN_REQUESTS_PER_BATCH} of the ${options.requests} requests per batch`,
      { details: { option: 'batches', value: batches } },
    );
  }
  return batches;
}

/**
 * A replay of `requests` arrivals sampled from the workload's MAP (classes drawn from its shares)
 * through `@mbs/sim`, with the standard error of the measured percentile, so a caller can tell a
 * model error from sampling noise. Every call with the same options replays the same sample.
 *
 * @example
 * ```ts
 * const replay = createMapSampleReplay({ map, classShares }, { profile, pricing, requests: 1e6, seed: 7 });
 * const { percentileSeconds, standardErrorSeconds } = replay(solution.system, 0.95);
 * ```
 */
export function createMapSampleReplay(
  workload: MapWorkload,
  options: MapSampleReplayOptions,
): SystemReplay {
  const batches = checkOptions(options);
  const { profile, pricing, requests, seed } = options;
  return (system, percentile) => {
    // Records leave the engine as their batch is dispatched, so their order is arrival order up
    // to one timeout: close enough for cutting the sample into consecutive stretches.
    const latencies = new Float64Array(requests);
    let recorded = 0;
    const { overall } = simulateMap(
      workload,
      {
        system,
        profile,
        pricing,
        seed,
        percentiles: [percentile],
        onRequest: (record) => {
          latencies[recorded++] = record.latencySeconds;
        },
      },
      requests,
    );
    return {
      percentileSeconds: overall.latencyPercentilesSeconds[String(percentile)] ?? Number.NaN,
      costPerRequestUsd: overall.costPerRequestUsd,
      requests: overall.requests,
      standardErrorSeconds: batchMeansStandardError(
        latencies.subarray(0, recorded),
        batches,
        percentile,
      ),
    };
  };
}
