import type { SystemConfiguration } from '@mbs/core';
import type { BufferOutcome, BufferSettings } from './evaluator.js';
import type { GridBoundHit } from './grid-bounds.js';
import type { ClassRange } from './ranges.js';

/** One buffer of a solution with the model's prediction for it. */
export interface SolvedBuffer {
  readonly range: ClassRange;
  readonly settings: BufferSettings;
  readonly outcome: BufferOutcome;
}

/** A configuration the search found, with the numbers to trust it. */
export interface Solution {
  /** The strategy or baseline that produced it. */
  readonly strategy: string;
  /** Whether it meets the constraint (SLO in latency mode, budget in cost mode). */
  readonly feasible: boolean;
  readonly system: SystemConfiguration;
  readonly buffers: readonly SolvedBuffer[];
  readonly percentile: number;
  /** The percentile of latency over all requests (seconds, or seconds per size unit). */
  readonly latencyPercentile: number;
  readonly costPerRequestUsd: number;
  readonly invocationsPerSecond: number;
  /** Share of padded input elements over all batches, weighted by requests. */
  readonly paddingShare: number;
  readonly meanLatencySeconds: number;
  /**
   * Where batching buffers sit on the largest B or T of the grid (the optimum may lie beyond:
   * widen the grid). Empty when none do.
   */
  readonly gridBoundsReached?: readonly GridBoundHit[];
  /** Model evaluations the search made (latency evaluations; settings priced by cost alone and
   * found dominated are not counted). */
  readonly evaluations: number;
  readonly elapsedSeconds: number;
}
