import {
  type BatchComposition,
  type BatchServiceTable,
  batchServiceSeconds,
  costAndFractionWithin,
  expectedBatchCostUsd,
  fractionWithin,
  fractionWithinBound,
  fractionWithinPerSize,
} from '@mbs/model';
import type { BufferSettings, ScreenedFront } from './evaluator.js';

/** What {@link screenFront} reads of one range. */
export interface ScreenFrontInputs {
  /** The range's share of all requests (positive). */
  readonly requestShare: number;
  /** The batch composition of a setting; called once per (B, T) priced. */
  readonly compositionOf: (settings: BufferSettings) => BatchComposition;
  readonly tableAt: (memoryMb: number) => BatchServiceTable;
  /**
   * At most the share-weighted cost per request of the settings with this B and T (any memory of
   * the list), known without their batch composition (none: every (B, T) is priced before any
   * setting is visited). Settings whose bound exceeds the cost where the visit stops are never
   * priced, so their batch compositions (wait laws) are never computed.
   */
  readonly costLowerBound?: (batchSize: number, timeoutSeconds: number) => number;
  /**
   * Service seconds at most every memory's of the list, laid out as `batchServiceSeconds` (the
   * least over them): a (B, T) whose batches miss the limit by service alone even at these is
   * passed over without visiting its memories. Read only for plain latency limits.
   */
  readonly fastestService?: () => Float64Array;
  /** Representative sizes by class id, for a per-size limit (none: plain latency). */
  readonly perSize?: readonly number[];
  /** Counts one latency evaluation (the costly part). */
  readonly onEvaluation: () => void;
  /**
   * What an earlier screen of this range priced (no limit changes it), so the grid is not priced
   * again: an SLO sweep, or the bisections of an infeasible or budget search. Settings priced now
   * are written into it.
   */
  readonly priced?: PricedRange | undefined;
  /** Receives the record when this screen made it, to pass back as `priced` next time. */
  readonly onPriced?: (priced: PricedRange) => void;
}

/** A range's grid as far as screens have priced it. */
export interface PricedRange {
  /** Share-weighted cost per request of each setting; NaN while its (B, T) is unpriced. */
  readonly costs: Float64Array;
  /**
   * By (B, T) group (runs of settings with one B and T, in the list's order): the least cost of
   * its settings once priced, before that the least of their lower bounds.
   */
  readonly groupKeys: Float64Array;
  /** By group, once priced: its cheapest setting (least cost, then least index). */
  readonly heads: Int32Array;
  /** By setting, once priced: the next of its group by (cost, index), or -1 after the last. */
  readonly next: Int32Array;
}

/**
 * The Pareto front of one range's settings within a miss cap, evaluating latency only where it
 * can matter. Settings are visited by ascending cost (equal costs in the settings' order), and a
 * setting's latency fraction is computed only while it can still beat the least miss of the
 * cheaper ones, and stopped early once it cannot. At a loose limit the cheapest setting misses
 * nothing and the visit ends there, so work no longer grows with the limit.
 *
 * Pricing is lazy too: each (B, T) enters the visit order at a lower bound of its settings' costs
 * (`costLowerBound`, which needs no wait law) and is priced (O(B) per setting from the
 * largest-class law's cost by size, once its batch composition is known) only when the visit
 * reaches that bound. Since no setting's cost is below its bound, the settings come out in the
 * same order as sorting every priced cost. Costs priced by an earlier screen of the range
 * (`priced`) are reused. Values and tie-breaking equal those of screening every setting and
 * keeping `paretoFront` of those within the cap.
 */
export function screenFront(
  settingsList: readonly BufferSettings[],
  limit: number,
  missCap: number,
  inputs: ScreenFrontInputs,
): ScreenedFront {
  const { requestShare: share, tableAt, perSize } = inputs;
  const count = settingsList.length;
  const { starts: groups, groupOf } = batchAndTimeoutGroups(settingsList);
  const groupCount = groups.length - 1;
  let record = inputs.priced;
  if (!record) {
    const groupKeys = new Float64Array(groupCount);
    for (let group = 0; group < groupCount; group++) {
      const { batchSize, timeoutSeconds } = settingsList[groups[group]!]!;
      groupKeys[group] =
        inputs.costLowerBound?.(batchSize, timeoutSeconds) ?? Number.NEGATIVE_INFINITY;
    }
    record = {
      costs: new Float64Array(count).fill(Number.NaN),
      groupKeys,
      heads: new Int32Array(groupCount),
      next: new Int32Array(count),
    };
    inputs.onPriced?.(record);
  }
  const { costs: priced, groupKeys, heads, next } = record;
  // Heap entries: a setting's index (at its cost), or count + g for the group g (at its key, tied
  // as its first setting): a group's key is at most its settings' costs, so it pops before them
  // and puts its cheapest setting in the heap, priced first if need be; each setting popped puts
  // the next of its group in (a merge of the groups' sorted runs: the same order as holding them
  // all). A group's key changes only once it has popped, and a setting enters priced, so the
  // heap reads both where they are kept.
  const entries: number[] = [];
  for (let group = 0; group < groupCount; group++) entries.push(count + group);
  const order = new KeyHeap(
    (entry) => (entry < count ? priced[entry]! : groupKeys[entry - count]!),
    (entry) => (entry < count ? entry : groups[entry - count]!),
    entries,
  );
  const indices: number[] = [];
  const misses: number[] = [];
  let leastMiss = Number.POSITIVE_INFINITY;
  // A fraction within the limit above this floor is needed to join the front (miss < leastMiss,
  // miss <= missCap).
  const floorNow = () => 1 - Math.min(leastMiss, missCap * (1 + 1e-9) + 1e-15) / share;
  // Exactly (no margin): a fraction within at most `bound` leaves a miss of at least
  // share x (1 - bound), so a miss below the least one is out of reach.
  const cannotJoin = (bound: number) => share * Math.max(0, 1 - bound) >= leastMiss;
  // Every memory of a group shares one batch composition. Kept for this screen only: a range's
  // wait laws stay in the evaluator's cache, which bounds their memory.
  const compositions: (BatchComposition | undefined)[] = new Array(groupCount);
  const compositionOf = (group: number): BatchComposition => {
    compositions[group] ??= inputs.compositionOf(settingsList[groups[group]!]!);
    return compositions[group]!;
  };
  const openGroup = (group: number) => {
    const first = groups[group]!;
    const end = groups[group + 1]!;
    // Passed over when even the fastest service misses too much: each memory's fraction is at
    // most this bound, which fractionWithin would find under its floor (the floor only rises), or
    // which leaves each memory a miss of at least the least one (a range whose classes all miss
    // the limit by service alone: every setting misses its whole share).
    if (inputs.fastestService && !perSize) {
      const bound = fractionWithinBound(compositionOf(group), inputs.fastestService(), limit);
      if (bound + 1e-12 <= floorNow() || cannotJoin(bound)) return;
    }
    if (Number.isNaN(priced[first]!)) {
      const batches = compositionOf(group);
      let least = Number.POSITIVE_INFINITY;
      for (let index = first; index < end; index++) {
        priced[index] =
          share *
          (expectedBatchCostUsd(batches, tableAt(settingsList[index]!.memoryMb)) /
            batches.law.meanBatchSize);
        least = Math.min(least, priced[index]!);
      }
      groupKeys[group] = least;
      linkByCost(priced, first, end, heads, group, next);
    }
    order.push(heads[group]!);
  };

  for (let entry = order.pop(); entry >= 0 && leastMiss > 0; entry = order.pop()) {
    if (entry >= count) {
      openGroup(entry - count);
      continue;
    }
    const index = entry;
    if (next[index]! >= 0) order.push(next[index]!);
    const composition = compositionOf(groupOf[index]!);
    const table = tableAt(settingsList[index]!.memoryMb);
    const service = batchServiceSeconds(composition, table);
    inputs.onEvaluation();
    let within: number;
    if (perSize) {
      within = fractionWithinPerSize(composition, service, limit, perSize);
    } else {
      within = fractionWithin(composition, service, limit, floorNow());
    }
    const miss = share * Math.max(0, 1 - within);
    if (miss < leastMiss && miss <= missCap) {
      indices.push(index);
      misses.push(miss);
      leastMiss = miss;
    }
  }
  indices.reverse();
  misses.reverse();
  return { indices, costs: indices.map((index) => priced[index]!), misses };
}

// Scratch for linkByCost (runs are a (B, T)'s memories: a few dozen).
let linkScratch = new Int32Array(64);

/**
 * Links the settings first..end-1 by ascending (cost, index): `heads[group]` the first, `next` of
 * each the one after it (-1 after the last). By insertion, which is quick on runs this short.
 */
function linkByCost(
  costs: Float64Array,
  first: number,
  end: number,
  heads: Int32Array,
  group: number,
  next: Int32Array,
): void {
  const length = end - first;
  if (linkScratch.length < length) linkScratch = new Int32Array(length);
  const run = linkScratch;
  for (let offset = 0; offset < length; offset++) {
    const index = first + offset;
    const cost = costs[index]!;
    let position = offset;
    // Indices ascend, so an equal cost already placed stays before this one.
    while (position > 0 && costs[run[position - 1]!]! > cost) {
      run[position] = run[position - 1]!;
      position--;
    }
    run[position] = index;
  }
  heads[group] = run[0]!;
  for (let position = 0; position + 1 < length; position++)
    next[run[position]!] = run[position + 1]!;
  next[run[length - 1]!] = -1;
}

/** Where each run of settings with one (B, T) starts, and which run each setting is in. */
interface SettingsGroups {
  /** Each run's first index, then the list's length. */
  readonly starts: Int32Array;
  /** By setting index: its run. */
  readonly groupOf: Int32Array;
}

// Kept per (frozen) list.
const groupsOfList = new WeakMap<readonly BufferSettings[], SettingsGroups>();

/** The runs of settings with one (B, T) in the list, computed once per list. */
function batchAndTimeoutGroups(settingsList: readonly BufferSettings[]): SettingsGroups {
  let groups = groupsOfList.get(settingsList);
  if (!groups) {
    const starts: number[] = [];
    const groupOf = new Int32Array(settingsList.length);
    settingsList.forEach((settings, index) => {
      const previous = settingsList[index - 1];
      if (
        !previous ||
        previous.batchSize !== settings.batchSize ||
        previous.timeoutSeconds !== settings.timeoutSeconds
      )
        starts.push(index);
      groupOf[index] = starts.length - 1;
    });
    starts.push(settingsList.length);
    groups = { starts: Int32Array.from(starts), groupOf };
    groupsOfList.set(settingsList, groups);
  }
  return groups;
}

/**
 * Cost and miss of every setting of one range (`BufferEvaluator.screen`): values `[2i]` the
 * share-weighted cost per request, `[2i + 1]` the share-weighted miss at `limit`. Settings come
 * grouped by (B, T), so one batch composition serves every memory.
 */
export function screenSettings(
  settingsList: readonly BufferSettings[],
  limit: number,
  inputs: ScreenFrontInputs,
): Float64Array {
  const { requestShare: share, tableAt, perSize } = inputs;
  const values = new Float64Array(settingsList.length * 2);
  let batches: BatchComposition | undefined;
  settingsList.forEach((settings, index) => {
    inputs.onEvaluation();
    const { batchSize, timeoutSeconds } = batches?.law ?? {};
    if (batchSize !== settings.batchSize || timeoutSeconds !== settings.timeoutSeconds)
      batches = inputs.compositionOf(settings);
    const figures = costAndFractionWithin(batches!, tableAt(settings.memoryMb), limit, perSize);
    values[2 * index] = share * figures.costPerRequestUsd;
    values[2 * index + 1] = share * Math.max(0, 1 - figures.fractionWithin);
  });
  return values;
}

/** A binary min-heap of entries by (key, tie): pops in a stable ascending order. */
class KeyHeap {
  readonly #heap: number[];

  constructor(
    private readonly keyOf: (entry: number) => number,
    private readonly tieOf: (entry: number) => number,
    entries: number[],
  ) {
    this.#heap = entries;
    for (let node = (entries.length >> 1) - 1; node >= 0; node--) this.#down(node);
  }

  push(entry: number): void {
    const heap = this.#heap;
    let node = heap.length;
    heap.push(entry);
    while (node > 0) {
      const parent = (node - 1) >> 1;
      if (!this.#before(entry, heap[parent]!)) break;
      heap[node] = heap[parent]!;
      node = parent;
    }
    heap[node] = entry;
  }

  /** The next entry, or -1 when empty. */
  pop(): number {
    const heap = this.#heap;
    if (heap.length === 0) return -1;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.#down(0);
    }
    return top;
  }

  #before(a: number, b: number): boolean {
    const keyA = this.keyOf(a);
    const keyB = this.keyOf(b);
    return keyA < keyB || (keyA === keyB && this.tieOf(a) < this.tieOf(b));
  }

  #down(start: number): void {
    const heap = this.#heap;
    const size = heap.length;
    let node = start;
    for (;;) {
      const left = 2 * node + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && this.#before(heap[right]!, heap[left]!) ? right : left;
      if (!this.#before(heap[child]!, heap[node]!)) return;
      const swap = heap[node]!;
      heap[node] = heap[child]!;
      heap[child] = swap;
      node = child;
    }
  }
}
