import type { SearchProgress, SearchStrategy } from '@mbs/core';
import type { BufferEvaluator } from '../evaluator.js';
import { gridSearch } from '../grid-search.js';
import { createModelEvaluator } from '../model-evaluator.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import { bayesianSearch } from './bayesian.js';

/** Builds the evaluator a strategy searches with (the analytical model, by default). */
export type EvaluatorFactory = (problem: OptimizationProblem) => BufferEvaluator;

/** A search strategy plugin over MBS's optimisation problem. */
export interface MbsSearchStrategy extends SearchStrategy<OptimizationProblem, Solution> {
  /**
   * Searches with the given evaluator of `problem` instead of building one, so that a caller
   * solving more than this search on the problem (e.g. `solveWithBaselines`) shares the
   * evaluator's caches with it. Optional: strategies without it build their own.
   */
  searchWith?(
    problem: OptimizationProblem,
    evaluator: BufferEvaluator,
    onProgress?: (progress: SearchProgress) => void,
  ): Promise<Solution>;
}

/** Options every built-in strategy takes. */
export interface StrategyOptions {
  /** The evaluator `search` builds for each problem; default {@link createModelEvaluator}. */
  readonly createEvaluator?: EvaluatorFactory;
}

/** A strategy whose `search` builds its evaluator and whose `searchWith` takes one. */
function strategy(
  plugin: Pick<MbsSearchStrategy, 'name' | 'description'>,
  options: StrategyOptions,
  run: (
    problem: OptimizationProblem,
    evaluator: BufferEvaluator,
    onProgress?: (progress: SearchProgress) => void,
  ) => Solution,
): MbsSearchStrategy {
  const createEvaluator = options.createEvaluator ?? createModelEvaluator;
  return {
    specificationVersion: 'v1',
    ...plugin,
    search: async (problem, onProgress) => run(problem, createEvaluator(problem), onProgress),
    searchWith: async (problem, evaluator, onProgress) => run(problem, evaluator, onProgress),
  };
}

/**
 * `frontier`, the default: every class range's outcomes are evaluated once on the grid and reused
 * by all partitions; a dynamic program over boundary positions picks the partition under the
 * system-wide miss budget; the result is refined to the bounds' T resolution and every MB.
 *
 * @example
 * ```ts
 * const solution = await createFrontierStrategy().search(problem);
 * ```
 */
export function createFrontierStrategy(options: StrategyOptions = {}): MbsSearchStrategy {
  return strategy(
    {
      name: 'frontier',
      description:
        'Per-range Pareto fronts reused across partitions, dynamic program over boundaries, refined T and M',
    },
    options,
    (problem, evaluator, onProgress) =>
      gridSearch(problem, {
        strategy: 'frontier',
        partitionSearch: { kind: 'dynamic-program' },
        evaluator,
        ...(onProgress ? { onProgress } : {}),
      }),
  );
}

/** `exhaustive`, the reference: every partition of the stated grid, each combined exactly. */
export function createExhaustiveStrategy(options: StrategyOptions = {}): MbsSearchStrategy {
  return strategy(
    {
      name: 'exhaustive',
      description:
        'Every partition and every (B, T, M) of the grid, combined exactly (the reference)',
    },
    options,
    (problem, evaluator, onProgress) =>
      gridSearch(problem, {
        strategy: 'exhaustive',
        partitionSearch: { kind: 'enumerate' },
        evaluator,
        refine: false,
        ...(onProgress ? { onProgress } : {}),
      }),
  );
}

/** `bayesian`, the MBS anchor: equal-load split and a Gaussian-process search per buffer. */
export function createBayesianStrategy(
  options: StrategyOptions & { readonly seed?: number } = {},
): MbsSearchStrategy {
  return strategy(
    {
      name: 'bayesian',
      description:
        "MBS's equal-load split with Gaussian-process expected improvement per buffer (30 + 30 points)",
    },
    options,
    (problem, evaluator, onProgress) =>
      bayesianSearch(problem, {
        evaluator,
        seed: options.seed ?? 1,
        ...(onProgress ? { onProgress } : {}),
      }),
  );
}
