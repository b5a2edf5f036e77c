import type { MarkovianArrivalProcess } from '@mbs/core';
import { errors } from './errors.js';
import { validateMap } from './validate-map.js';

function kroneckerSum(
  left: readonly (readonly number[])[],
  right: readonly (readonly number[])[],
): number[][] {
  // A ⊕ B = A ⊗ I + I ⊗ B; phase (i, j) of the pair is index i * order(B) + j.
  const leftOrder = left.length;
  const rightOrder = right.length;
  const order = leftOrder * rightOrder;
  const result = Array.from({ length: order }, () => new Array<number>(order).fill(0));
  for (let i = 0; i < leftOrder; i++) {
    for (let j = 0; j < rightOrder; j++) {
      const row = result[i * rightOrder + j]!;
      for (let k = 0; k < leftOrder; k++) row[k * rightOrder + j]! += left[i]![k]!;
      for (let l = 0; l < rightOrder; l++) row[i * rightOrder + l]! += right[j]![l]!;
    }
  }
  return result;
}

/**
 * Independent thinning: each arrival is kept with probability `keepShare`, so the rate becomes
 * keepShare x the rate: d0' = d0 + (1 - keepShare) d1, d1' = keepShare d1.
 *
 * @example
 * ```ts
 * const classTwo = thinMap(map, 0.3); // the arrivals of a class holding 30 % of requests
 * ```
 * @param keepShare - probability in (0, 1] that an arrival is kept.
 */
export function thinMap(map: MarkovianArrivalProcess, keepShare: number): MarkovianArrivalProcess {
  if (!(keepShare > 0 && keepShare <= 1)) {
    throw errors.error('OPTION_INVALID', `thinMap keepShare = ${keepShare}; must be in (0, 1]`);
  }
  validateMap(map, { source: 'thinMap input' });
  return {
    d0: map.d0.map((row, i) => row.map((value, j) => value + (1 - keepShare) * map.d1[i]![j]!)),
    d1: map.d1.map((row) => row.map((value) => keepShare * value)),
  };
}

/**
 * The superposition of two independent MAPs (arrivals of both streams merged): d0 = a.d0 ⊕ b.d0,
 * d1 = a.d1 ⊕ b.d1 (Kronecker sums); the order is the product of the orders and the rate is the
 * sum of the rates.
 */
export function superposeMaps(
  a: MarkovianArrivalProcess,
  b: MarkovianArrivalProcess,
): MarkovianArrivalProcess {
  validateMap(a, { source: 'superposeMaps first MAP' });
  validateMap(b, { source: 'superposeMaps second MAP' });
  return { d0: kroneckerSum(a.d0, b.d0), d1: kroneckerSum(a.d1, b.d1) };
}

/**
 * Time scaling: both matrices multiplied by `factor`, so the rate is multiplied by `factor` and
 * every inter-arrival time divided by it; SCV and autocorrelations are unchanged.
 *
 * @param factor - finite and > 0 (2 doubles the rate).
 */
export function scaleMapRate(
  map: MarkovianArrivalProcess,
  factor: number,
): MarkovianArrivalProcess {
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw errors.error(
      'OPTION_INVALID',
      `scaleMapRate factor = ${factor}; must be a finite number > 0`,
    );
  }
  validateMap(map, { source: 'scaleMapRate input' });
  return {
    d0: map.d0.map((row) => row.map((value) => value * factor)),
    d1: map.d1.map((row) => row.map((value) => value * factor)),
  };
}
