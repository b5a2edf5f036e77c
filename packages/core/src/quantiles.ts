/**
 * The 1-based nearest rank of probability `p` among `count` values: ceil(p x count), kept within
 * 1..count. The epsilon keeps 0.95 x 100 = 95.00000000000001 at rank 95, not 96.
 *
 * @example
 * ```ts
 * nearestRank(100, 0.95); // 95
 * ```
 */
export function nearestRank(count: number, p: number): number {
  return Math.min(count, Math.max(1, Math.ceil(p * count - 1e-9)));
}

/**
 * The nearest-rank quantile of values already sorted ascending: the smallest value with at least a
 * share `p` of the values at or below it, so it is always a value that occurred. NaN when empty:
 * callers that print it must check the count first.
 *
 * @example
 * ```ts
 * sortedQuantile([1, 2, 3, 4], 0.5); // 2
 * ```
 */
export function sortedQuantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[nearestRank(sorted.length, p) - 1]!;
}

/**
 * The nearest-rank quantile of unsorted values (sorts a copy); NaN when empty.
 *
 * @example
 * ```ts
 * quantile([4, 1, 3, 2], 0.5); // 2
 * ```
 */
export function quantile(values: ArrayLike<number>, p: number): number {
  return sortedQuantile(Float64Array.from(values).sort(), p);
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
 * Exact nearest-rank quantiles of `values` for each probability, no interpolation. Reorders
 * `values` in place (partial selection, O(n log m) for m probabilities, far cheaper than sorting
 * millions of latencies). NaN for each when empty.
 *
 * @example
 * ```ts
 * selectQuantiles(Float64Array.from([5, 1, 4, 2, 3]), [0.5, 0.99]); // [3, 5]
 * ```
 */
export function selectQuantiles(values: Float64Array, probabilities: readonly number[]): number[] {
  const count = values.length;
  if (count === 0) return probabilities.map(() => Number.NaN);
  const wanted = probabilities.map((p) => nearestRank(count, p) - 1);
  const ranks = [...new Set(wanted)].sort((a, b) => a - b);
  selectMany(values, 0, count - 1, ranks, 0, ranks.length - 1);
  return wanted.map((rank) => values[rank]!);
}
