import {
  type BatchComposition,
  type BatchServiceTable,
  batchServiceSeconds,
  costAndFractionWithin,
  expectedBatchCostUsd,
  fractionWithin,
  fractionWithinPerSize,
} from '@mbs/model';
import type { BufferSettings, ScreenedFront } from './evaluator.js';

/** What {@link screenFront} reads of one range. */
export interface ScreenFrontInputs {
  /** The range's share of all requests (positive). */
  readonly requestShare: number;
  /** The batch composition of a setting; called in the settings' order, grouped by (B, T). */
  readonly compositionOf: (settings: BufferSettings) => BatchComposition;
  readonly tableAt: (memoryMb: number) => BatchServiceTable;
  /** Representative sizes by class id, for a per-size limit (none: plain latency). */
  readonly perSize?: readonly number[];
  /** Counts one latency evaluation (the costly part). */
  readonly onEvaluation: () => void;
  /**
   * The settings' costs from an earlier screen of this range (no limit changes them), so the grid
   * is not priced again: an SLO sweep, or the bisections of an infeasible or budget search.
   */
  readonly priced?: Float64Array;
  /** Receives the costs when this screen priced the grid, to pass back as `priced` next time. */
  readonly onPriced?: (costs: Float64Array) => void;
}

/**
 * The Pareto front of one range's settings within a miss cap, evaluating latency only where it
 * can matter: every setting is priced first (O(B) each from the largest-class law's cost by
 * size), then settings are visited by ascending cost and a setting's latency fraction is computed
 * only while it can still beat the least miss of the cheaper ones, and stopped early once it
 * cannot. At a loose limit the cheapest setting misses nothing and the visit ends there, so work
 * no longer grows with the limit. Costs priced by an earlier screen of the range (`priced`) are
 * reused. Values and tie-breaking equal those of screening every setting
 * and keeping `paretoFront` of those within the cap.
 */
export function screenFront(
  settingsList: readonly BufferSettings[],
  limit: number,
  missCap: number,
  inputs: ScreenFrontInputs,
): ScreenedFront {
  const { requestShare: share, tableAt, perSize } = inputs;
  const count = settingsList.length;
  const costs = inputs.priced ?? new Float64Array(count);
  const compositions: (BatchComposition | undefined)[] = new Array(count);
  if (!inputs.priced) {
    let batches: BatchComposition | undefined;
    for (let index = 0; index < count; index++) {
      const settings = settingsList[index]!;
      const { batchSize, timeoutSeconds } = batches?.law ?? {};
      if (batchSize !== settings.batchSize || timeoutSeconds !== settings.timeoutSeconds)
        batches = inputs.compositionOf(settings);
      compositions[index] = batches!;
      costs[index] =
        share *
        (expectedBatchCostUsd(batches!, tableAt(settings.memoryMb)) / batches!.law.meanBatchSize);
    }
    inputs.onPriced?.(costs);
  }
  // Priced before: compositions only for the settings visited, one per (B, T) for every M.
  const byBatchAndTimeout = new Map<string, BatchComposition>();
  const compositionAt = (index: number): BatchComposition => {
    const known = compositions[index];
    if (known) return known;
    const settings = settingsList[index]!;
    const key = `${settings.batchSize}/${settings.timeoutSeconds}`;
    let composition = byBatchAndTimeout.get(key);
    if (!composition) {
      composition = inputs.compositionOf(settings);
      byBatchAndTimeout.set(key, composition);
    }
    return composition;
  };
  const indices: number[] = [];
  const misses: number[] = [];
  let leastMiss = Number.POSITIVE_INFINITY;
  // By ascending cost, equal costs in the settings' order; a heap, as the visit often ends early.
  const order = new CostHeap(costs);
  for (let index = order.pop(); index >= 0 && leastMiss > 0; index = order.pop()) {
    const composition = compositionAt(index);
    const table = tableAt(settingsList[index]!.memoryMb);
    const service = batchServiceSeconds(composition, table);
    inputs.onEvaluation();
    let within: number;
    if (perSize) {
      within = fractionWithinPerSize(composition, service, limit, perSize);
    } else {
      // On the front only if miss < leastMiss and miss <= missCap: within above this floor.
      const floor = 1 - Math.min(leastMiss, missCap * (1 + 1e-9) + 1e-15) / share;
      within = fractionWithin(composition, service, limit, floor);
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
  return { indices, costs: indices.map((index) => costs[index]!), misses };
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

/**
 * Each range's grid costs by settings list, for {@link ScreenFrontInputs.priced}: a range's grid
 * is priced once for every limit it is screened at (an SLO sweep, bisections); past `capacity`
 * ranges per list the oldest is dropped.
 */
export class PricedGrids {
  readonly #byList = new WeakMap<readonly BufferSettings[], Map<string, Float64Array>>();

  constructor(private readonly capacity: number) {}

  /** `priced` (when known) and `onPriced` for one screen of the range `key`. */
  of(
    settingsList: readonly BufferSettings[],
    key: string,
  ): Pick<ScreenFrontInputs, 'priced' | 'onPriced'> {
    let byRange = this.#byList.get(settingsList);
    if (!byRange) {
      byRange = new Map();
      this.#byList.set(settingsList, byRange);
    }
    const kept = byRange;
    const priced = kept.get(key);
    return {
      ...(priced ? { priced } : {}),
      onPriced: (costs) => {
        kept.set(key, costs);
        if (kept.size > this.capacity) kept.delete(kept.keys().next().value!);
      },
    };
  }
}

/** A binary min-heap of setting indices by (cost, index): pops in a stable ascending order. */
class CostHeap {
  readonly #heap: Int32Array;
  #size: number;

  constructor(private readonly costs: Float64Array) {
    this.#size = costs.length;
    this.#heap = Int32Array.from({ length: this.#size }, (_, index) => index);
    for (let node = (this.#size >> 1) - 1; node >= 0; node--) this.#down(node);
  }

  /** The next index, or -1 when empty. */
  pop(): number {
    if (this.#size === 0) return -1;
    const top = this.#heap[0]!;
    this.#size--;
    this.#heap[0] = this.#heap[this.#size]!;
    this.#down(0);
    return top;
  }

  #before(a: number, b: number): boolean {
    const costA = this.costs[a]!;
    const costB = this.costs[b]!;
    return costA < costB || (costA === costB && a < b);
  }

  #down(start: number): void {
    const heap = this.#heap;
    let node = start;
    for (;;) {
      const left = 2 * node + 1;
      if (left >= this.#size) return;
      const right = left + 1;
      const child = right < this.#size && this.#before(heap[right]!, heap[left]!) ? right : left;
      if (!this.#before(heap[child]!, heap[node]!)) return;
      const swap = heap[node]!;
      heap[node] = heap[child]!;
      heap[child] = swap;
      node = child;
    }
  }
}
