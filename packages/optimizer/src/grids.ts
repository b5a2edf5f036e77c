/**
 * Batch sizes of a search grid: every size up to 8, then about 25 % apart, always including the
 * largest (small B differ most in cost; large ones are refined one step at a time afterwards).
 *
 * @example
 * ```ts
 * batchSizeGrid(1, 25); // [1, 2, 3, 4, 5, 6, 7, 8, 10, 13, 17, 22, 25]
 * ```
 */
export function batchSizeGrid(low: number, high: number): number[] {
  const sizes = new Set<number>();
  for (let size = low; size <= high; size = size < 8 ? size + 1 : Math.ceil(size * 1.25))
    sizes.add(size);
  sizes.add(high);
  return [...sizes].sort((a, b) => a - b);
}

/**
 * Timeouts of a search grid in seconds: `steps` values geometric from `low` to `high`, rounded
 * to the resolution (duplicates after rounding removed).
 *
 * @example
 * ```ts
 * timeoutGrid(0.005, 1, 12, 0.001);
 * ```
 */
export function timeoutGrid(
  low: number,
  high: number,
  steps: number,
  resolution: number,
): number[] {
  const values = new Set<number>();
  for (let index = 0; index < steps; index++) {
    const value = steps === 1 ? high : low * (high / low) ** (index / (steps - 1));
    values.add(
      Number(Math.max(resolution, Math.round(value / resolution) * resolution).toFixed(9)),
    );
  }
  return [...values].sort((a, b) => a - b);
}
