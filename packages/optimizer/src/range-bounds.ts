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
  return (
    cellwiseLeast(memoriesMb, (memoryMb) => classes.costBySize(tableAt(memoryMb))) ??
    new Float64Array(classes.maxBatchSize).fill(Number.POSITIVE_INFINITY)
  );
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
  return (
    cellwiseLeast(memoriesMb, (memoryMb) => classes.serviceSeconds(tableAt(memoryMb))) ??
    new Float64Array(0)
  );
}

/** The cell-by-cell least of `valuesAt` over the memories; undefined for none. */
function cellwiseLeast(
  memoriesMb: readonly number[],
  valuesAt: (memoryMb: number) => Float64Array,
): Float64Array | undefined {
  let least: Float64Array | undefined;
  for (const memoryMb of memoriesMb) {
    const values = valuesAt(memoryMb);
    if (!least) least = Float64Array.from(values);
    else {
      for (let cell = 0; cell < least.length; cell++) {
        least[cell] = Math.min(least[cell]!, values[cell]!);
      }
    }
  }
  return least;
}
