import { type Candidate, toCandidate } from './candidates.js';
import type { BufferEvaluator, BufferSettings } from './evaluator.js';
import type { OptimizationProblem } from './problem.js';

const TIMEOUT_STEPS = [64, 32, 16, 8, 4, 2, 1];
const MEMORY_STEPS_MB = [1024, 512, 256, 128, 64, 32, 16, 8, 4, 2, 1];

function memoryMoves(problem: OptimizationProblem, memoryMb: number): number[] {
  const { profile } = problem;
  if (profile.interpolation === 'exact') {
    const index = profile.memorySizesMb.indexOf(memoryMb);
    return [profile.memorySizesMb[index - 1], profile.memorySizesMb[index + 1]].filter(
      (value): value is number => value !== undefined,
    );
  }
  const moves: number[] = [];
  for (const step of MEMORY_STEPS_MB) moves.push(memoryMb - step, memoryMb + step);
  return moves.filter(
    (value) => value >= profile.memoryRangeMb.min && value <= profile.memoryRangeMb.max,
  );
}

function timeoutMoves(problem: OptimizationProblem, timeoutSeconds: number): number[] {
  const resolution = problem.bounds.refineTimeoutResolutionSeconds ?? 0;
  const low = Math.min(...problem.bounds.timeoutsSeconds);
  const high = Math.max(...problem.bounds.timeoutsSeconds);
  const moves: number[] = [];
  for (const step of TIMEOUT_STEPS) {
    for (const sign of [-1, 1]) {
      const value =
        Math.round((timeoutSeconds + sign * step * resolution) / resolution) * resolution;
      if (value >= low - 1e-12 && value <= high + 1e-12) moves.push(Number(value.toFixed(9)));
    }
  }
  return moves;
}

/** B one up or down within the bounds; B = 1 needs no timeout, and B > 1 from 1 takes the smallest T. */
function batchSizeMoves(problem: OptimizationProblem, settings: BufferSettings): BufferSettings[] {
  const low = Math.min(...problem.bounds.batchSizes);
  const high = Math.min(Math.max(...problem.bounds.batchSizes), problem.profile.maxBatchSize);
  const moves: BufferSettings[] = [];
  for (const batchSize of [settings.batchSize - 1, settings.batchSize + 1]) {
    if (batchSize < low || batchSize > high) continue;
    const timeoutSeconds =
      batchSize === 1
        ? 0
        : settings.batchSize === 1
          ? Math.min(...problem.bounds.timeoutsSeconds)
          : settings.timeoutSeconds;
    moves.push({ ...settings, batchSize, timeoutSeconds });
  }
  return moves;
}

/**
 * Lowers the cost of a system found on the grid by pattern search beyond it: each buffer's T at
 * the bounds' resolution and M at every MB the profile answers (or its measured sizes), one buffer
 * at a time, and B one step at a time, accepting a move only when it lowers the total cost and
 * keeps total misses within the budget. Ranges stay as found.
 */
export function refineSolution(
  problem: OptimizationProblem,
  evaluator: BufferEvaluator,
  choice: readonly Candidate[],
  limit: number,
  missBudget: number,
): Candidate[] {
  const current = [...choice];
  const totals = () => ({
    cost: current.reduce((sum, candidate) => sum + candidate.cost, 0),
    miss: current.reduce((sum, candidate) => sum + candidate.miss, 0),
  });
  let improved = true;
  for (let round = 0; improved && round < 20; round++) {
    improved = false;
    for (let index = 0; index < current.length; index++) {
      const candidate = current[index]!;
      const { cost, miss } = totals();
      const moves: BufferSettings[] = [
        ...(candidate.settings.batchSize > 1
          ? timeoutMoves(problem, candidate.settings.timeoutSeconds).map((timeoutSeconds) => ({
              ...candidate.settings,
              timeoutSeconds,
            }))
          : []),
        ...memoryMoves(problem, candidate.settings.memoryMb).map((memoryMb) => ({
          ...candidate.settings,
          memoryMb,
        })),
        ...batchSizeMoves(problem, candidate.settings),
      ];
      let best: Candidate | undefined;
      let bestCost = cost;
      for (const settings of moves) {
        const outcome = evaluator.evaluate(candidate.range, settings);
        // Cost first: a move that does not lower it needs no latency (the costly part).
        const nextCost = cost - candidate.cost + outcome.requestShare * outcome.costPerRequestUsd;
        if (!(nextCost < bestCost * (1 - 1e-12))) continue;
        const next = toCandidate(candidate.range, settings, outcome, limit);
        const nextMiss = miss - candidate.miss + next.miss;
        if (nextMiss <= missBudget + 1e-12 && nextCost < bestCost * (1 - 1e-12)) {
          best = next;
          bestCost = nextCost;
        }
      }
      if (best) {
        current[index] = best;
        improved = true;
      }
    }
  }
  return current;
}
