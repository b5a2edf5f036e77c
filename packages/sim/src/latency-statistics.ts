/** The 1-based nearest rank of a percentile among `count` values: ceil(p x count), within 1..count. */
export function nearestRank(count: number, percentile: number): number {
  return Math.min(count, Math.max(1, Math.ceil(percentile * count - 1e-9)));
}

// Hoare-partition quickselect (Wirth): afterwards values[k] holds the k-th smallest (0-based)
// within [left, right], smaller ones before it and larger ones after it. Runs of equal values
// split evenly, so latencies that repeat (B = 1) do not make it quadratic.
function select(values: Float64Array, left: number, right: number, k: number): void {
  while (right > left) {
    const a = values[left]!;
    const b = values[(left + right) >>> 1]!;
    const c = values[right]!;
    // Median of three: the largest of the pairwise minima.
    const pivot = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    let i = left;
    let j = right;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i] = values[j]!;
        values[j] = swap;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function selectMany(
  values: Float64Array,
  left: number,
  right: number,
  ranks: readonly number[],
  first: number,
  last: number,
): void {
  if (first > last || left > right) return;
  const middle = (first + last) >>> 1;
  const k = ranks[middle]!;
  select(values, left, right, k);
  selectMany(values, left, k - 1, ranks, first, middle - 1);
  selectMany(values, k + 1, right, ranks, middle + 1, last);
}

/**
 * Exact nearest-rank order statistics of `values` for each percentile: the ceil(p x n)-th
 * smallest value, no interpolation. Reorders `values` in place (partial selection, O(n log m)
 * for m percentiles, far cheaper than sorting millions of latencies). NaN for each when empty.
 *
 * @example
 * ```ts
 * percentileOrderStatistics(Float64Array.from([5, 1, 4, 2, 3]), [0.5, 0.99]); // [3, 5]
 * ```
 */
export function percentileOrderStatistics(
  values: Float64Array,
  percentiles: readonly number[],
): number[] {
  const count = values.length;
  if (count === 0) return percentiles.map(() => Number.NaN);
  const wanted = percentiles.map((percentile) => nearestRank(count, percentile) - 1);
  const ranks = [...new Set(wanted)].sort((a, b) => a - b);
  selectMany(values, 0, count - 1, ranks, 0, ranks.length - 1);
  return wanted.map((rank) => values[rank]!);
}
