import type { PricingModel, ServiceTimeProfile, WorkloadDocument } from '@mbs/core';
import {
  createArrivalsReplay,
  type ReplayMeasurement,
  type SearchConstraint,
} from '@mbs/optimizer';
import type { HoldoutSplit } from '@mbs/traces';
import { type WindowResult, workloadClassScheme } from './solve-windows.js';

/** The configuration in effect at the end of the tuned part, replayed on the held-out part. */
export interface HoldoutCheck {
  /** Share of the trace's span held out. */
  readonly fraction: number;
  /** Where the trace was cut, in seconds of the trace. */
  readonly cutSeconds: number;
  /** Held-out arrivals replayed. */
  readonly arrivals: number;
  readonly replay: ReplayMeasurement;
  /** The SLO it is checked against (NaN in cost mode, whose check is the budget). */
  readonly sloSeconds: number;
  /** Whether the held-out replay meets the constraint. */
  readonly meets: boolean;
  /** The confidence the tuned part was verified at (share over the SLO + margin), if any. */
  readonly confidence?: number;
}

/**
 * `--verify-holdout`: replays the held-out end of the trace through the last window's kept
 * configuration (the one that would be running when that traffic came), with the workload's
 * classes, and checks it against the constraint as posed.
 */
export function checkHoldout(
  split: HoldoutSplit,
  fraction: number,
  last: WindowResult,
  inputs: {
    readonly workload: WorkloadDocument;
    readonly profile: ServiceTimeProfile;
    readonly pricing: PricingModel;
    readonly constraint: SearchConstraint;
    readonly percentile: number;
    /** The confidence the tuned part was verified at, reported with the check. */
    readonly confidence?: number;
  },
): HoldoutCheck {
  const replay = createArrivalsReplay(split.heldOut, {
    profile: inputs.profile,
    pricing: inputs.pricing,
    classScheme: workloadClassScheme(inputs.workload),
  })(last.report.solution.system, inputs.percentile);
  const { constraint } = inputs;
  return {
    fraction,
    cutSeconds: split.cutSeconds,
    arrivals: split.heldOut.length,
    replay,
    sloSeconds: constraint.mode === 'latency' ? constraint.sloSeconds : Number.NaN,
    ...(inputs.confidence === undefined ? {} : { confidence: inputs.confidence }),
    meets:
      constraint.mode === 'latency'
        ? replay.percentileSeconds <= constraint.sloSeconds
        : replay.costPerRequestUsd <= constraint.budgetUsdPerRequest,
  };
}
