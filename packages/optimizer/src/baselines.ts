import type { BufferEvaluator } from './evaluator.js';
import { gridSearch } from './grid-search.js';
import { createModelEvaluator } from './model-evaluator.js';
import type { OptimizationProblem } from './problem.js';
import { classRange } from './ranges.js';
import type { Solution } from './solution.js';
import { bayesianSearch } from './strategies/bayesian.js';
import type { MbsSearchStrategy } from './strategies/strategies.js';

/** A solution and the baselines printed with it. */
export interface SolveReport {
  /** Ours: the chosen strategy's solution. */
  readonly solution: Solution;
  /** No batching (B = 1, best M), one buffer (BATCH), MBS (equal-load + bayesian), ours. */
  readonly baselines: readonly { readonly name: string; readonly solution: Solution }[];
}

/** Options of {@link solveWithBaselines}. */
export interface SolveWithBaselinesOptions {
  /**
   * The evaluator of `problem` every search uses (default: `createModelEvaluator(problem)`); the
   * strategy shares it when it implements `searchWith`.
   */
  readonly evaluator?: BufferEvaluator;
  /** Called before each search, for a progress line. */
  readonly onProgress?: (message: string) => void;
}

/**
 * Solves with `strategy` and the three baselines on the same problem: no batching (one buffer,
 * B = 1, the best M), one buffer (BATCH: B, T, M searched), and MBS (equal-load split with the
 * bayesian strategy). All share one evaluator, so a range evaluated once serves every search.
 *
 * @example
 * ```ts
 * const report = await solveWithBaselines(problem, createFrontierStrategy());
 * report.baselines.map(({ name, solution }) => [name, solution.costPerRequestUsd]);
 * ```
 */
export async function solveWithBaselines(
  problem: OptimizationProblem,
  strategy: MbsSearchStrategy,
  options: SolveWithBaselinesOptions = {},
): Promise<SolveReport> {
  const { onProgress } = options;
  const evaluator = options.evaluator ?? createModelEvaluator(problem);
  const all = classRange(
    { classId: 0, share: 0 },
    { classId: problem.classShares.length, share: 0 },
  );
  onProgress?.('baseline: no batching');
  const noBatching = gridSearch(
    { ...problem, bounds: { ...problem.bounds, batchSizes: [1], maxBuffers: 1 } },
    { strategy: 'no-batching', partitionSearch: { kind: 'fixed', ranges: [all] }, evaluator },
  );
  onProgress?.('baseline: one buffer (BATCH)');
  const oneBuffer = gridSearch(problem, {
    strategy: 'one-buffer',
    partitionSearch: { kind: 'fixed', ranges: [all] },
    evaluator,
  });
  onProgress?.('baseline: MBS (equal-load split, bayesian)');
  const mbs = bayesianSearch(problem, { evaluator });
  onProgress?.(`ours: ${strategy.name}`);
  const progress = (update: { readonly message?: string }) =>
    onProgress?.(update.message ?? strategy.name);
  const solution = strategy.searchWith
    ? await strategy.searchWith(problem, evaluator, progress)
    : await strategy.search(problem, progress);
  return {
    solution,
    baselines: [
      { name: 'no batching', solution: noBatching },
      { name: 'one buffer (BATCH)', solution: oneBuffer },
      { name: 'MBS (equal-load, bayesian)', solution: mbs },
      { name: `ours (${strategy.name})`, solution },
    ],
  };
}
