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
 * runs no faster at any of them (for passing over a (B, T) that misses by service alone). Read
 * from `fastest`, which keeps the least over the memories by class, so a range gathers its
 * classes' rows rather than reading every memory's table.
 */
export function leastServiceSeconds(
  classes: LargestClassLaw,
  fastest: FastestService,
): Float64Array {
  const { classIds } = classes.mix;
  const count = classIds.length;
  const sizes = classes.maxBatchSize;
  const least = new Float64Array(sizes * count);
  for (let index = 0; index < count; index++) {
    const row = fastest.bySize(classIds[index]!, sizes);
    for (let size = 1; size <= sizes; size++) least[(size - 1) * count + index] = row[size - 1]!;
  }
  return least;
}

/** The least service seconds of a class's batches over a list's memories, by batch size. */
export interface FastestService {
  /** At n − 1 for n in 1..`sizes` (at least): the least over the memories of s(classId, n). */
  bySize(classId: number, sizes: number): Float64Array;
}

/** {@link FastestService} over `memoriesMb`, each class's row computed on first use. */
export function fastestService(
  memoriesMb: readonly number[],
  tableAt: (memoryMb: number) => BatchServiceTable,
): FastestService {
  const rows = new Map<number, Float64Array>();
  return {
    bySize(classId, sizes) {
      let row = rows.get(classId);
      if (!row || row.length < sizes) {
        row = new Float64Array(sizes).fill(Number.POSITIVE_INFINITY);
        for (const memoryMb of memoriesMb) {
          const table = tableAt(memoryMb);
          for (let size = 1; size <= sizes; size++)
            row[size - 1] = Math.min(row[size - 1]!, table.seconds(classId, size));
        }
        rows.set(classId, row);
      }
      return row;
    },
  };
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
