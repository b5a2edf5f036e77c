/**
 * The figures the solve benches print over repeated runs: a quantile interpolated between the
 * sorted runs (so the median of an even count is the mean of the middle two), and the median with
 * its p10..p90.
 */
export function at(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  return sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low);
}

/** `median (p10..p90)`, two decimals. */
export const spread = (values: readonly number[]): string =>
  `${at(values, 0.5).toFixed(2)} (${at(values, 0.1).toFixed(2)}..${at(values, 0.9).toFixed(2)})`;
