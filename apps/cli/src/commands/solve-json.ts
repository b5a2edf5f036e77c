import {
  type ConfigurationDocument,
  type ProfileSource,
  usdPerMillionRequests,
  withFunctionNames,
} from '@mbs/core';
import type { SearchConstraint, Solution } from '@mbs/optimizer';
import { modelCurves } from '../model-curves.js';
import { jsonVerification } from './solve-verify.js';
import type { WindowResult } from './solve-windows.js';

/** What one `mbs solve` ran with, as both its text and its JSON name it. */
export interface SolveSettings {
  readonly workload: string;
  readonly profile: string;
  readonly pricing: string;
  readonly percentile: number;
  readonly constraint: SearchConstraint;
  readonly perSize: boolean;
  readonly rangeFits: boolean;
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
    system: solution.system,
  };
}

/** The result of `mbs solve --json`: the settings, every window's solutions and the configuration. */
export function jsonSolveResult(
  settings: SolveSettings,
  results: readonly WindowResult[],
  configuration: ConfigurationDocument,
) {
  return {
    workload: settings.workload,
    profile: settings.profile,
    pricing: settings.pricing,
    percentile: settings.percentile,
    constraint: settings.constraint,
    perSize: settings.perSize,
    rangeFits: settings.rangeFits,
    feasible: results.every((result) => result.report.solution.feasible),
    windows: results.map((result) => ({
      startSeconds: result.startSeconds,
      endSeconds: result.endSeconds,
      arrivals: result.arrivals,
      solution: jsonSolution(result.report.solution),
      // The model's latency CDFs and batch-size laws of ours, for mbs report.
      model: modelCurves(result.problem, result.report.solution),
      ...(result.verification === undefined
        ? {}
        : { verification: jsonVerification(result.verification) }),
      baselines: result.report.baselines.map((baseline) => ({
        name: baseline.name,
        ...jsonSolution(baseline.solution),
      })),
    })),
    configuration,
  };
}
