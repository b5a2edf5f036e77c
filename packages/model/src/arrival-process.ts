import type { MarkovianArrivalProcess } from '@mbs/core';
import { stationaryRowVector } from '@mbs/markov';
import { errors } from './errors.js';

/** A MAP flattened into row-major typed arrays, with the figures the model uses throughout. */
export interface FlatArrivalProcess {
  readonly order: number;
  readonly hidden: Float64Array;
  readonly arrival: Float64Array;
  /** Stationary distribution of the phase in continuous time (of D0 + D1). */
  readonly phaseStationary: Float64Array;
  /** Long-run arrivals per second. */
  readonly ratePerSecond: number;
  /** Largest total event rate of a phase: the uniformization rate, per second. */
  readonly uniformizationRate: number;
}

// Published MAPs are rounded to about six decimals, so rows sum to 0 only to about 1e-6.
const TOLERANCE = 1e-6;

function invalid(problem: string): never {
  throw errors.error('MAP_INVALID', `option map: ${problem}`, {
    details: { option: 'map' },
  });
}

/**
 * Checks a MAP (square matrices of one order, D0 off-diagonal and D1 non-negative, D0 diagonal
 * negative, rows of D0 + D1 summing to 0, a positive arrival rate) and flattens it.
 */
export function flattenArrivalProcess(map: MarkovianArrivalProcess): FlatArrivalProcess {
  const order = map.d0.length;
  if (order === 0 || map.d1.length !== order) {
    invalid(
      `d0 and d1 must be square matrices of the same order; got ${order} and ${map.d1.length} rows`,
    );
  }
  const hidden = new Float64Array(order * order);
  const arrival = new Float64Array(order * order);
  let uniformizationRate = 0;
  for (let row = 0; row < order; row++) {
    const hiddenRow = map.d0[row]!;
    const arrivalRow = map.d1[row]!;
    if (hiddenRow.length !== order || arrivalRow.length !== order) {
      invalid(`row ${row} must hold ${order} entries in d0 and d1`);
    }
    let rowSum = 0;
    let scale = 0;
    for (let column = 0; column < order; column++) {
      const h = hiddenRow[column]!;
      const a = arrivalRow[column]!;
      if (!Number.isFinite(h) || !Number.isFinite(a))
        invalid(`d0/d1[${row}][${column}] must be finite`);
      if (a < 0) invalid(`d1[${row}][${column}] = ${a} must be >= 0`);
      if (column !== row && h < 0)
        invalid(`d0[${row}][${column}] = ${h} must be >= 0 off the diagonal`);
      hidden[row * order + column] = h;
      arrival[row * order + column] = a;
      rowSum += h + a;
      scale = Math.max(scale, Math.abs(h), Math.abs(a));
    }
    const diagonal = hiddenRow[row]!;
    if (!(diagonal < 0)) invalid(`d0[${row}][${row}] = ${diagonal} must be < 0`);
    if (Math.abs(rowSum) > TOLERANCE * Math.max(1, scale)) {
      invalid(`row ${row} of d0 + d1 sums to ${rowSum}; each row must sum to 0`);
    }
    uniformizationRate = Math.max(uniformizationRate, -diagonal);
  }
  const generator = new Float64Array(order * order);
  for (let index = 0; index < order * order; index++) {
    generator[index] = hidden[index]! + arrival[index]!;
  }
  // The diagonal is re-derived from the off-diagonal entries so the generator is exact.
  for (let row = 0; row < order; row++) {
    let offDiagonal = 0;
    for (let column = 0; column < order; column++) {
      if (column !== row) offDiagonal += generator[row * order + column]!;
    }
    generator[row * order + row] = -offDiagonal;
  }
  const phaseStationary = stationaryRowVector(generator, 'generator', 'the MAP generator D0 + D1');
  let ratePerSecond = 0;
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) {
      ratePerSecond += phaseStationary[row]! * arrival[row * order + column]!;
    }
  }
  if (!(ratePerSecond > 0)) invalid('the arrival rate is 0; D1 must have a positive entry');
  return { order, hidden, arrival, phaseStationary, ratePerSecond, uniformizationRate };
}

// A share summed from class shares can exceed 1 by rounding (1.0000000000000002 for a buffer
// that takes every class); that much over 1 is the whole stream, not an error.
const SHARE_ROUNDING = 1e-9;

/**
 * The MAP of the requests that each arrival joins independently with probability `share`:
 * D0 + (1 - share) D1 and share D1. Exact when classes are independent marks of the stream.
 * A share within 1e-9 above 1 (rounding of a sum of class shares) is the whole stream.
 */
export function thinArrivalProcess(
  map: MarkovianArrivalProcess,
  share: number,
): MarkovianArrivalProcess {
  if (!(share > 0 && share <= 1 + SHARE_ROUNDING)) {
    throw errors.error('OPTION_INVALID', `thinning share must be in (0, 1]; got ${share}`);
  }
  if (share >= 1) return map;
  return {
    d0: map.d0.map((row, i) => row.map((entry, j) => entry + (1 - share) * map.d1[i]![j]!)),
    d1: map.d1.map((row) => row.map((entry) => share * entry)),
  };
}
