import type { MarkovianArrivalProcess } from '@mbs/core';
import { type DenseMap, toDenseMap } from './dense-map.js';
import {
  type LuFactorization,
  luFactorize,
  luSolve,
  luSolveRow,
  normaliseStationary,
} from './dense-matrix.js';
import { errors } from './errors.js';

function stationaryOfDense(dense: DenseMap): Float64Array {
  const { order, d0, d1 } = dense;
  // pi Q = 0 with pi 1 = 1: the last column of Q is a combination of the others (Q 1 = 0), so
  // replacing it with ones gives a non-singular system whenever the stationary law is unique.
  const system = new Float64Array(order * order);
  for (let index = 0; index < order * order; index++) system[index] = d0[index]! + d1[index]!;
  for (let row = 0; row < order; row++) system[row * order + order - 1] = 1;
  const rightHandSide = new Float64Array(order);
  rightHandSide[order - 1] = 1;
  const factorization = luFactorize(system, 'generator d0 + d1 (is the MAP irreducible?)');
  return normaliseStationary(luSolveRow(factorization, rightHandSide));
}

function rowTimesMatrix(vector: Float64Array, matrix: Float64Array, order: number): Float64Array {
  const result = new Float64Array(order);
  for (let row = 0; row < order; row++) {
    const factor = vector[row]!;
    if (factor === 0) continue;
    for (let column = 0; column < order; column++) {
      result[column]! += factor * matrix[row * order + column]!;
    }
  }
  return result;
}

function matrixTimesColumn(
  matrix: Float64Array,
  vector: Float64Array,
  order: number,
): Float64Array {
  const result = new Float64Array(order);
  for (let row = 0; row < order; row++) {
    let sum = 0;
    for (let column = 0; column < order; column++)
      sum += matrix[row * order + column]! * vector[column]!;
    result[row] = sum;
  }
  return result;
}

function dot(left: Float64Array, right: Float64Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += left[index]! * right[index]!;
  return sum;
}

/** Everything the analysis of one MAP needs, computed once. */
interface Analysis {
  readonly dense: DenseMap;
  readonly phaseStationary: Float64Array;
  readonly arrivalRate: number;
  readonly arrivalStationary: Float64Array;
  /** LU factorisation of -D0. */
  readonly negativeD0: LuFactorization;
}

function analyze(map: MarkovianArrivalProcess, source: string): Analysis {
  const dense = toDenseMap(map, source);
  const { order, d0, d1 } = dense;
  const phaseStationary = stationaryOfDense(dense);
  const flow = rowTimesMatrix(phaseStationary, d1, order);
  let arrivalRate = 0;
  for (const value of flow) arrivalRate += value;
  const arrivalStationary = flow.map((value) => value / arrivalRate);
  const negated = d0.map((value) => -value);
  const negativeD0 = luFactorize(negated, `${source} -d0`);
  return { dense, phaseStationary, arrivalRate, arrivalStationary, negativeD0 };
}

function momentsOf(analysis: Analysis, count: number): number[] {
  // m_k = k! phi (-D0)^{-k} 1, by repeated solves with one factorisation.
  const { order } = analysis.dense;
  let column: Float64Array = new Float64Array(order).fill(1);
  const moments: number[] = [];
  let factorial = 1;
  for (let k = 1; k <= count; k++) {
    column = luSolve(analysis.negativeD0, column);
    factorial *= k;
    moments.push(factorial * dot(analysis.arrivalStationary, column));
  }
  return moments;
}

function autocorrelationsOf(
  analysis: Analysis,
  maxLag: number,
  moments: readonly number[],
): number[] {
  // rho_k = (phi M P^k M 1 - m1^2) / (m2 - m1^2), M = (-D0)^{-1}, P = M D1.
  const { order, d1 } = analysis.dense;
  const [mean, secondMoment] = moments as [number, number];
  const variance = secondMoment - mean * mean;
  const phiM = luSolveRow(analysis.negativeD0, analysis.arrivalStationary);
  let column = luSolve(analysis.negativeD0, new Float64Array(order).fill(1));
  const autocorrelations: number[] = [];
  for (let lag = 1; lag <= maxLag; lag++) {
    column = luSolve(analysis.negativeD0, matrixTimesColumn(d1, column, order));
    const joint = dot(phiM, column);
    autocorrelations.push((joint - mean * mean) / variance);
  }
  return autocorrelations;
}

function checkCount(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw errors.error('OPTION_INVALID', `${name} = ${value}; must be an integer >= ${minimum}`);
  }
}

/**
 * The stationary distribution π of the phase process, the CTMC with generator d0 + d1: solves
 * π (d0 + d1) = 0 with π 1 = 1 by LU with partial pivoting (error about the generator's condition
 * number times 2^-53). Requires a unique stationary law (one recurrent class).
 *
 * @example
 * ```ts
 * phaseStationaryDistribution(map); // Float64Array summing to 1
 * ```
 * @throws MbsError `MAP_INVALID` for an invalid MAP, `NUMERIC` when the law is not unique.
 */
export function phaseStationaryDistribution(map: MarkovianArrivalProcess): Float64Array {
  return stationaryOfDense(toDenseMap(map, 'phaseStationaryDistribution'));
}

/**
 * The distribution of the phase just after an arrival in steady state, φ = π d1 / λ; it is also
 * the stationary vector of the embedded chain (-d0)^{-1} d1.
 */
export function arrivalStationaryDistribution(map: MarkovianArrivalProcess): Float64Array {
  return analyze(map, 'arrivalStationaryDistribution').arrivalStationary;
}

/** The mean arrival rate λ = π d1 1, in arrivals per second. */
export function arrivalRate(map: MarkovianArrivalProcess): number {
  return analyze(map, 'arrivalRate').arrivalRate;
}

/**
 * The k-th raw moment of the stationary inter-arrival time, k! φ (-d0)^{-k} 1, in seconds^k.
 *
 * @example
 * ```ts
 * interArrivalMoment(poissonMap(2), 2); // 2 / 2^2 = 0.5 s^2
 * ```
 */
export function interArrivalMoment(map: MarkovianArrivalProcess, k: number): number {
  checkCount('interArrivalMoment k', k, 1);
  return momentsOf(analyze(map, 'interArrivalMoment'), k)[k - 1]!;
}

/** The squared coefficient of variation of the stationary inter-arrival time, m2 / m1^2 - 1. */
export function interArrivalScv(map: MarkovianArrivalProcess): number {
  const [mean, secondMoment] = momentsOf(analyze(map, 'interArrivalScv'), 2) as [number, number];
  return secondMoment / (mean * mean) - 1;
}

/**
 * The lag-k autocorrelation of consecutive stationary inter-arrival times,
 * (φ M P^k M 1 - m1^2) / (m2 - m1^2) with M = (-d0)^{-1} and P = M d1 (0 for a renewal process).
 */
export function lagAutocorrelation(map: MarkovianArrivalProcess, lag: number): number {
  checkCount('lagAutocorrelation lag', lag, 1);
  const analysis = analyze(map, 'lagAutocorrelation');
  return autocorrelationsOf(analysis, lag, momentsOf(analysis, 2))[lag - 1]!;
}

/** Options of {@link describeMap}. */
export interface DescribeMapOptions {
  /** Number of raw inter-arrival moments to compute (>= 2). Default 3. */
  readonly moments?: number;
  /** Largest autocorrelation lag to compute (>= 0). Default 1. */
  readonly maxLag?: number;
}

/** The descriptors of a MAP, computed with one factorisation. */
export interface MapDescriptors {
  readonly order: number;
  /** Arrivals per second. */
  readonly rate: number;
  /** Mean inter-arrival time in seconds (1 / rate). */
  readonly mean: number;
  readonly scv: number;
  /** Raw inter-arrival moments m1, m2, ... in seconds^k. */
  readonly moments: readonly number[];
  /** Autocorrelations at lags 1..maxLag. */
  readonly autocorrelations: readonly number[];
  readonly phaseStationary: Float64Array;
  readonly arrivalStationary: Float64Array;
}

/**
 * Rate, moments, SCV and autocorrelations of a MAP at once (cheaper than separate calls).
 *
 * @example
 * ```ts
 * const { rate, scv, autocorrelations } = describeMap(map, { maxLag: 5 });
 * ```
 */
export function describeMap(
  map: MarkovianArrivalProcess,
  options: DescribeMapOptions = {},
): MapDescriptors {
  const momentCount = options.moments ?? 3;
  const maxLag = options.maxLag ?? 1;
  checkCount('describeMap option moments', momentCount, 2);
  checkCount('describeMap option maxLag', maxLag, 0);
  const analysis = analyze(map, 'describeMap');
  const moments = momentsOf(analysis, momentCount);
  const mean = moments[0]!;
  return {
    order: analysis.dense.order,
    rate: analysis.arrivalRate,
    mean,
    scv: moments[1]! / (mean * mean) - 1,
    moments,
    autocorrelations: autocorrelationsOf(analysis, maxLag, moments),
    phaseStationary: analysis.phaseStationary,
    arrivalStationary: analysis.arrivalStationary,
  };
}
