import {
  type Arrival,
  type ClassScheme,
  classSchemeFromEdges,
  type PricingModel,
  type ServiceTimeProfile,
  type Trace,
  type WorkloadDocument,
} from '@mbs/core';
import {
  createArrivalsReplay,
  createBayesianStrategy,
  createExhaustiveStrategy,
  createFrontierStrategy,
  type MbsSearchStrategy,
  type OptimizationProblem,
  type SearchBounds,
  type SearchConstraint,
  type Solution,
  type SolveReport,
  solveWithBaselines,
  type Verification,
  verifySolution,
} from '@mbs/optimizer';
import { createRangeArrivals } from '@mbs/traces';
import type { ProgressReporter } from '../progress.js';
import type { SolveTraceOptions } from './solve-options.js';
import { createWindowReader } from './solve-verify.js';

/** The search strategies `mbs solve --strategy` accepts, by name. */
export const STRATEGIES: Record<string, () => MbsSearchStrategy> = {
  frontier: () => createFrontierStrategy(),
  exhaustive: () => createExhaustiveStrategy(),
  bayesian: () => createBayesianStrategy(),
};

/** One window's solve: its span in seconds, its arrivals, the report and the verification. */
export interface WindowResult {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly arrivals: number;
  readonly report: SolveReport;
  readonly verification?: Verification;
  /** What the window was solved for (its MAP or range fits), to evaluate the solution again. */
  readonly problem: OptimizationProblem;
}

/** The options of `mbs solve` that decide how each window is solved, as parsed. */
export interface WindowSolveOptions extends SolveTraceOptions {
  readonly percentile: number;
  readonly strategy: string;
  readonly baselines: boolean;
}

/** What every window shares: the workload, the profile, the pricing and the search space. */
export interface WindowSolveInputs {
  readonly workload: WorkloadDocument;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly constraint: SearchConstraint;
  readonly bounds: SearchBounds;
  readonly progress: ProgressReporter;
  /** Opens the trace again, for `--verify` and `--range-fits`. */
  readonly openTrace: () => Promise<Trace>;
}

/**
 * Each class range's own arrival stream in one window (`--range-fits`), fitted from the window's
 * arrivals classed by the workload's class scheme.
 */
function windowRangeArrivals(
  arrivals: readonly Arrival[],
  classScheme: ClassScheme,
  window: { startSeconds: number; endSeconds: number },
) {
  return createRangeArrivals(
    arrivals.map((arrival) => ({
      timeSeconds: arrival.timeSeconds,
      classId: classScheme.classOf(arrival.size),
    })),
    classScheme.count,
    { durationSeconds: window.endSeconds - window.startSeconds },
  );
}

/** The report with ours replaced by the verified solution, in the baselines table too. */
function keepVerified(report: SolveReport, verified: Solution): SolveReport {
  return {
    solution: verified,
    baselines: report.baselines.map((baseline) =>
      baseline.solution === report.solution ? { ...baseline, solution: verified } : baseline,
    ),
  };
}

/**
 * Solves every window of the workload in order: ours (with the baselines unless turned off),
 * modelled per range with `--range-fits` and replayed and tightened with `--verify`, both from the
 * trace's own arrivals read one window at a time.
 */
export async function solveWindows(
  options: WindowSolveOptions,
  inputs: WindowSolveInputs,
): Promise<WindowResult[]> {
  const { workload, profile, pricing, constraint, bounds, progress } = inputs;
  const strategy = STRATEGIES[options.strategy]!();
  const results: WindowResult[] = [];
  const windowReader =
    options.verify || options.rangeFits ? createWindowReader(await inputs.openTrace()) : undefined;
  const classScheme = classSchemeFromEdges(
    workload.classUpperEdges,
    workload.classRepresentativeSizes,
  );
  try {
    for (const [index, window] of workload.windows.entries()) {
      const prefix = `window ${index + 1}/${workload.windows.length}`;
      if (windowReader) progress.update(`${prefix}: reading the trace's arrivals`);
      // One read serves both the range fits and the replay.
      const arrivals = await windowReader?.next(window.arrivals, window.startSeconds);
      const problem: OptimizationProblem = {
        map: window.map,
        classShares: window.classShares,
        classRepresentativeSizes: workload.classRepresentativeSizes,
        profile,
        pricing,
        percentile: options.percentile,
        constraint,
        perSize: options.perSize,
        bounds,
        ...(options.rangeFits && arrivals
          ? { rangeArrivals: windowRangeArrivals(arrivals, classScheme, window) }
          : {}),
      };
      const solve = (problem: OptimizationProblem): Promise<SolveReport> =>
        options.baselines
          ? solveWithBaselines(problem, strategy, {
              onProgress: (message) => progress.update(`${prefix}: ${message}`),
            })
          : strategy
              .search(problem, (update) => progress.update(`${prefix}: ${update.message ?? ''}`))
              .then((solution) => ({
                solution,
                baselines: [{ name: `ours (${strategy.name})`, solution }],
              }));
      const report = await solve(problem);
      let verification: Verification | undefined;
      if (options.verify && arrivals) {
        progress.update(`${prefix}: replaying the trace's arrivals`);
        verification = await verifySolution({
          problem,
          solution: report.solution,
          // Re-solves only ours: the baselines stay solved for the SLO the user asked for.
          solve: (tightened) =>
            strategy.search(tightened, (update) =>
              progress.update(`${prefix}: ${update.message ?? ''}`),
            ),
          replay: createArrivalsReplay(arrivals, { profile, pricing, classScheme }),
          maxRounds: options.verifyRounds,
          refineRounds: options.verifyRefine,
          onProgress: (message) => progress.update(`${prefix}: ${message}`),
        });
      }
      results.push({
        startSeconds: window.startSeconds,
        endSeconds: window.endSeconds,
        arrivals: window.arrivals,
        problem,
        report: verification ? keepVerified(report, verification.solution) : report,
        ...(verification === undefined ? {} : { verification }),
      });
    }
  } finally {
    await windowReader?.close();
  }
  return results;
}
