/**
 * The nearest-rank quantile of `values` at probability `p` in (0, 1]: the smallest value with at
 * least a share `p` of the values at or below it; NaN for an empty list.
 *
 * @example
 * ```ts
 * nearestRankQuantile([4, 1, 3, 2], 0.5); // 2
 * ```
 */
export function nearestRankQuantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sortedNearestRankQuantile(sorted, p);
}

/** {@link nearestRankQuantile} on values already sorted ascending. */
export function sortedNearestRankQuantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  // The epsilon keeps 0.95 x 100 = 95.00000000000001 at rank 95, not 96.
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length - 1e-9)));
  return sorted[rank - 1]!;
}
