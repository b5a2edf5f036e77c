import type { SystemConfiguration } from '@mbs/core';
import type { LatencyStretches } from './batch-means.js';

/** What one replay of a configuration measured. */
export interface ReplayMeasurement {
  /** The constrained latency percentile over all replayed requests, in seconds. */
  readonly percentileSeconds: number;
  /** Mean cost per request of the replay, in USD. */
  readonly costPerRequestUsd: number;
  /** Requests replayed. */
  readonly requests: number;
  /**
   * Standard error of `percentileSeconds`, in seconds, when the replay is a random sample (batch
   * means); absent for a replay of fixed arrivals, whose percentile has no sampling error.
   */
  readonly standardErrorSeconds?: number;
  /**
   * The replayed latencies in consecutive stretches of arrivals (a replay of fixed arrivals asked
   * for stretches): the share over any latency with its standard error, for a margin at a chosen
   * confidence.
   */
  readonly latencyStretches?: LatencyStretches;
}

/**
 * Replays a configuration and measures the given latency percentile (in (0, 1)) and the cost.
 * {@link createArrivalsReplay} and {@link createMapSampleReplay} build one on `@mbs/sim`.
 */
export type SystemReplay = (system: SystemConfiguration, percentile: number) => ReplayMeasurement;
