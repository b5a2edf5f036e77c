/**
 * Where `memoryMb` falls between measured memories, for interpolation linear in 1/memory: the
 * lower and upper neighbour indices and the weight of the lower one. Memories outside the
 * measured range clamp to the nearest end (weight 1 on it).
 *
 * Linear in 1/memory because Lambda's CPU share is proportional to memory, so a CPU-bound time
 * goes as 1/memory; interpolating in 1/memory is exact for such times and close for the rest.
 */
export function inverseMemoryNeighbours(
  memorySizesMb: readonly number[],
  memoryMb: number,
): { readonly lower: number; readonly upper: number; readonly lowerWeight: number } {
  const last = memorySizesMb.length - 1;
  if (memoryMb <= memorySizesMb[0]!) return { lower: 0, upper: 0, lowerWeight: 1 };
  if (memoryMb >= memorySizesMb[last]!) return { lower: last, upper: last, lowerWeight: 1 };
  let low = 0;
  let high = last;
  // Invariant: memorySizesMb[low] < memoryMb <= memorySizesMb[high].
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (memorySizesMb[middle]! < memoryMb) low = middle;
    else high = middle;
  }
  if (memorySizesMb[high] === memoryMb) return { lower: high, upper: high, lowerWeight: 1 };
  const inverseLow = 1 / memorySizesMb[low]!;
  const inverseHigh = 1 / memorySizesMb[high]!;
  return {
    lower: low,
    upper: high,
    lowerWeight: (1 / memoryMb - inverseHigh) / (inverseLow - inverseHigh),
  };
}
