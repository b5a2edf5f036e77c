/**
 * A lower bound of a buffer's cost per request that needs no wait law, for pricing lazily.
 *
 * A buffer's cost per request is E[c(N)] / E[N] over its batch sizes N (c(n): the expected cost of
 * a batch of n). For any line under the costs, c(n) ≥ α + β n for n = 1..B with α ≥ 0, it is at
 * least α / E[N] + β, and E[N] ≤ m for any m bounding the mean batch size (B; or 1 + T x the
 * stream's peak arrival rate, as the batch takes its opener and the arrivals of at most T seconds).
 * Lines are tried through a few intercepts α (0: the least c(n) / n; the line through c(1) and
 * c(2); half of c(1)) with β = min (c(n) − α) / n, the best of them taken.
 */
export interface BatchCostBound {
  /** At most E[c(N)] / E[N] for batches of at most `batchSize` whose mean size is at most `meanSizeCap`. */
  perRequest(batchSize: number, meanSizeCap: number): number;
}

/** The bound for costs `bySize` (c(n) at n − 1). */
export function batchCostBound(bySize: Float64Array): BatchCostBound {
  const sizes = bySize.length;
  const first = bySize[0]!;
  const second = sizes > 1 ? bySize[1]! : first;
  const intercepts = [0, Math.max(0, 2 * first - second), first / 2];
  // slopes[k][n − 1]: min over sizes up to n of (c(size) − α_k) / size.
  const slopes = intercepts.map((intercept) => {
    const least = new Float64Array(sizes);
    let lowest = Number.POSITIVE_INFINITY;
    for (let size = 1; size <= sizes; size++) {
      lowest = Math.min(lowest, (bySize[size - 1]! - intercept) / size);
      least[size - 1] = lowest;
    }
    return least;
  });
  return {
    perRequest(batchSize, meanSizeCap) {
      const mean = Math.min(batchSize, Math.max(1, meanSizeCap));
      let best = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < intercepts.length; k++)
        best = Math.max(best, intercepts[k]! / mean + slopes[k]![batchSize - 1]!);
      return best;
    },
  };
}
