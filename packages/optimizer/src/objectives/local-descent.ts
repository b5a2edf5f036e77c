import type { ObjectiveAssessment } from '@mbs/core';
import { assembleSolution } from '../assemble-solution.js';
import { gridSettings, toCandidate } from '../candidates.js';
import type { BufferEvaluator } from '../evaluator.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';

/** Whether assessment `a` beats `b`: feasible first, then lower score; else less violation. */
export function beats(a: ObjectiveAssessment, b: ObjectiveAssessment | undefined): boolean {
  if (b === undefined) return true;
  if (a.feasible !== b.feasible) return a.feasible;
  return a.feasible ? a.score < b.score : a.violation < b.violation;
}

/** Options of {@link descendLocally}. */
export interface LocalDescentOptions {
  readonly evaluator: BufferEvaluator;
  /** Judges a solution of the problem. */
  readonly judge: (solution: Solution) => ObjectiveAssessment;
  /** Most passes over the buffers; default 4. */
  readonly maxPasses?: number;
}

/**
 * Coordinate descent on the grid from `start`, its class ranges fixed: each pass tries every
 * (B, T, M) of the bounds' grid for one buffer at a time and keeps a change when the objective
 * judges the system better (see {@link beats}); it stops after a pass without a change. It turns a
 * configuration found for one percentile into one that balances several constraints, which no
 * single latency-limited search gives.
 */
export function descendLocally(
  problem: OptimizationProblem,
  start: Solution,
  options: LocalDescentOptions,
): { readonly solution: Solution; readonly assessment: ObjectiveAssessment } {
  const startedMs = performance.now();
  const { evaluator, judge } = options;
  const grid = gridSettings(problem.bounds);
  // The limit only prices misses for the search's fronts; a system is judged by `judge`.
  let choice = start.buffers.map(({ range, settings, outcome }) =>
    toCandidate(range, settings, outcome, 0),
  );
  let solution = start;
  let assessment = judge(start);
  for (let pass = 0; pass < (options.maxPasses ?? 4); pass++) {
    let changed = false;
    for (let index = 0; index < choice.length; index++) {
      const { range, settings: current } = choice[index]!;
      for (const settings of grid) {
        if (
          settings.batchSize === current.batchSize &&
          settings.timeoutSeconds === current.timeoutSeconds &&
          settings.memoryMb === current.memoryMb
        )
          continue;
        const trial = [...choice];
        trial[index] = toCandidate(range, settings, evaluator.evaluate(range, settings), 0);
        const candidate = assembleSolution(problem, start.strategy, trial, {
          feasible: false,
          evaluations: evaluator.evaluations,
          startedMs,
        });
        const verdict = judge(candidate);
        if (beats(verdict, assessment)) {
          choice = trial;
          solution = candidate;
          assessment = verdict;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return { solution, assessment };
}
