import type { ReplayMeasurement, Solution, Verification } from '@mbs/optimizer';

/** One case at one SLO: the four configurations, ours verified by replay, and its checks. */
export interface OptimizerRow {
  readonly caseName: string;
  readonly arrivalRatePerSecond: number;
  readonly sloSeconds: number;
  /** No batching, one buffer (BATCH), MBS, ours: all solved on the model at the SLO. */
  readonly baselines: readonly { readonly name: string; readonly solution: Solution }[];
  /** Ours before verification (the model's choice at the SLO itself). */
  readonly unverified: Solution;
  readonly verification: Verification;
  readonly replayLabel: string;
  /** Twitter: the verified solution replayed on an independent sample. */
  readonly check?: ReplayMeasurement;
  /** Azure: the unverified solution replayed on a sample of the fitted MAP (the model's input). */
  readonly fittedMapReplay?: ReplayMeasurement;
  /** Solving the four configurations plus verification, in seconds. */
  readonly elapsedSeconds: number;
}
