import type { MarkovianArrivalProcess } from '@mbs/core';
import type { SizeDistribution } from './size-distribution.js';

/** Arrivals of a generated trace: a MAP, or Poisson at a rate. */
export type SyntheticArrivals =
  | { readonly kind: 'map'; readonly map: MarkovianArrivalProcess }
  | { readonly kind: 'poisson'; readonly rateRequestsPerSecond: number };

/** What a generated trace is made of. */
export interface SyntheticWorkload {
  readonly arrivals: SyntheticArrivals;
  readonly sizes: SizeDistribution;
  /** Unit of the sizes, for the trace metadata. */
  readonly sizeUnit: string;
}

/**
 * The built-in default workload: bursty LLM-like traffic.
 *
 * Arrivals are a two-phase Markov-modulated Poisson process, a MAP(2): a burst phase at 90 req/s
 * lasting 1/0.6 = 1.67 s on average and a calm phase at 10 req/s lasting 1/0.2 = 5 s. The phases
 * hold 25% and 75% of the time, so the rate is exactly 30 req/s; the inter-arrival SCV is
 * 3.5974 (277/77), the third moment of the inter-arrival time 1.4553e-3 s^3, and the lag-1, 2, 3
 * autocorrelations are 0.3516, 0.3425, 0.3336 (slow phase changes make bursts last).
 *
 * Sizes (tokens) are heavy-tailed: 95% from a lognormal body of median 512 and log-standard
 * deviation 1.0, truncated to [1, 4096]; 5% from a Pareto tail of index 1.5 from 4096, truncated
 * at 32768; rounded up to whole tokens. The law's median is about 534 tokens, p90 about 2233,
 * p95 4096, p99 about 10745, p99.9 about 25786, and its mean about 1118.
 *
 * @example
 * ```ts
 * const trace = generateSyntheticTrace({ ...DEFAULT_SYNTHETIC_WORKLOAD, seed: 7, count: 1000 });
 * ```
 */
export const DEFAULT_SYNTHETIC_WORKLOAD = {
  arrivals: {
    kind: 'map',
    map: {
      d0: [
        [-90.6, 0.6],
        [0.2, -10.2],
      ],
      d1: [
        [90, 0],
        [0, 10],
      ],
    },
  },
  sizes: {
    kind: 'lognormal-pareto',
    medianSize: 512,
    sigma: 1,
    tailShare: 0.05,
    tailStartSize: 4096,
    tailIndex: 1.5,
    maxSize: 32768,
    integer: true,
  },
  sizeUnit: 'tokens',
} as const satisfies SyntheticWorkload;

/** Analytic statistics of {@link DEFAULT_SYNTHETIC_WORKLOAD}, for checks and documentation. */
export const DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS = {
  rateRequestsPerSecond: 30,
  interArrivalScv: 277 / 77,
  interArrivalThirdMomentSeconds3: 1.455332546241633e-3,
  autocorrelations: [0.3516339256411461, 0.34250057692319424, 0.3336044580420724],
  sizeMedian: 533.5,
  sizeP99: 10745.1,
  sizeMean: 1118.25,
} as const;
