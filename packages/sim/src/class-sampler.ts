import { errors } from './errors.js';

/**
 * Draws class ids with the given shares from uniform numbers, by binary search in the cumulative
 * shares. Shares must be non-negative and sum to 1 (within 1e-6); classes of share 0 never occur.
 */
export function createClassSampler(shares: readonly number[]): (uniform: number) => number {
  const total = shares.reduce((sum, share) => sum + share, 0);
  if (
    shares.length === 0 ||
    shares.some((share) => !(share >= 0) || !Number.isFinite(share)) ||
    Math.abs(total - 1) > 1e-6
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `option classShares: ${JSON.stringify(shares)}; must be non-negative numbers summing to 1`,
      { details: { option: 'classShares' } },
    );
  }
  const cumulative = new Float64Array(shares.length);
  let running = 0;
  shares.forEach((share, index) => {
    running += share / total;
    cumulative[index] = running;
  });
  let last = shares.length - 1;
  while (last > 0 && shares[last] === 0) last--;
  // The last class with a share takes whatever rounding leaves above the top.
  cumulative.fill(2, last);
  return (uniform) => {
    let low = 0;
    let high = last;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (uniform < cumulative[middle]!) high = middle;
      else low = middle + 1;
    }
    return low;
  };
}
