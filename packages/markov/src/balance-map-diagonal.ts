import type { MarkovianArrivalProcess } from '@mbs/core';
import { errors } from './errors.js';

/**
 * The MAP with each diagonal entry of D0 re-derived so every row of D0 + D1 sums to exactly 0,
 * all other entries unchanged. MAP files printed with a few decimals (the published Twitter MAPs
 * use 6, so rows sum to about ±1e-6 on rates near 35/s) fail {@link validateMap}'s default
 * tolerance; accept them with a tolerance that matches their rounding, then balance them.
 *
 * @example
 * ```ts
 * validateMap(printed, { tolerance: 1e-6 });
 * const map = balanceMapDiagonal(printed); // rows sum to 0; validateMap(map) passes
 * ```
 * @throws MbsError MAP_INVALID when D0 and D1 are not square matrices of the same order.
 */
export function balanceMapDiagonal(map: MarkovianArrivalProcess): MarkovianArrivalProcess {
  const order = map.d0.length;
  const square = (matrix: readonly (readonly number[])[]) =>
    matrix.length === order && matrix.every((row) => row.length === order);
  if (!square(map.d0) || !square(map.d1)) {
    throw errors.error(
      'MAP_INVALID',
      `balanceMapDiagonal: D0 and D1 must be square matrices of the same order; got ${order} rows in D0 and ${map.d1.length} in D1`,
      { details: { d0Rows: order, d1Rows: map.d1.length } },
    );
  }
  const d0 = map.d0.map((row, rowIndex) => {
    const others =
      row.reduce((sum, rate, column) => (column === rowIndex ? sum : sum + rate), 0) +
      map.d1[rowIndex]!.reduce((sum, rate) => sum + rate, 0);
    return row.map((rate, column) => (column === rowIndex ? -others : rate));
  });
  return { d0, d1: map.d1.map((row) => [...row]) };
}
