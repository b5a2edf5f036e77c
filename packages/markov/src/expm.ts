import {
  type DenseMatrixInput,
  identityMatrix,
  luFactorize,
  luSolveMatrix,
  multiplyMatrices,
  oneNorm,
  toRowMajor,
} from './dense-matrix.js';
import { errors } from './errors.js';

// Padé coefficients b_0..b_m and the largest ‖A‖₁ for which the degree-m approximant has backward
// error <= 2^-53 (Higham 2005, Table 2.3).
const PADE_3 = [120, 60, 12, 1];
const PADE_5 = [30240, 15120, 3360, 420, 30, 1];
const PADE_7 = [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1];
const PADE_9 = [
  17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1,
];
const PADE_13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
  10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const LOW_DEGREES: readonly (readonly [number, readonly number[]])[] = [
  [1.495585217958292e-2, PADE_3],
  [2.53939833006323e-1, PADE_5],
  [9.504178996162932e-1, PADE_7],
  [2.097847961257068, PADE_9],
];
const THETA_13 = 5.371920351148152;

/** `target += factor · source`, elementwise. */
function addScaled(target: Float64Array, source: Float64Array, factor: number): void {
  for (let index = 0; index < target.length; index++) target[index]! += factor * source[index]!;
}

/** Solves (V - U) X = (V + U) for X, column by column from one factorisation. */
function padeQuotient(u: Float64Array, v: Float64Array, order: number): Float64Array {
  const denominator = new Float64Array(order * order);
  const numerator = new Float64Array(order * order);
  for (let index = 0; index < order * order; index++) {
    denominator[index] = v[index]! - u[index]!;
    numerator[index] = v[index]! + u[index]!;
  }
  const factorization = luFactorize(denominator, 'expm Padé denominator');
  return luSolveMatrix(factorization, numerator);
}

function lowDegreePade(a: Float64Array, order: number, b: readonly number[]): Float64Array {
  // U = A Σ_odd b_k A^{k-1}, V = Σ_even b_k A^k, with the even powers built once.
  const a2 = multiplyMatrices(a, a, order);
  const powers = [identityMatrix(order), a2];
  for (let power = 4; power < b.length; power += 2) {
    powers.push(multiplyMatrices(powers[powers.length - 1]!, a2, order));
  }
  const oddSum = new Float64Array(order * order);
  const v = new Float64Array(order * order);
  powers.forEach((power, index) => {
    addScaled(v, power, b[2 * index]!);
    addScaled(oddSum, power, b[2 * index + 1]!);
  });
  return padeQuotient(multiplyMatrices(a, oddSum, order), v, order);
}

function degree13Pade(a: Float64Array, order: number): Float64Array {
  const b = PADE_13;
  const identity = identityMatrix(order);
  const a2 = multiplyMatrices(a, a, order);
  const a4 = multiplyMatrices(a2, a2, order);
  const a6 = multiplyMatrices(a4, a2, order);
  const size = order * order;
  const innerU = new Float64Array(size);
  const innerV = new Float64Array(size);
  addScaled(innerU, a6, b[13]!);
  addScaled(innerU, a4, b[11]!);
  addScaled(innerU, a2, b[9]!);
  addScaled(innerV, a6, b[12]!);
  addScaled(innerV, a4, b[10]!);
  addScaled(innerV, a2, b[8]!);
  const outerU = multiplyMatrices(a6, innerU, order);
  addScaled(outerU, a6, b[7]!);
  addScaled(outerU, a4, b[5]!);
  addScaled(outerU, a2, b[3]!);
  addScaled(outerU, identity, b[1]!);
  const v = multiplyMatrices(a6, innerV, order);
  addScaled(v, a6, b[6]!);
  addScaled(v, a4, b[4]!);
  addScaled(v, a2, b[2]!);
  addScaled(v, identity, b[0]!);
  return padeQuotient(multiplyMatrices(a, outerU, order), v, order);
}

/**
 * The matrix exponential exp(A), row-major, by scaling and squaring with Padé approximants of
 * degree 3, 5, 7, 9 or 13 (Higham, "The scaling and squaring method for the matrix exponential
 * revisited", SIAM J. Matrix Anal. Appl. 26(4), 2005). Error bound: the result is exp(A + ΔA)
 * with ‖ΔA‖₁ <= 2^-53 ‖A‖₁ in exact arithmetic (the degree and the number of squarings are
 * chosen from ‖A‖₁ for this); rounding in the Padé solve and the squarings adds an error of
 * order 2^-53 times the conditioning of exp at A (relative errors about 1e-14 on generators of
 * order 50 in the tests).
 *
 * @example
 * ```ts
 * const transition = expm([[-1, 1], [2, -2]]); // P(t = 1) of a two-state CTMC, row-major
 * ```
 * @param matrix - square matrix, rows or row-major Float64Array.
 * @throws MbsError `NUMERIC` when the matrix is not square or holds non-finite numbers.
 */
export function expm(matrix: DenseMatrixInput): Float64Array {
  const { order, values } = toRowMajor(matrix, 'expm matrix');
  const norm = oneNorm(values, order);
  if (!Number.isFinite(norm)) {
    throw errors.error('NUMERIC', `expm matrix: holds non-finite entries; all must be finite`);
  }
  for (const [theta, coefficients] of LOW_DEGREES) {
    if (norm <= theta) return lowDegreePade(values, order, coefficients);
  }
  const squarings = norm > THETA_13 ? Math.max(0, Math.ceil(Math.log2(norm / THETA_13))) : 0;
  if (squarings > 0) {
    const scale = 2 ** -squarings;
    for (let index = 0; index < values.length; index++) values[index]! *= scale;
  }
  let result: Float64Array = degree13Pade(values, order);
  let spare: Float64Array = new Float64Array(order * order);
  for (let step = 0; step < squarings; step++) {
    multiplyMatrices(result, result, order, spare);
    [result, spare] = [spare, result];
  }
  return result;
}
