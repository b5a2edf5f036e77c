import type { Candidate, RangeOutcomeCache } from './candidates.js';
import { type Combination, combineExactly } from './combine-exactly.js';
import { type ClassPosition, type ClassRange, classRange } from './ranges.js';

/** Options of {@link searchPartitions}. */
export interface PartitionSearchOptions {
  readonly positions: readonly ClassPosition[];
  readonly maxBuffers: number;
  readonly limit: number;
  /** Share of requests allowed over the limit: 1 - percentile. */
  readonly missBudget: number;
  /** Bins the miss budget is cut into; misses round up, so results always fit. Default 400. */
  readonly bins?: number;
  /** Ignore cost: find any system within the miss budget (for the best achievable percentile). */
  readonly feasibilityOnly?: boolean;
  /** Called as each range is priced: ranges priced so far by this search, and at most how many. */
  readonly onRange?: (done: number, total: number) => void;
  /** Restricts which ranges (by position index) may form a buffer; default all. */
  readonly allowRange?: (from: number, to: number) => boolean;
}

/**
 * The cheapest system over every partition of the classes into at most `maxBuffers` ranges, by
 * dynamic programming over boundary positions with the miss budget discretised (misses round up,
 * so the result always meets the budget). Each range's outcomes come from the cache, so a range is
 * evaluated once however many partitions use it. The chosen partition is then re-combined exactly
 * with unrounded misses, which removes the rounding loss for it.
 */
export function searchPartitions(
  cache: RangeOutcomeCache,
  options: PartitionSearchOptions,
): Combination | undefined {
  const { positions, maxBuffers, limit, missBudget, feasibilityOnly = false } = options;
  const bins = options.bins ?? 400;
  const binWidth = missBudget > 0 ? missBudget / bins : 1;
  const binsOf = (miss: number) =>
    missBudget > 0 ? Math.ceil(miss / binWidth - 1e-9) : miss > 1e-12 ? bins + 1 : 0;
  const positionCount = positions.length;
  const width = bins + 1;
  const stateCount = positionCount * (maxBuffers + 1) * width;
  const { cost, fromState, fromCandidate } = stateArrays(stateCount);
  // Candidates by the id fromCandidate holds.
  const candidates: Candidate[] = [];
  const index = (position: number, buffers: number, bin: number) =>
    (position * (maxBuffers + 1) + buffers) * width + bin;
  cost[index(0, 0, 0)] = 0;
  let totalRanges = 0;
  for (let from = 0; from + 1 < positionCount; from++) {
    for (let to = from + 1; to < positionCount; to++)
      if (!options.allowRange || options.allowRange(from, to)) totalRanges++;
  }
  const fronts = new Map<
    string,
    { range: ClassRange; front: { id: number; bins: number; cost: number }[] }
  >();
  const frontOf = (from: number, to: number) => {
    const key = `${from}:${to}`;
    let entry = fronts.get(key);
    if (!entry) {
      const range = classRange(positions[from]!, positions[to]!);
      const front = cache
        .front(range, limit)
        .map((candidate) => ({
          id: candidates.push(candidate) - 1,
          bins: binsOf(candidate.miss),
          cost: feasibilityOnly ? 0 : candidate.cost,
        }))
        .filter((entry) => entry.bins <= bins);
      entry = { range, front };
      fronts.set(key, entry);
      options.onRange?.(fronts.size, totalRanges);
    }
    return entry.front;
  };
  // The bins reached at one (position, buffers), ascending: most of the budget's bins are not.
  const reached = new Int32Array(width);
  for (let from = 0; from < positionCount - 1; from++) {
    for (let buffers = 0; buffers < maxBuffers; buffers++) {
      const base = index(from, buffers, 0);
      let reachedCount = 0;
      for (let bin = 0; bin <= bins; bin++)
        if (cost[base + bin]! < Number.POSITIVE_INFINITY) reached[reachedCount++] = bin;
      if (reachedCount === 0) continue;
      for (let to = from + 1; to < positionCount; to++) {
        if (options.allowRange && !options.allowRange(from, to)) continue;
        const front = frontOf(from, to);
        const target = index(to, buffers + 1, 0);
        for (let at = 0; at < reachedCount; at++) {
          const bin = reached[at]!;
          const current = cost[base + bin]!;
          for (const entry of front) {
            const nextBin = bin + entry.bins;
            // Fronts ascend in miss, so in bins: the rest are over the budget too.
            if (nextBin > bins) break;
            const nextCost = current + entry.cost;
            if (nextCost < cost[target + nextBin]!) {
              cost[target + nextBin] = nextCost;
              fromState[target + nextBin] = base + bin;
              fromCandidate[target + nextBin] = entry.id;
            }
          }
        }
      }
    }
  }
  let bestState = -1;
  for (let buffers = 1; buffers <= maxBuffers; buffers++) {
    for (let bin = 0; bin <= bins; bin++) {
      const state = index(positionCount - 1, buffers, bin);
      if (cost[state]! < (bestState < 0 ? Number.POSITIVE_INFINITY : cost[bestState]!))
        bestState = state;
    }
  }
  if (bestState < 0) return undefined;
  const ranges: ClassRange[] = [];
  for (let state = bestState; fromState[state]! >= 0; state = fromState[state]!)
    ranges.unshift(candidates[fromCandidate[state]!]!.range);
  if (feasibilityOnly) {
    const choice: Candidate[] = [];
    for (let state = bestState; fromState[state]! >= 0; state = fromState[state]!)
      choice.unshift(candidates[fromCandidate[state]!]!);
    return {
      choice,
      cost: choice.reduce((sum, c) => sum + c.cost, 0),
      miss: choice.reduce((sum, c) => sum + c.miss, 0),
    };
  }
  return combineExactly(
    ranges.map((range) => cache.front(range, limit)),
    missBudget,
  );
}

// The program's state arrays, kept between calls (a search runs it a few times per limit, and
// an SLO sweep at every limit): only the states a call uses are reset.
let kept: { cost: Float64Array; fromState: Int32Array; fromCandidate: Int32Array } | undefined;

/** Cost (all +inf), predecessor state (all -1) and candidate id of `count` states. */
function stateArrays(count: number) {
  if (!kept || kept.cost.length < count) {
    kept = {
      cost: new Float64Array(count),
      fromState: new Int32Array(count),
      fromCandidate: new Int32Array(count),
    };
  }
  const cost = kept.cost.subarray(0, count).fill(Number.POSITIVE_INFINITY);
  const fromState = kept.fromState.subarray(0, count).fill(-1);
  return { cost, fromState, fromCandidate: kept.fromCandidate.subarray(0, count) };
}
