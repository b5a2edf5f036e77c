import type { Arrival, MarkovianArrivalProcess, Trace, TraceReadReport } from '@mbs/core';
import { createRandom } from '@mbs/core';
import { createMapSampler, poissonMap, validateMap } from '@mbs/markov';
import {
  DEFAULT_SYNTHETIC_WORKLOAD,
  type SyntheticWorkload,
} from './default-synthetic-workload.js';
import { errors } from './errors.js';
import { createSizeSampler, validateSizeDistribution } from './size-distribution.js';

/** Options of {@link generateSyntheticTrace}: a workload (default the built-in one) and its extent. */
export interface SyntheticTraceOptions extends Partial<SyntheticWorkload> {
  /** Seed of the arrival and size streams; same seed, same trace. Default 1. */
  readonly seed?: number;
  /** Arrivals to generate. */
  readonly count?: number;
  /** Seconds of arrivals to generate (arrivals at times < durationSeconds). */
  readonly durationSeconds?: number;
  /** Source text for the metadata; default `synthetic:seed=N,...`. */
  readonly source?: string;
  /** Format name for the metadata; default `synthetic`. */
  readonly format?: string;
}

/** Arrivals made when neither count nor duration is given: one hour of the default workload. */
export const DEFAULT_SYNTHETIC_DURATION_SECONDS = 3600;

/** Offset between the arrival and size seeds, so the two streams are independent. */
const SIZE_SEED_OFFSET = 0x5bd1e995;

/** The MAP a synthetic workload's arrivals follow. */
export function syntheticArrivalMap(
  workload: Pick<SyntheticWorkload, 'arrivals'>,
): MarkovianArrivalProcess {
  const { arrivals } = workload;
  if (arrivals.kind === 'poisson') {
    if (!(arrivals.rateRequestsPerSecond > 0 && Number.isFinite(arrivals.rateRequestsPerSecond))) {
      throw errors.error(
        'OPTION_INVALID',
        `Poisson rate ${arrivals.rateRequestsPerSecond}: give requests per second > 0`,
      );
    }
    return poissonMap(arrivals.rateRequestsPerSecond);
  }
  validateMap(arrivals.map);
  return arrivals.map;
}

/**
 * A seeded synthetic trace: arrivals sampled from a MAP (or Poisson) and sizes from a size
 * distribution, by default {@link DEFAULT_SYNTHETIC_WORKLOAD} (bursty MAP(2) at 30 req/s, SCV
 * 3.6, lag-1 autocorrelation 0.35; heavy-tailed token sizes). It streams, so any count fits in
 * memory, and iterating twice gives the same arrivals. Stops at `count` arrivals or at
 * `durationSeconds`, whichever comes first (default one hour).
 *
 * @example
 * ```ts
 * const trace = generateSyntheticTrace({ seed: 7, count: 100_000 });
 * const poisson = generateSyntheticTrace({ arrivals: { kind: 'poisson', rateRequestsPerSecond: 5 }, count: 10 });
 * ```
 */
export function generateSyntheticTrace(options: SyntheticTraceOptions = {}): Trace {
  const seed = options.seed ?? 1;
  const arrivals = options.arrivals ?? DEFAULT_SYNTHETIC_WORKLOAD.arrivals;
  const sizes = options.sizes ?? DEFAULT_SYNTHETIC_WORKLOAD.sizes;
  const sizeUnit = options.sizeUnit ?? DEFAULT_SYNTHETIC_WORKLOAD.sizeUnit;
  const count = options.count ?? Number.POSITIVE_INFINITY;
  const durationSeconds =
    options.durationSeconds ??
    (options.count === undefined ? DEFAULT_SYNTHETIC_DURATION_SECONDS : Number.POSITIVE_INFINITY);
  if (!Number.isSafeInteger(seed)) {
    throw errors.error('OPTION_INVALID', `seed is ${seed}; give an integer`);
  }
  if (!(count > 0) || (Number.isFinite(count) && !Number.isSafeInteger(count))) {
    throw errors.error('OPTION_INVALID', `count is ${count}; give a positive integer`);
  }
  if (!(durationSeconds > 0)) {
    throw errors.error('OPTION_INVALID', `durationSeconds is ${durationSeconds}; give seconds > 0`);
  }
  const map = syntheticArrivalMap({ arrivals });
  validateSizeDistribution(sizes);
  const source =
    options.source ??
    `synthetic:seed=${seed}${Number.isFinite(count) ? `,count=${count}` : ''}${Number.isFinite(durationSeconds) ? `,duration=${durationSeconds}` : ''}`;
  let produced = 0;
  return {
    metadata: { source, format: options.format ?? 'synthetic', sizeUnit },
    report(): TraceReadReport {
      return { linesRead: produced, arrivals: produced, skipped: {} };
    },
    async *[Symbol.asyncIterator](): AsyncGenerator<Arrival, void, undefined> {
      produced = 0;
      const sampler = createMapSampler(map, createRandom(seed));
      const nextSize = createSizeSampler(sizes, createRandom(seed + SIZE_SEED_OFFSET));
      let timeSeconds = 0;
      while (produced < count) {
        timeSeconds += sampler.nextInterArrival();
        if (timeSeconds >= durationSeconds) return;
        produced++;
        yield { timeSeconds, size: nextSize() };
      }
    },
  };
}
