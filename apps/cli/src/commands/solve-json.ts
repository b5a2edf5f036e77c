import {
  type ConfigurationDocument,
  type FitReport,
  type ProfileSource,
  usdPerMillionRequests,
  withFunctionNames,
} from '@mbs/core';
import type {
  ReplayMeasurement,
  RobustnessMargin,
  SearchConstraint,
  Solution,
} from '@mbs/optimizer';
import { modelCurves } from '../model-curves.js';
import type { HoldoutCheck } from './solve-holdout.js';
import { jsonVerification } from './solve-verify.js';
import type { WindowResult } from './solve-windows.js';

/** What one `mbs solve` ran with, as both its text and its JSON name it. */
export interface SolveSettings {
  readonly workload: string;
  readonly profile: string;
  readonly pricing: string;
  readonly percentile: number;
  /** The objective plugin's name. */
  readonly objective: string;
  /** The optimizer's constraint, for an objective with a standard form. */
  readonly constraint?: SearchConstraint;
  readonly perSize: boolean;
  readonly rangeFits: boolean;
  /** Whether the trace's arrivals were replayed (`--verify` or `--verify-holdout`). */
  readonly verify: boolean;
  readonly margin: RobustnessMargin;
}

/**
 * Whether every window's configuration is believed to meet the constraint: the model says so and,
 * when verified by replay, the replay does too.
 */
export function allFeasible(results: readonly WindowResult[]): boolean {
  return results.every(
    (result) => result.report.solution.feasible && result.verification?.verified !== false,
  );
}

function jsonFit(fit: FitReport) {
  return {
    method: fit.method,
    countingScore: fit.counting?.score ?? null,
    reason: fit.selection?.reason ?? null,
    classes: fit.marks?.reason ?? null,
  };
}

/** A replay's figures; `meets` is null without a standard constraint to check it against. */
function jsonReplay(
  replay: ReplayMeasurement,
  percentile: number,
  constraint: SearchConstraint | undefined,
) {
  return {
    replayPercentileSeconds: replay.percentileSeconds,
    replayCostPerRequestUsd: replay.costPerRequestUsd,
    requests: replay.requests,
    percentile,
    meets:
      constraint === undefined
        ? null
        : constraint.mode === 'latency'
          ? replay.percentileSeconds <= constraint.sloSeconds
          : replay.costPerRequestUsd <= constraint.budgetUsdPerRequest,
  };
}

/**
 * The configuration (`mbs.configuration` v1) of every window, for `--out`, deploy and run, with
 * each buffer's function name written out (`@mbs/core`'s `<prefix>-b<buffer>` rule).
 */
export function configurationDocument(
  windows: readonly WindowResult[],
  workload: {
    classUpperEdges: readonly number[];
    classRepresentativeSizes: readonly number[];
    sizeUnit?: string;
  },
  names: {
    pricing: string;
    profile: string;
    profileSource: ProfileSource;
    functionNamePrefix: string;
  },
): ConfigurationDocument {
  return withFunctionNames<ConfigurationDocument>(
    {
      schema: 'mbs.configuration',
      version: 1,
      classUpperEdges: workload.classUpperEdges,
      classRepresentativeSizes: workload.classRepresentativeSizes,
      ...(workload.sizeUnit === undefined ? {} : { sizeUnit: workload.sizeUnit }),
      pricing: names.pricing,
      profile: names.profile,
      profileSource: names.profileSource,
      windows: windows.map(({ startSeconds, endSeconds, report: { solution }, problem }) => ({
        startSeconds,
        endSeconds,
        system: solution.system,
        // What the prediction was made for, so a run can be compared with the model evaluated
        // again for the load it really offered (mbs logs summarize).
        workload: { map: problem.map, classShares: problem.classShares },
        prediction: {
          percentile: solution.percentile,
          latencyPercentileSeconds: solution.latencyPercentile,
          meanLatencySeconds: solution.meanLatencySeconds,
          costPerRequestUsd: solution.costPerRequestUsd,
          invocationsPerSecond: solution.invocationsPerSecond,
          paddingShare: solution.paddingShare,
        },
      })),
    },
    names.functionNamePrefix,
  );
}

function jsonSolution(solution: Solution) {
  return {
    strategy: solution.strategy,
    feasible: solution.feasible,
    costPerRequestUsd: solution.costPerRequestUsd,
    costPerMillionRequestsUsd: usdPerMillionRequests(solution.costPerRequestUsd),
    latencyPercentile: solution.latencyPercentile,
    meanLatencySeconds: solution.meanLatencySeconds,
    invocationsPerSecond: solution.invocationsPerSecond,
    paddingShare: solution.paddingShare,
    evaluations: solution.evaluations,
    elapsedSeconds: solution.elapsedSeconds,
    gridBoundsReached: solution.gridBoundsReached ?? [],
    system: solution.system,
  };
}

/** The result of `mbs solve --json`: the settings, every window's solutions and the configuration. */
export function jsonSolveResult(
  settings: SolveSettings,
  results: readonly WindowResult[],
  configuration: ConfigurationDocument,
  holdout?: HoldoutCheck,
) {
  const { percentile, constraint } = settings;
  return {
    workload: settings.workload,
    profile: settings.profile,
    pricing: settings.pricing,
    percentile,
    objective: settings.objective,
    ...(constraint === undefined ? {} : { constraint }),
    perSize: settings.perSize,
    rangeFits: settings.rangeFits,
    margin: settings.margin,
    // Believed to meet the constraint: by the model, and by the replay when verified.
    feasible: allFeasible(results),
    // Whether every window's kept configuration met the constraint in replay (null: not verified).
    verified: settings.verify
      ? results.every((result) => result.verification?.verified === true)
      : null,
    ...(holdout === undefined
      ? {}
      : {
          holdout: {
            fraction: holdout.fraction,
            cutSeconds: holdout.cutSeconds,
            arrivals: holdout.arrivals,
            // The confidence the tuned part was verified at (null: no bound).
            confidence: holdout.confidence ?? null,
            ...jsonReplay(holdout.replay, percentile, constraint),
            overSloShare: Number.isNaN(holdout.sloSeconds)
              ? null
              : holdout.replay.percentileSeconds / holdout.sloSeconds - 1,
          },
        }),
    windows: results.map((result) => ({
      startSeconds: result.startSeconds,
      endSeconds: result.endSeconds,
      arrivals: result.arrivals,
      ...(result.fit === undefined ? {} : { fit: jsonFit(result.fit) }),
      ...(result.ranges === undefined ? {} : { rangeStreams: result.ranges }),
      solution: jsonSolution(result.report.solution),
      ...(result.assessment === undefined ? {} : { assessment: result.assessment }),
      ...(result.nominal === undefined
        ? {}
        : {
            withoutMargin: jsonSolution(result.nominal),
            marginPremiumShare:
              result.report.solution.costPerRequestUsd / result.nominal.costPerRequestUsd - 1,
          }),
      // The model's latency CDFs and batch-size laws of ours, for mbs report.
      model: modelCurves(result.problem, result.report.solution),
      ...(result.verification === undefined
        ? {}
        : { verification: jsonVerification(result.verification) }),
      ...(result.nextWindow === undefined
        ? {}
        : { nextWindow: jsonReplay(result.nextWindow, percentile, constraint) }),
      baselines: result.report.baselines.map((baseline) => ({
        name: baseline.name,
        ...jsonSolution(baseline.solution),
      })),
    })),
    configuration,
  };
}
