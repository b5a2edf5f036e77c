import {
  type Arrival,
  type ClassScheme,
  classSchemeFromEdges,
  type FitReport,
  type MarkovianArrivalProcess,
  type ObjectiveAssessment,
  type PricingModel,
  type ServiceTimeProfile,
  type Trace,
  type WorkloadDocument,
  type WorkloadWindow,
} from '@mbs/core';
import {
  createArrivalsReplay,
  createBayesianStrategy,
  createExhaustiveStrategy,
  createFrontierStrategy,
  createModelEvaluator,
  type EvaluatorFactory,
  hasRobustnessMargin,
  type MbsSearchStrategy,
  type OptimizationProblem,
  type ReplayMeasurement,
  type RobustnessMargin,
  type SearchBounds,
  type Solution,
  type SolveReport,
  searchObjective,
  searchWaitLaws,
  solveWithBaselines,
  type Verification,
  verifySolution,
  withRobustnessMargin,
} from '@mbs/optimizer';
import {
  type ArrivalClassRange,
  createRangeArrivals,
  markedRangeArrivals,
  type RangeArrivals,
  type RangeFitSummary,
} from '@mbs/traces';
import { errors } from '../errors.js';
import type { ProgressReporter } from '../progress.js';
import type { ResolvedObjective } from '../resolvers/objective.js';
import { robustnessMargin, type SolveTraceOptions, verifies } from './solve-options.js';
import { createWindowReader } from './solve-verify.js';

/** The search strategies `mbs solve --strategy` accepts, by name. */
export const STRATEGIES: Record<string, (createEvaluator?: EvaluatorFactory) => MbsSearchStrategy> =
  {
    frontier: (createEvaluator = createModelEvaluator) =>
      createFrontierStrategy({ createEvaluator }),
    exhaustive: (createEvaluator = createModelEvaluator) =>
      createExhaustiveStrategy({ createEvaluator }),
    bayesian: (createEvaluator = createModelEvaluator) =>
      createBayesianStrategy({ createEvaluator }),
  };

/** One window's solve: its span in seconds, its arrivals, the report and the verification. */
export interface WindowResult {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly arrivals: number;
  readonly report: SolveReport;
  readonly verification?: Verification;
  /** The objective's verdict on ours, for an objective without a standard form. */
  readonly assessment?: ObjectiveAssessment;
  /** What the window was solved for (its MAP or range fits), to evaluate the solution again. */
  readonly problem: OptimizationProblem;
  /** The window's arrival fit: which MAP, why, and whether classes are marks of it. */
  readonly fit?: FitReport;
  /** With a robustness margin: ours solved without it, whose cost prices the margin. */
  readonly nominal?: Solution;
  /** With --verify and a next window: this window's configuration replayed on the next one's arrivals. */
  readonly nextWindow?: ReplayMeasurement;
  /** When ranges got their own streams: what they kept. */
  readonly ranges?: RangeFitSummary;
}

/** The options of `mbs solve` that decide how each window is solved, as parsed. */
export interface WindowSolveOptions extends SolveTraceOptions {
  readonly percentile: number;
  readonly strategy: string;
  readonly baselines: boolean;
  /**
   * With a confidence bound: the span, in seconds, of the later traffic it is for (the held-out
   * part with `--verify-holdout`); absent: as long as the window replayed.
   */
  readonly verifyLaterSeconds?: number;
}

/** What every window shares: the workload, the profile, the pricing and the search space. */
export interface WindowSolveInputs {
  readonly workload: WorkloadDocument;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly objective: ResolvedObjective;
  readonly bounds: SearchBounds;
  readonly progress: ProgressReporter;
  /** Opens the trace again, for `--verify`, `--verify-holdout`, `--range-fits` and marked classes. */
  readonly openTrace: () => Promise<Trace>;
  /**
   * Whether the workload models the trace's whole stream (default true; false for one of several
   * front ends): only then are marked classes' ranges fitted from the trace's own arrivals.
   */
  readonly wholeStream?: boolean;
}

/** The class scheme of a workload's classes. */
export function workloadClassScheme(workload: WorkloadDocument): ClassScheme {
  return classSchemeFromEdges(workload.classUpperEdges, workload.classRepresentativeSizes);
}

/**
 * Each class range's own arrival stream in one window (`--range-fits`, or classes that depend on
 * the arrivals), fitted from the window's arrivals classed by the workload's class scheme: each
 * range's fit chosen by how well it reproduces the range's counts at the T grid, against the
 * window's marked MAP restricted to the range when there is one.
 */
function windowRangeArrivals(
  arrivals: readonly Arrival[],
  classScheme: ClassScheme,
  window: { startSeconds: number; endSeconds: number },
  options: {
    readonly candidate: ((range: ArrivalClassRange) => MarkovianArrivalProcess) | undefined;
    readonly countWindowsSeconds: readonly number[];
  },
): RangeArrivals {
  return createRangeArrivals(
    arrivals.map((arrival) => ({
      timeSeconds: arrival.timeSeconds,
      classId: classScheme.classOf(arrival.size),
    })),
    classScheme.count,
    {
      durationSeconds: window.endSeconds - window.startSeconds,
      fit: 'counts',
      countWindowsSeconds: options.countWindowsSeconds,
      ...(options.candidate ? { candidate: options.candidate } : {}),
    },
  );
}

/** Consecutive stretches the verification margin is measured over: 10, or fewer for short windows. */
function marginStretches(arrivals: number): number {
  return Math.max(2, Math.min(10, Math.floor(arrivals / 20)));
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

/** The problem one window is solved for: its MAP (or range streams), shares and the run's grid. */
export function windowProblem(
  window: WorkloadWindow,
  index: number,
  options: WindowSolveOptions,
  inputs: Pick<WindowSolveInputs, 'workload' | 'profile' | 'pricing' | 'objective' | 'bounds'>,
  ranges?: RangeArrivals,
): OptimizationProblem {
  const { workload } = inputs;
  // An objective without a standard form is searched for by searchObjective; the problem's
  // constraint is then only a placeholder its sub-searches replace.
  const constraint = inputs.objective.standard?.constraint ?? { mode: 'latency', sloSeconds: 1 };
  const marked = markedRangeArrivals(window, `${workload.source} window ${index + 1}`);
  return {
    map: window.map,
    classShares: window.classShares,
    classRepresentativeSizes: workload.classRepresentativeSizes,
    profile: inputs.profile,
    pricing: inputs.pricing,
    percentile: options.percentile,
    constraint,
    perSize: options.perSize,
    bounds: inputs.bounds,
    ...(ranges ? { rangeArrivals: ranges } : marked ? { rangeArrivals: marked } : {}),
  };
}

/**
 * Whether a window's solve reads the trace's arrivals again (`--verify`, `--range-fits`, or classes
 * that depend on the arrivals): windows are then read, and solved, in order.
 */
export function readsTraceArrivals(
  options: WindowSolveOptions,
  inputs: Pick<WindowSolveInputs, 'workload' | 'wholeStream'>,
): boolean {
  // Classes that depend on the arrivals of a trace: each range is fitted from its own arrivals.
  const dependent =
    options.trace !== undefined &&
    inputs.wholeStream !== false &&
    inputs.workload.windows.some((window) => window.classArrivals);
  return verifies(options) || options.rangeFits || dependent;
}

/** What {@link solveWindow} reads besides the window: its arrivals when the trace is re-read. */
export interface WindowArrivals {
  readonly arrivals?: readonly Arrival[];
}

/**
 * Solves one window: ours (with the baselines unless turned off), modelled per range with
 * `--range-fits` and replayed and tightened with `--verify` when its arrivals are given. It reads
 * nothing of other windows, so windows can be solved in any order, or on worker threads.
 */
export async function solveWindow(
  window: WorkloadWindow,
  index: number,
  options: WindowSolveOptions,
  inputs: Omit<WindowSolveInputs, 'openTrace'>,
  { arrivals }: WindowArrivals = {},
): Promise<WindowResult> {
  const { workload, profile, pricing, objective, bounds, progress } = inputs;
  // Margins tighten the standard form's latency constraint (the CLI refuses them otherwise).
  const margin: RobustnessMargin = robustnessMargin(options);
  const withMargin = (problem: OptimizationProblem) => withRobustnessMargin(problem, margin);
  const verify = verifies(options);
  const classScheme = workloadClassScheme(workload);
  const prefix = `window ${index + 1}/${workload.windows.length}`;
  const marked = markedRangeArrivals(window, `${workload.source} window ${index + 1}`);
  const ranges =
    arrivals && (options.rangeFits || marked)
      ? windowRangeArrivals(arrivals, classScheme, window, {
          candidate: marked,
          countWindowsSeconds: bounds.timeoutsSeconds,
        })
      : undefined;
  const problem = windowProblem(window, index, options, inputs, ranges);
  // The model's wait laws depend on the arrivals, not on the SLO or the percentile: every
  // solve of this window (margin, nominal, verification, baselines, objective sweeps) shares them.
  const waitLaws = searchWaitLaws(problem);
  const createEvaluator: EvaluatorFactory = (solved) => createModelEvaluator(solved, { waitLaws });
  const windowStrategy = STRATEGIES[options.strategy]!(createEvaluator);
  let assessment: ObjectiveAssessment | undefined;
  const solveObjective = async (problem: OptimizationProblem): Promise<SolveReport> => {
    const found = await searchObjective(problem, objective.objective, objective.settings, {
      strategy: windowStrategy,
      onProgress: (message) => progress.update(`${prefix}: ${message}`),
    });
    assessment = found.assessment;
    // Baselines are solved for a standard constraint; a custom objective has none to give them.
    return {
      solution: found.solution,
      baselines: [{ name: `ours (${found.solution.strategy})`, solution: found.solution }],
    };
  };
  const solve = (problem: OptimizationProblem): Promise<SolveReport> =>
    !objective.standard
      ? solveObjective(problem)
      : options.baselines
        ? solveWithBaselines(problem, windowStrategy, {
            evaluator: createEvaluator(problem),
            onProgress: (message) => progress.update(`${prefix}: ${message}`),
          })
        : windowStrategy
            .search(problem, (update) => progress.update(`${prefix}: ${update.message ?? ''}`))
            .then((solution) => ({
              solution,
              baselines: [{ name: `ours (${windowStrategy.name})`, solution }],
            }));
  // With a margin, every solve keeps it; verification still checks the SLO as asked.
  const report = await solve(withMargin(problem));
  const nominal = hasRobustnessMargin(margin)
    ? await windowStrategy.search(problem, (update) =>
        progress.update(`${prefix}: without the margin: ${update.message ?? ''}`),
      )
    : undefined;
  let verification: Verification | undefined;
  if (verify && arrivals) {
    const confidence = options.verifyConfidence;
    if (confidence !== undefined && arrivals.length < 40) {
      throw errors.error(
        'OPTION_INVALID',
        `a confidence bound (${confidence}: --verify-confidence, or --verify-holdout's default) needs at least 40 arrivals per window (2 stretches of 20); ${prefix} has ${arrivals.length}: give longer windows (--window) or --verify-confidence 0 (no bound)`,
        { details: { option: 'verify-confidence', value: confidence } },
      );
    }
    progress.update(`${prefix}: replaying the trace's arrivals`);
    verification = await verifySolution({
      problem,
      solution: report.solution,
      // Re-solves only ours: the baselines stay solved for the SLO the user asked for.
      solve: (tightened) =>
        windowStrategy.search(withMargin(tightened), (update) =>
          progress.update(`${prefix}: ${update.message ?? ''}`),
        ),
      replay: createArrivalsReplay(arrivals, {
        profile,
        pricing,
        classScheme,
        ...((options.verifyMargin > 0 || confidence !== undefined) && arrivals.length >= 40
          ? { stretches: marginStretches(arrivals.length) }
          : {}),
      }),
      standardErrors: options.verifyMargin,
      ...(confidence === undefined ? {} : { confidence }),
      ...(options.verifyLaterSeconds === undefined
        ? {}
        : {
            laterLengthRatio:
              options.verifyLaterSeconds / Math.max(window.endSeconds - window.startSeconds, 1e-9),
          }),
      maxRounds: options.verifyRounds,
      refineRounds: options.verifyRefine,
      onProgress: (message) => progress.update(`${prefix}: ${message}`),
    });
  }
  return {
    startSeconds: window.startSeconds,
    endSeconds: window.endSeconds,
    arrivals: window.arrivals,
    problem,
    report: verification ? keepVerified(report, verification.solution) : report,
    ...(verification === undefined ? {} : { verification }),
    ...(assessment === undefined ? {} : { assessment }),
    ...(window.fit === undefined ? {} : { fit: window.fit }),
    ...(nominal === undefined ? {} : { nominal }),
    ...(ranges ? { ranges: ranges.summary() } : {}),
  };
}

/**
 * Solves every window of the workload in order, reading each window's arrivals from the trace
 * when the solve needs them (see {@link readsTraceArrivals}) and replaying each window's
 * configuration on the next window's arrivals with `--verify`.
 */
export async function solveWindowsInOrder(
  options: WindowSolveOptions,
  inputs: WindowSolveInputs,
): Promise<WindowResult[]> {
  const { workload, profile, pricing, progress } = inputs;
  const results: WindowResult[] = [];
  const verify = verifies(options);
  const windowReader = readsTraceArrivals(options, inputs)
    ? createWindowReader(await inputs.openTrace())
    : undefined;
  const classScheme = workloadClassScheme(workload);
  try {
    for (const [index, window] of workload.windows.entries()) {
      const prefix = `window ${index + 1}/${workload.windows.length}`;
      if (windowReader) progress.update(`${prefix}: reading the trace's arrivals`);
      // One read serves both the range fits and the replay.
      const arrivals = await windowReader?.next(window.arrivals, window.startSeconds);
      // The previous window's configuration on this window's traffic: a check out of sample.
      const previous = results[results.length - 1];
      if (verify && arrivals && previous) {
        results[results.length - 1] = {
          ...previous,
          nextWindow: createArrivalsReplay(arrivals, { profile, pricing, classScheme })(
            previous.report.solution.system,
            options.percentile,
          ),
        };
      }
      results.push(await solveWindow(window, index, options, inputs, arrivals ? { arrivals } : {}));
    }
  } finally {
    await windowReader?.close();
  }
  return results;
}
