import type { SearchProgress, SearchStrategy } from '@mbs/core';
import type { BufferEvaluator } from '../evaluator.js';
import { gridSearch } from '../grid-search.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import { bayesianSearch } from './bayesian.js';

/** Builds the evaluator a strategy searches with (the analytical model, by default). */
export type EvaluatorFactory = (problem: OptimizationProblem) => BufferEvaluator;

/** A search strategy plugin over MBS's optimisation problem. */
export type MbsSearchStrategy = SearchStrategy<OptimizationProblem, Solution>;

/** Options every built-in strategy takes. */
export interface StrategyOptions {
  readonly createEvaluator: EvaluatorFactory;
}

/**
 * `frontier`, the default: every class range's outcomes are evaluated once on the grid and reused
 * by all partitions; a dynamic program over boundary positions picks the partition under the
 * system-wide miss budget; the result is refined to the bounds' T resolution and every MB.
 *
 * @example
 * ```ts
 * const solution = await createFrontierStrategy({ createEvaluator }).search(problem);
 * ```
 */
export function createFrontierStrategy(options: StrategyOptions): MbsSearchStrategy {
  return {
    specificationVersion: 'v1',
    name: 'frontier',
    description:
      'Per-range Pareto fronts reused across partitions, dynamic program over boundaries, refined T and M',
    search: async (problem, onProgress?: (progress: SearchProgress) => void) =>
      gridSearch(problem, {
        strategy: 'frontier',
        partitionSearch: { kind: 'dynamic-program' },
        evaluator: options.createEvaluator(problem),
        ...(onProgress ? { onProgress } : {}),
      }),
  };
}

/** `exhaustive`, the reference: every partition of the stated grid, each combined exactly. */
export function createExhaustiveStrategy(options: StrategyOptions): MbsSearchStrategy {
  return {
    specificationVersion: 'v1',
    name: 'exhaustive',
    description:
      'Every partition and every (B, T, M) of the grid, combined exactly (the reference)',
    search: async (problem, onProgress?: (progress: SearchProgress) => void) =>
      gridSearch(problem, {
        strategy: 'exhaustive',
        partitionSearch: { kind: 'enumerate' },
        evaluator: options.createEvaluator(problem),
        refine: false,
        ...(onProgress ? { onProgress } : {}),
      }),
  };
}

/** `bayesian`, the MBS anchor: equal-load split and a Gaussian-process search per buffer. */
export function createBayesianStrategy(
  options: StrategyOptions & { readonly seed?: number },
): MbsSearchStrategy {
  return {
    specificationVersion: 'v1',
    name: 'bayesian',
    description:
      "MBS's equal-load split with Gaussian-process expected improvement per buffer (30 + 30 points)",
    search: async (problem, onProgress?: (progress: SearchProgress) => void) =>
      bayesianSearch(problem, {
        evaluator: options.createEvaluator(problem),
        seed: options.seed ?? 1,
        ...(onProgress ? { onProgress } : {}),
      }),
  };
}
