import { optionError, type SearchProgress } from '@mbs/core';
import type { BufferEvaluator } from './evaluator.js';
import { createModelEvaluator } from './model-evaluator.js';
import type { OptimizationProblem } from './problem.js';
import type { Solution } from './solution.js';
import { createFrontierStrategy, type MbsSearchStrategy } from './strategies/strategies.js';

/** One point of a cost frontier: the SLO and the cheapest solution within it. */
export interface SloSweepPoint {
  readonly sloSeconds: number;
  readonly solution: Solution;
}

/** Options of {@link sweepSlos}. */
export interface SloSweepOptions {
  /** Default: `createFrontierStrategy()`. */
  readonly strategy?: MbsSearchStrategy;
  /** Shared by every SLO's search (default: `createModelEvaluator(problem)`). */
  readonly evaluator?: BufferEvaluator;
  /** Progress, with the SLO being solved and its position in the sweep. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

/**
 * The cost frontier of a problem over several latency SLOs: the cheapest solution within each,
 * by ascending SLO. Every search shares one evaluator, so the wait laws, service tables and
 * class laws of a range are computed once for the whole sweep rather than once per SLO; each
 * point equals what solving that SLO alone gives. `problem.constraint` is ignored.
 *
 * @example
 * ```ts
 * const frontier = await sweepSlos(problem, [2, 5, 10]);
 * frontier.map(({ sloSeconds, solution }) => [sloSeconds, solution.costPerRequestUsd]);
 * ```
 */
export async function sweepSlos(
  problem: OptimizationProblem,
  slosSeconds: readonly number[],
  options: SloSweepOptions = {},
): Promise<SloSweepPoint[]> {
  for (const slo of slosSeconds) {
    if (!(Number.isFinite(slo) && slo > 0))
      throw optionError(
        '@mbs/optimizer',
        'sweep SLO',
        `is ${slo}; give positive seconds, e.g. [2, 5, 10]`,
        slo,
      );
  }
  const strategy = options.strategy ?? createFrontierStrategy();
  const evaluator = options.evaluator ?? createModelEvaluator(problem);
  const slos = [...new Set(slosSeconds)].sort((a, b) => a - b);
  const points: SloSweepPoint[] = [];
  for (const [index, sloSeconds] of slos.entries()) {
    const at: OptimizationProblem = { ...problem, constraint: { mode: 'latency', sloSeconds } };
    const progress = (update: SearchProgress) =>
      options.onProgress?.({
        ...update,
        fraction: (index + (update.fraction ?? 0)) / slos.length,
        message: `SLO ${sloSeconds} s (${index + 1} of ${slos.length}): ${update.message ?? ''}`,
      });
    const solution = strategy.searchWith
      ? await strategy.searchWith(at, evaluator, progress)
      : await strategy.search(at, progress);
    points.push({ sloSeconds, solution });
  }
  return points;
}
