import type { Candidate } from './candidates.js';
import { systemCostPerRequest, systemPercentile } from './evaluator.js';
import { gridBoundsReached } from './grid-bounds.js';
import type { OptimizationProblem } from './problem.js';
import { bufferFromRange } from './ranges.js';
import type { Solution } from './solution.js';

/** An upper bound on any latency of the problem's grid, to bracket percentile searches. */
export function latencyUpperBound(problem: OptimizationProblem): number {
  const { profile, bounds } = problem;
  const longestTimeout = Math.max(0, ...bounds.timeoutsSeconds);
  const largestBatch = Math.max(...bounds.batchSizes);
  const smallestMemory = Math.min(...bounds.memoriesMb);
  const slowest = profile.serviceTimeSeconds(
    smallestMemory,
    profile.classCount - 1,
    Math.min(largestBatch, profile.maxBatchSize),
  );
  const perSizeScale = problem.perSize
    ? 1 / Math.max(1e-12, Math.min(...problem.classRepresentativeSizes))
    : 1;
  return (longestTimeout + slowest) * perSizeScale * 2;
}

/** Builds the reported solution from the chosen candidates (one per buffer, ascending classes). */
export function assembleSolution(
  problem: OptimizationProblem,
  strategy: string,
  choice: readonly Candidate[],
  context: { readonly feasible: boolean; readonly evaluations: number; readonly startedMs: number },
): Solution {
  const sorted = [...choice].sort(
    (a, b) =>
      a.range.from.classId + a.range.from.share - (b.range.from.classId + b.range.from.share),
  );
  const outcomes = sorted.map((candidate) => candidate.outcome);
  const weighted = (value: (candidate: Candidate) => number) =>
    sorted.reduce((sum, candidate) => sum + candidate.outcome.requestShare * value(candidate), 0);
  return {
    strategy,
    feasible: context.feasible,
    system: {
      buffers: sorted.map((candidate) => bufferFromRange(candidate.range, candidate.settings)),
    },
    buffers: sorted.map(({ range, settings, outcome }) => ({ range, settings, outcome })),
    percentile: problem.percentile,
    latencyPercentile: systemPercentile(outcomes, problem.percentile, latencyUpperBound(problem)),
    costPerRequestUsd: systemCostPerRequest(outcomes),
    invocationsPerSecond: sorted.reduce(
      (sum, candidate) => sum + candidate.outcome.invocationsPerSecond,
      0,
    ),
    paddingShare: weighted((candidate) => candidate.outcome.paddingShare),
    meanLatencySeconds: weighted((candidate) => candidate.outcome.meanLatencySeconds),
    gridBoundsReached: gridBoundsReached(problem, sorted),
    evaluations: context.evaluations,
    elapsedSeconds: (performance.now() - context.startedMs) / 1000,
  };
}
