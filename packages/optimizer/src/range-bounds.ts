import type { BatchServiceTable, LargestClassLaw } from '@mbs/model';
import type { BufferSettings } from './evaluator.js';

/** What the screens need of a settings list: its largest B and its memories. */
export interface SettingsListSummary {
  readonly largestBatchSize: number;
  readonly memoriesMb: readonly number[];
}

// Read once per (frozen) list: every range screened against it asks again.
const listSummaries = new WeakMap<readonly BufferSettings[], SettingsListSummary>();

/** The largest B and the distinct memories of `settingsList`, computed once per list. */
export function listSummary(settingsList: readonly BufferSettings[]): SettingsListSummary {
  let summary = listSummaries.get(settingsList);
  if (!summary) {
    summary = {
      largestBatchSize: settingsList.reduce((most, { batchSize }) => Math.max(most, batchSize), 1),
      memoriesMb: [...new Set(settingsList.map((settings) => settings.memoryMb))],
    };
    listSummaries.set(settingsList, summary);
  }
  return summary;
}

/**
 * c(n), the expected cost of a batch of n (at index n - 1), at the cheapest of `memoriesMb` for
 * each n: a range's batch costs can be no lower at any of them (for the lazy pricing's bound).
 */
export function leastCostBySize(
  classes: LargestClassLaw,
  memoriesMb: readonly number[],
  tableAt: (memoryMb: number) => BatchServiceTable,
): Float64Array {
  const least = new Float64Array(classes.maxBatchSize).fill(Number.POSITIVE_INFINITY);
  for (const memoryMb of memoriesMb) {
    const bySize = classes.costBySize(tableAt(memoryMb));
    for (let size = 0; size < least.length; size++) {
      least[size] = Math.min(least[size]!, bySize[size]!);
    }
  }
  return least;
}

/**
 * The least service seconds over `memoriesMb`, cell by cell (batch size, largest class): a batch
 * runs no faster at any of them (for passing over a (B, T) that misses by service alone).
 */
export function leastServiceSeconds(
  classes: LargestClassLaw,
  memoriesMb: readonly number[],
  tableAt: (memoryMb: number) => BatchServiceTable,
): Float64Array {
  let least: Float64Array | undefined;
  for (const memoryMb of memoriesMb) {
    const seconds = classes.serviceSeconds(tableAt(memoryMb));
    if (!least) least = Float64Array.from(seconds);
    else {
      for (let cell = 0; cell < least.length; cell++) {
        least[cell] = Math.min(least[cell]!, seconds[cell]!);
      }
    }
  }
  return least ?? new Float64Array(0);
}
