import {
  type BatchComposition,
  type BatchServiceTable,
  batchServiceSeconds,
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
}

/**
 * One range's settings priced, which no latency limit changes: each setting's share of the mean
 * cost per request, and the settings by ascending cost (equal costs in the settings' order).
 * {@link screenFront} takes it so that searches of one range at several limits (an SLO sweep, the
 * bisections of an infeasible or budget search) price the grid once.
 */
export interface PricedSettings {
  readonly costs: Float64Array;
  /** Setting indices by ascending (cost, index). */
  readonly order: Int32Array;
}

/** Prices every setting of a range (O(B) each from the largest-class law's cost by size). */
export function priceSettings(
  settingsList: readonly BufferSettings[],
  inputs: Pick<ScreenFrontInputs, 'requestShare' | 'compositionOf' | 'tableAt'>,
): PricedSettings {
  const { requestShare: share, tableAt } = inputs;
  const count = settingsList.length;
  const costs = new Float64Array(count);
  let batches: BatchComposition | undefined;
  for (let index = 0; index < count; index++) {
    const settings = settingsList[index]!;
    const { batchSize, timeoutSeconds } = batches?.law ?? {};
    if (batchSize !== settings.batchSize || timeoutSeconds !== settings.timeoutSeconds)
      batches = inputs.compositionOf(settings);
    costs[index] =
      share *
      (expectedBatchCostUsd(batches!, tableAt(settings.memoryMb)) / batches!.law.meanBatchSize);
  }
  const order = Int32Array.from({ length: count }, (_, index) => index).sort(
    (a, b) => costs[a]! - costs[b]! || a - b,
  );
  return { costs, order };
}

/**
 * The Pareto front of one range's settings within a miss cap, evaluating latency only where it
 * can matter: every setting is priced first ({@link priceSettings}, or `priced` when the range's
 * grid was priced before), then settings are visited by ascending cost and a setting's latency
 * fraction is computed only while it can still beat the least miss of the cheaper ones, and
 * stopped early once it cannot. At a loose limit the cheapest setting misses nothing and the
 * visit ends there, so work no longer grows with the limit. Values and tie-breaking equal those
 * of screening every setting and keeping `paretoFront` of those within the cap.
 */
export function screenFront(
  settingsList: readonly BufferSettings[],
  limit: number,
  missCap: number,
  inputs: ScreenFrontInputs,
  priced: PricedSettings = priceSettings(settingsList, inputs),
): ScreenedFront {
  const { requestShare: share, tableAt, perSize } = inputs;
  const { costs, order } = priced;
  // Visited settings are not grouped by (B, T): one composition per (B, T) serves every M.
  const compositions = new Map<string, BatchComposition>();
  const compositionOf = (settings: BufferSettings) => {
    const key = `${settings.batchSize}/${settings.timeoutSeconds}`;
    let composition = compositions.get(key);
    if (!composition) {
      composition = inputs.compositionOf(settings);
      compositions.set(key, composition);
    }
    return composition;
  };
  const indices: number[] = [];
  const misses: number[] = [];
  let leastMiss = Number.POSITIVE_INFINITY;
  for (let position = 0; position < order.length && leastMiss > 0; position++) {
    const index = order[position]!;
    const settings = settingsList[index]!;
    const composition = compositionOf(settings);
    const table = tableAt(settings.memoryMb);
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
