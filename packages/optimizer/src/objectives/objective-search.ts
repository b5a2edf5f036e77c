import {
  type Objective,
  type ObjectiveAssessment,
  type ObjectiveSettings,
  optionError,
  type StandardObjective,
} from '@mbs/core';
import { latencyUpperBound } from '../assemble-solution.js';
import { errors } from '../errors.js';
import type { BufferEvaluator } from '../evaluator.js';
import { createModelEvaluator } from '../model-evaluator.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import type { MbsSearchStrategy } from '../strategies/strategies.js';
import { beats, descendLocally } from './local-descent.js';
import { predictConfiguration } from './predicted-configuration.js';

/** The problem of a standard objective: its percentile and the optimizer's constraint. */
export function standardProblem(
  problem: OptimizationProblem,
  form: StandardObjective,
): OptimizationProblem {
  return {
    ...problem,
    percentile: form.percentile,
    constraint:
      form.mode === 'latency'
        ? { mode: 'latency', sloSeconds: form.sloSeconds }
        : { mode: 'cost', budgetUsdPerRequest: form.budgetUsdPerRequest },
  };
}

/** Options of {@link searchObjective}. */
export interface ObjectiveSearchOptions {
  /** The strategy each latency-limited search runs (e.g. `createFrontierStrategy()`). */
  readonly strategy: MbsSearchStrategy;
  /** The evaluator of the problem every search shares (default: a new model evaluator). */
  readonly evaluator?: BufferEvaluator;
  /** Latency limits swept per percentile, geometric over three decades below the grid's bound; default 10. */
  readonly limitsPerPercentile?: number;
  /** Bisection steps between the best feasible limit and the next larger one; default 6. */
  readonly bisectionSteps?: number;
  readonly onProgress?: (message: string) => void;
}

/** A solution under an objective, with the objective's verdict on it. */
export interface ObjectiveSolution {
  /** `feasible` is the objective's; `percentile` and `latencyPercentile` are the settings'. */
  readonly solution: Solution;
  readonly assessment: ObjectiveAssessment;
}

const DECADES = 3;

function checkAssessment(objective: Objective, assessment: ObjectiveAssessment) {
  const { feasible, score, violation } = assessment ?? {};
  if (
    typeof feasible !== 'boolean' ||
    !Number.isFinite(score) ||
    !(Number.isFinite(violation) && violation >= 0)
  ) {
    throw errors.error(
      'PLUGIN_INVALID',
      `objective "${objective.name}" assess() returned ${JSON.stringify(assessment)}; it must return { feasible: boolean, score: finite number, violation: finite number >= 0 }`,
      { details: { objective: objective.name } },
    );
  }
  return assessment;
}

function searchPercentiles(objective: Objective, settings: ObjectiveSettings): number[] {
  const listed = objective.searchPercentiles?.(settings) ?? [settings.percentile];
  if (!Array.isArray(listed) || listed.length === 0 || listed.some((p) => !(p > 0 && p < 1))) {
    throw errors.error(
      'PLUGIN_INVALID',
      `objective "${objective.name}" searchPercentiles() returned ${JSON.stringify(listed)}; give a non-empty list of numbers in (0, 1)`,
      { details: { objective: objective.name } },
    );
  }
  return [...new Set(listed)];
}

/**
 * Solves a problem for any objective. One with a `standardForm` is solved exactly by the
 * strategy (the fast path, unchanged). Any other is solved by sweeping the strategy's
 * latency-limited search, "cheapest whose p-th percentile is within L", over each of the
 * objective's percentiles and a geometric ladder of limits L, then bisecting L next to the best
 * feasible configuration found, and keeping the configuration the objective scores lowest among
 * those it finds feasible (else the one with the least violation); from there a coordinate descent
 * over each buffer's (B, T, M) on the grid (`descendLocally`) balances the objective's constraints,
 * and a refined T and M search is kept when the objective scores it better. This is a heuristic:
 * the exact optimum of an arbitrary objective may lie off every latency-limited front, and the
 * descent keeps the class ranges it starts from.
 *
 * @example
 * ```ts
 * const { solution, assessment } = await searchObjective(problem, objective, { percentile: 0.99 }, {
 *   strategy: createFrontierStrategy(),
 * });
 * ```
 */
export async function searchObjective(
  problem: OptimizationProblem,
  objective: Objective,
  settings: ObjectiveSettings,
  options: ObjectiveSearchOptions,
): Promise<ObjectiveSolution> {
  const startedMs = performance.now();
  const { strategy } = options;
  const evaluator = options.evaluator ?? createModelEvaluator(problem);
  const search = (sub: OptimizationProblem) =>
    strategy.searchWith ? strategy.searchWith(sub, evaluator) : strategy.search(sub);
  const judge = (solution: Solution) =>
    checkAssessment(objective, objective.assess(predictConfiguration(problem, solution), settings));
  if (objective.standardForm) {
    const solution = await search(standardProblem(problem, objective.standardForm(settings)));
    return { solution, assessment: judge(solution) };
  }
  if (problem.perSize) {
    throw optionError(
      '@mbs/optimizer',
      `objective ${objective.name}`,
      'reads latency in seconds; latency per unit of size (--per-size) works with the latency-slo and cost-budget objectives only',
    );
  }
  const steps = options.limitsPerPercentile ?? 10;
  const bisectionSteps = options.bisectionSteps ?? 6;
  const sweepBounds = { ...problem.bounds, refineTimeoutResolutionSeconds: 0 };
  const upper = latencyUpperBound(problem);
  type Found = ObjectiveSolution & { readonly percentile: number; readonly limit: number };
  let best: Found | undefined;
  const better = (a: Found, b: Found | undefined) => beats(a.assessment, b?.assessment);
  const trial = async (percentile: number, limit: number, refine = false) => {
    options.onProgress?.(
      `objective ${objective.name}: p${percentile * 100} within ${limit.toPrecision(3)} s`,
    );
    const solution = await search({
      ...problem,
      percentile,
      constraint: { mode: 'latency', sloSeconds: limit },
      bounds: refine ? problem.bounds : sweepBounds,
    });
    // Nothing on the grid reaches this limit: lower limits reach nothing either.
    if (!solution.feasible) return undefined;
    const found: Found = { solution, assessment: judge(solution), percentile, limit };
    if (better(found, best)) best = found;
    return found;
  };
  for (const percentile of searchPercentiles(objective, settings)) {
    let feasibleAt: number | undefined;
    let previous: number | undefined;
    for (let step = 0; step < steps; step++) {
      const limit = upper * 10 ** ((-DECADES * step) / Math.max(1, steps - 1));
      const found = await trial(percentile, limit);
      if (!found) break;
      if (found.assessment.feasible) {
        feasibleAt = limit;
        break;
      }
      previous = limit;
    }
    // The largest limit (so the cheapest search) the objective accepts lies in (feasibleAt, previous).
    if (feasibleAt === undefined || previous === undefined) continue;
    let low = feasibleAt;
    let high = previous;
    for (let step = 0; step < bisectionSteps; step++) {
      const middle = Math.sqrt(low * high);
      if ((await trial(percentile, middle))?.assessment.feasible) low = middle;
      else high = middle;
    }
  }
  const chosen = best as Found | undefined;
  if (chosen === undefined) {
    throw errors.error(
      'SLO_INFEASIBLE',
      `no configuration of the grid reaches any latency limit for objective "${objective.name}"; widen the bounds (batch sizes, timeouts, memories)`,
    );
  }
  options.onProgress?.(`objective ${objective.name}: coordinate descent on the grid`);
  let kept: ObjectiveSolution = descendLocally(problem, chosen.solution, { evaluator, judge });
  if (kept.assessment.feasible && (problem.bounds.refineTimeoutResolutionSeconds ?? 0) > 0) {
    // Refinement keeps the p-th percentile within the limit the descended system now reaches.
    const percentile = chosen.percentile;
    const limit = predictConfiguration(problem, kept.solution).latency.quantileSeconds(percentile);
    const refined = await trial(percentile, limit * (1 + 1e-9), true);
    if (refined?.assessment.feasible && refined.assessment.score < kept.assessment.score)
      kept = refined;
  }
  const prediction = predictConfiguration(problem, kept.solution);
  return {
    assessment: kept.assessment,
    solution: {
      ...kept.solution,
      strategy: `${strategy.name} (${objective.name})`,
      feasible: kept.assessment.feasible,
      percentile: settings.percentile,
      latencyPercentile: prediction.latency.quantileSeconds(settings.percentile),
      evaluations: evaluator.evaluations,
      elapsedSeconds: (performance.now() - startedMs) / 1000,
    },
  };
}
