import type { Candidate } from './candidates.js';

/** The cheapest choice of one candidate per range, and its totals. */
export interface Combination {
  readonly choice: readonly Candidate[];
  readonly cost: number;
  readonly miss: number;
}

/**
 * Picks one candidate from each list so that total misses stay within `missBudget` at the least
 * total cost: exact, by branch and bound over Pareto fronts (each list ascending in miss,
 * descending in cost). Returns undefined when no choice fits the budget.
 */
export function combineExactly(
  fronts: readonly (readonly Candidate[])[],
  missBudget: number,
): Combination | undefined {
  const count = fronts.length;
  if (fronts.some((front) => front.length === 0)) return undefined;
  // Suffix bounds: the least cost and the least miss the remaining lists can still add.
  const minCostAfter = new Float64Array(count + 1);
  const minMissAfter = new Float64Array(count + 1);
  for (let index = count - 1; index >= 0; index--) {
    const front = fronts[index]!;
    minCostAfter[index] =
      minCostAfter[index + 1]! + Math.min(...front.map((candidate) => candidate.cost));
    minMissAfter[index] =
      minMissAfter[index + 1]! + Math.min(...front.map((candidate) => candidate.miss));
  }
  const tolerance = 1e-12;
  let bestCost = Number.POSITIVE_INFINITY;
  let best: Candidate[] | undefined;
  const chosen: Candidate[] = [];
  const visit = (index: number, cost: number, miss: number) => {
    if (index === count) {
      if (cost < bestCost) {
        bestCost = cost;
        best = [...chosen];
      }
      return;
    }
    for (const candidate of fronts[index]!) {
      const nextMiss = miss + candidate.miss;
      if (nextMiss + minMissAfter[index + 1]! > missBudget + tolerance) continue;
      const nextCost = cost + candidate.cost;
      if (nextCost + minCostAfter[index + 1]! >= bestCost) continue;
      chosen.push(candidate);
      visit(index + 1, nextCost, nextMiss);
      chosen.pop();
    }
  };
  visit(0, 0, 0);
  if (!best) return undefined;
  return {
    choice: best,
    cost: bestCost,
    miss: best.reduce((sum, candidate) => sum + candidate.miss, 0),
  };
}
