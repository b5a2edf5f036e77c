import type { Objective } from '@mbs/core';

/** Options of {@link createPercentilesObjective}. */
export interface PercentilesObjectiveOptions {
  /** Latency limit in seconds per percentile, e.g. `{ 0.99: 3, 0.5: 0.5 }`. */
  readonly limits: Readonly<Record<number, number>>;
  /** Every class with requests must meet the limits on its own latency (default false). */
  readonly perClass?: boolean;
  /** The plugin name (default `p99-p50`). */
  readonly name?: string;
}

/** An objective: the cheapest configuration whose latency percentiles are within their limits. */
export declare function createPercentilesObjective(options: PercentilesObjectiveOptions): Objective;
