import { batchServiceTables } from '@mbs/model';
import type { OptimizationProblem } from './problem.js';
import type { ClassRange } from './ranges.js';

/** The least latency a request of each class can see on the problem's grid, and their p-quantile. */
export interface LatencyFloor {
  /**
   * By class id: the least service time of any batch holding a request of the class (largest
   * class at least its own, any batch size of the grid, any memory of the grid), in seconds (per
   * size unit for a per-size problem). A request never waits less than 0, so no configuration of
   * the grid serves any request of the class faster.
   */
  readonly classSeconds: readonly number[];
  /**
   * The problem's percentile of `classSeconds` weighted by class shares: no configuration of the
   * grid reaches a smaller percentile of latency over all requests.
   */
  readonly percentileSeconds: number;
  /**
   * No batching: each class in batches of one at the memory of the grid where it runs fastest.
   * `memoriesMb` by class id; `percentileSeconds` is this configuration's percentile (every
   * request is served at once, so no arrival model is needed). It equals the floor, within
   * 1e-6, on every grid whose service times grow with the batch and the class; it is then the
   * configuration that reaches the best achievable percentile.
   */
  readonly batchesOfOne: {
    readonly memoriesMb: readonly number[];
    readonly percentileSeconds: number;
  };
}

/**
 * What the floor reads of a problem: service times, prices, the grid, class shares and the
 * percentile, not the arrivals, so it can be computed before a trace is fitted.
 */
export type LatencyFloorProblem = Pick<
  OptimizationProblem,
  | 'profile'
  | 'pricing'
  | 'bounds'
  | 'classShares'
  | 'percentile'
  | 'perSize'
  | 'classRepresentativeSizes'
>;

/** The `percentile` quantile of per-class latencies weighted by class shares. */
function weightedQuantile(
  classSeconds: readonly number[],
  classShares: readonly number[],
  percentile: number,
): number {
  const order = classSeconds
    .map((seconds, classId) => ({ seconds, share: classShares[classId]! }))
    .sort((a, b) => a.seconds - b.seconds);
  let covered = 0;
  for (const { seconds, share } of order) {
    covered += share;
    if (covered >= percentile) return seconds;
  }
  return order.at(-1)?.seconds ?? 0;
}

/**
 * A lower bound on the latency percentile any configuration of the problem's grid can reach,
 * from service times alone (O(classes x batch sizes x memories), no arrival model): an SLO under
 * it is infeasible without searching. With B = 1 on the grid it is usually reached (a batch of
 * one at the fastest memory never waits), which {@link gridSearch} uses to answer an infeasible
 * SLO at once.
 *
 * @example
 * ```ts
 * if (problem.constraint.mode === 'latency' && latencyFloor(problem).percentileSeconds > problem.constraint.sloSeconds)
 *   console.log('infeasible');
 * ```
 */
export function latencyFloor(problem: LatencyFloorProblem): LatencyFloor {
  // Kept per bounds object for the same profile, pricing, shares, sizes and percentile (the
  // searches of an SLO sweep, which differ only in the constraint).
  let known = floorsByBounds.get(problem.bounds);
  if (!known) {
    known = [];
    floorsByBounds.set(problem.bounds, known);
  }
  const same = (other: FloorKey) =>
    other.profile === problem.profile &&
    other.pricing === problem.pricing &&
    other.classShares === problem.classShares &&
    other.percentile === problem.percentile &&
    (other.perSize ?? false) === (problem.perSize ?? false) &&
    other.classRepresentativeSizes === problem.classRepresentativeSizes;
  const found = known.find((entry) => same(entry.problem));
  if (found) return found.floor;
  const floor = computeLatencyFloor(problem);
  if (known.length >= FLOORS_KEPT_PER_BOUNDS) known.shift();
  const { profile, pricing, classShares, percentile, perSize, classRepresentativeSizes } = problem;
  known.push({
    problem: {
      profile,
      pricing,
      classShares,
      percentile,
      perSize: perSize ?? false,
      classRepresentativeSizes,
    },
    floor,
  });
  return floor;
}

const FLOORS_KEPT_PER_BOUNDS = 8;
/** What a kept floor was computed from, besides its bounds (compared by identity). */
type FloorKey = Omit<LatencyFloorProblem, 'bounds'>;
const floorsByBounds = new WeakMap<
  LatencyFloorProblem['bounds'],
  { problem: FloorKey; floor: LatencyFloor }[]
>();

function computeLatencyFloor(problem: LatencyFloorProblem): LatencyFloor {
  const { profile, bounds, classShares } = problem;
  const tableAt = batchServiceTables(profile, problem.pricing);
  const classCount = classShares.length;
  const largestBatch = Math.min(Math.max(...bounds.batchSizes), profile.maxBatchSize);
  // fastest[c]: the least service time of a batch whose largest class is c.
  const fastest = new Array<number>(classCount).fill(Number.POSITIVE_INFINITY);
  const alone = new Array<number>(classCount).fill(Number.POSITIVE_INFINITY);
  const aloneMemoriesMb = new Array<number>(classCount).fill(Number.NaN);
  for (const memoryMb of bounds.memoriesMb) {
    const table = tableAt(memoryMb);
    for (let classId = 0; classId < classCount; classId++) {
      const single = table.seconds(classId, 1);
      if (single < alone[classId]!) {
        alone[classId] = single;
        aloneMemoriesMb[classId] = memoryMb;
      }
      // Any size up to the largest B: a timed-out batch may hold fewer than its B.
      for (let size = 1; size <= largestBatch; size++) {
        fastest[classId] = Math.min(fastest[classId]!, table.seconds(classId, size));
      }
    }
  }
  // A request of class k rides in a batch whose largest class is k or above.
  const classSeconds = new Array<number>(classCount);
  const perSize = (classId: number) =>
    problem.perSize ? problem.classRepresentativeSizes[classId]! : 1;
  let least = Number.POSITIVE_INFINITY;
  for (let classId = classCount - 1; classId >= 0; classId--) {
    least = Math.min(least, fastest[classId]!);
    classSeconds[classId] = least / perSize(classId);
  }
  return {
    classSeconds,
    percentileSeconds: weightedQuantile(classSeconds, classShares, problem.percentile),
    batchesOfOne: {
      memoriesMb: aloneMemoriesMb,
      percentileSeconds: weightedQuantile(
        alone.map((seconds, classId) => seconds / perSize(classId)),
        classShares,
        problem.percentile,
      ),
    },
  };
}

/**
 * Whether `limit` is certainly under the floor: even if every request whose class floor is at
 * most `limit` met it, the percentile would not be reached (with margins wider than the search's
 * own tolerances, so the search could not have found it feasible either).
 */
export function underFloor(
  problem: Pick<OptimizationProblem, 'classShares' | 'percentile'>,
  floor: LatencyFloor,
  limit: number,
): boolean {
  let reachable = 0;
  floor.classSeconds.forEach((seconds, classId) => {
    if (seconds <= limit * (1 + 1e-9)) reachable += problem.classShares[classId]!;
  });
  return reachable < problem.percentile - 1e-6;
}

/**
 * By class id, the share of all requests that misses `limit` in every configuration of the grid:
 * a class's share where even its floor (`classSeconds`, with a relative margin of 1e-9 for
 * rounding) exceeds the limit, 0 elsewhere. The model puts no probability within the limit on
 * such a class (its batches' service alone exceeds it), so these shares are misses that any
 * system covering the classes must spend its budget on.
 */
export function sureMissShares(
  floor: LatencyFloor,
  classShares: readonly number[],
  limit: number,
): Float64Array {
  return Float64Array.from(floor.classSeconds, (seconds, classId) =>
    seconds > limit * (1 + 1e-9) ? classShares[classId]! : 0,
  );
}

/**
 * Each class range's miss cap at a limit: `missCap` less what the classes outside it surely miss
 * ({@link sureMissShares}), less a relative 1e-9 for rounding. Every system covers every class
 * once, so a candidate missing more than its range's cap fits in no system within `missCap`, and
 * the screens may pass over it: at an SLO near the floor the largest classes' sure misses take
 * most of the budget. Fronts lose only such candidates, so searches find the same systems.
 */
export function rangeMissCaps(
  problem: Pick<OptimizationProblem, 'classShares'>,
  floor: LatencyFloor,
  missCap: number,
): (range: ClassRange, limit: number) => number {
  let sharesAt: { limit: number; shares: Float64Array; total: number } | undefined;
  return (range, limit) => {
    if (sharesAt?.limit !== limit) {
      const shares = sureMissShares(floor, problem.classShares, limit);
      sharesAt = { limit, shares, total: shares.reduce((sum, share) => sum + share, 0) };
    }
    const { shares, total } = sharesAt;
    if (total === 0) return missCap;
    let own = 0;
    range.portions.forEach((portion, offset) => {
      own += portion * shares[range.firstClass + offset]!;
    });
    return missCap - Math.max(0, total - own) * (1 - 1e-9);
  };
}
