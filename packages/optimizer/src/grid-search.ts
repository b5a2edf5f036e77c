import type { SearchProgress } from '@mbs/core';
import { assembleSolution, latencyUpperBound } from './assemble-solution.js';
import { type Candidate, gridSettings, RangeOutcomeCache } from './candidates.js';
import { searchPartitionsCoarseToFine } from './coarse-to-fine.js';
import { type Combination, combineExactly } from './combine-exactly.js';
import { errors } from './errors.js';
import type { BufferEvaluator } from './evaluator.js';
import { latencyFloor, rangeMissCaps, underFloor } from './latency-floor.js';
import type { OptimizationProblem } from './problem.js';
import { type ClassRange, classPositions, classRange, partitions } from './ranges.js';
import { refineSolution } from './refine.js';
import type { Solution } from './solution.js';

/** How a grid search chooses the class ranges. */
export type PartitionSearch =
  /** Dynamic programming over boundary positions (fast; exact up to a fine miss discretisation). */
  | { readonly kind: 'dynamic-program' }
  /** Every partition, each combined exactly: the reference. */
  | { readonly kind: 'enumerate' }
  /** The given ranges only (baselines: one buffer, MBS's equal-load split). */
  | { readonly kind: 'fixed'; readonly ranges: readonly ClassRange[] };

/** Options of {@link gridSearch}. */
export interface GridSearchOptions {
  readonly strategy: string;
  readonly partitionSearch: PartitionSearch;
  readonly evaluator: BufferEvaluator;
  /** Refine T and M of the result beyond the grid (when the bounds ask for it). Default true. */
  readonly refine?: boolean;
  readonly onProgress?: (progress: SearchProgress) => void;
}

const BISECTION_STEPS = 40;

/**
 * Searches the grid of the problem's bounds for the best system under its constraint: in
 * `latency` mode the cheapest within the SLO; in `cost` mode the lowest percentile within the
 * budget. When nothing meets the constraint it returns the configuration with the best achievable
 * percentile, marked infeasible.
 */
export function gridSearch(problem: OptimizationProblem, options: GridSearchOptions): Solution {
  const startedMs = performance.now();
  const { evaluator, partitionSearch } = options;
  const missBudget = 1 - problem.percentile;
  // No system uses a candidate missing more than the whole budget (combinations allow 1e-12).
  const missCap = missBudget + 1e-9;
  const floor = latencyFloor(problem);
  const capOf = rangeMissCaps(problem, floor, missCap);
  const gridCache = new RangeOutcomeCache(evaluator, gridSettings(problem.bounds), missCap, capOf);
  const positions = classPositions(problem.classShares.length, problem.bounds.splitShares);
  const maxBuffers = Math.min(problem.bounds.maxBuffers, positions.length - 1);
  // Progress names the phase and counts the ranges priced in it against that phase's total.
  let phase = 'search';
  let subPhase = '';
  const report = (message: string, fraction: number) =>
    options.onProgress?.({
      evaluations: evaluator.evaluations,
      fraction: Math.min(1, Math.max(0, fraction)),
      message: `${options.strategy}: ${phase}${subPhase ? `, ${subPhase}` : ''}: ${message}`,
    });
  const progress = (done: number, total: number) =>
    report(`${done} of ${total} class ranges`, done / Math.max(1, total));
  const onPhase = (name: string) => {
    subPhase = name;
  };
  const cheapestAt = (
    limit: number,
    feasibilityOnly = false,
    cache = gridCache,
  ): Combination | undefined => {
    switch (partitionSearch.kind) {
      case 'dynamic-program':
        return searchPartitionsCoarseToFine(cache, {
          positions,
          maxBuffers,
          limit,
          missBudget,
          feasibilityOnly,
          onRange: progress,
          onPhase,
        });
      case 'fixed':
        return combineFeasible(
          partitionSearch.ranges.map((range) => cache.front(range, limit)),
          missBudget,
          feasibilityOnly,
        );
      case 'enumerate': {
        let best: Combination | undefined;
        for (const cuts of partitions(positions.length, maxBuffers)) {
          const fronts: Candidate[][] = [];
          for (let index = 0; index + 1 < cuts.length; index++) {
            fronts.push(
              cache.front(
                classRange(positions[cuts[index]!]!, positions[cuts[index + 1]!]!),
                limit,
              ),
            );
          }
          const combination = combineFeasible(fronts, missBudget, feasibilityOnly);
          if (combination && (!best || combination.cost < best.cost)) best = combination;
          if (best && feasibilityOnly) return best;
        }
        return best;
      }
    }
  };

  const finish = (combination: Combination, feasible: boolean, limit: number) => {
    // Refinement lowers cost under the miss budget, which is the objective only in latency mode.
    const refine =
      options.refine !== false &&
      problem.constraint.mode === 'latency' &&
      feasible &&
      (problem.bounds.refineTimeoutResolutionSeconds ?? 0) > 0;
    if (refine) {
      phase = 'refining T and M';
      subPhase = '';
      report('pattern search', 1);
    }
    const refined = refine
      ? refineSolution(problem, evaluator, combination.choice, limit, missBudget)
      : combination.choice;
    return assembleSolution(problem, options.strategy, refined, {
      feasible,
      // Read after the assembly has built the chosen candidates' outcomes (built when first read).
      get evaluations() {
        return evaluator.evaluations;
      },
      startedMs,
    });
  };

  const upper = latencyUpperBound(problem);
  // The smallest limit at which `accept` holds, by bisection (accept is monotone in the limit).
  const smallestLimit = (label: string, accept: (limit: number) => boolean): number | undefined => {
    phase = `${label}, widest limit`;
    if (!accept(upper)) return undefined;
    let low = 0;
    let high = upper;
    for (let step = 0; step < BISECTION_STEPS && high - low > 1e-6 * high; step++) {
      phase = `${label}, bisection step ${step + 1} of at most ${BISECTION_STEPS}`;
      const middle = (low + high) / 2;
      if (accept(middle)) high = middle;
      else low = middle;
    }
    return high;
  };

  const bestAchievable = (): Solution => {
    const limit = smallestLimit(
      'best achievable percentile',
      (candidate) => cheapestAt(candidate, true) !== undefined,
    );
    phase = 'best achievable percentile, cheapest system there';
    const combination = limit === undefined ? undefined : cheapestAt(limit);
    if (!combination || limit === undefined) {
      throw errors.error(
        'SLO_INFEASIBLE',
        `no configuration of the grid reaches the p${problem.percentile * 100} at any latency; widen the bounds (batch sizes, timeouts, memories)`,
      );
    }
    return finish(combination, false, limit);
  };

  // An SLO under the latency floor is infeasible without searching. A batch of one at the fastest
  // memory usually reaches the floor; when the grid's B = 1 settings reach it (within 1e-6), it is
  // the best achievable percentile, and the answer is the cheapest system of the whole grid
  // there, without bisecting the limit over full searches.
  const floorShortcut = (slo: number): Solution | undefined => {
    if (!problem.bounds.batchSizes.includes(1) || partitionSearch.kind === 'enumerate') return;
    phase = 'latency floor';
    if (!underFloor(problem, floor, slo)) {
      phase = 'search';
      return;
    }
    phase = 'under the latency floor, batches of one';
    const limit = floor.percentileSeconds * (1 + 1e-6);
    const single = new RangeOutcomeCache(
      evaluator,
      gridSettings({ ...problem.bounds, batchSizes: [1] }),
      missCap,
      capOf,
    );
    if (!cheapestAt(limit, true, single)) {
      phase = 'search';
      return;
    }
    phase = 'under the latency floor, cheapest system at the floor';
    const combination = cheapestAt(limit);
    return combination ? finish(combination, false, limit) : undefined;
  };

  if (problem.constraint.mode === 'latency') {
    const limit = problem.constraint.sloSeconds;
    const fast = floorShortcut(limit);
    if (fast) return fast;
    const combination = cheapestAt(limit);
    return combination ? finish(combination, true, limit) : bestAchievable();
  }
  const budget = problem.constraint.budgetUsdPerRequest;
  const limit = smallestLimit(
    'smallest limit within the budget',
    (candidate) => (cheapestAt(candidate)?.cost ?? Number.POSITIVE_INFINITY) <= budget,
  );
  if (limit === undefined) return bestAchievable();
  return finish(cheapestAt(limit)!, true, limit);
}

function combineFeasible(
  fronts: readonly Candidate[][],
  missBudget: number,
  feasibilityOnly: boolean,
): Combination | undefined {
  if (!feasibilityOnly) return combineExactly(fronts, missBudget);
  const choice = fronts.map((front) => front[0]);
  if (choice.some((candidate) => candidate === undefined)) return undefined;
  const picked = choice as Candidate[];
  const miss = picked.reduce((sum, candidate) => sum + candidate.miss, 0);
  return miss <= missBudget + 1e-12
    ? { choice: picked, cost: picked.reduce((sum, c) => sum + c.cost, 0), miss }
    : undefined;
}
