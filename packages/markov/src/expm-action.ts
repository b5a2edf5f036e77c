import { type DenseMatrixInput, infinityNorm, toRowMajor } from './dense-matrix.js';
import { errors } from './errors.js';

/** Options of {@link expmAction}. */
export interface ExpmActionOptions {
  /** Largest truncation error of each step relative to the 1-norm of that step's result. Default 1e-15. */
  readonly tolerance?: number;
}

/** `target = source · matrix` for a row vector. */
function rowTimes(
  source: Float64Array,
  matrix: Float64Array,
  order: number,
  target: Float64Array,
): void {
  target.fill(0);
  for (let row = 0; row < order; row++) {
    const factor = source[row]!;
    if (factor === 0) continue;
    const offset = row * order;
    for (let column = 0; column < order; column++)
      target[column]! += factor * matrix[offset + column]!;
  }
}

function sumAbs(vector: Float64Array): number {
  let sum = 0;
  for (const value of vector) sum += Math.abs(value);
  return sum;
}

/**
 * The row vector v · exp(tA), without forming exp(tA). For a Metzler matrix (off-diagonal >= 0:
 * generators, sub-generators such as d0) it uses uniformization: A = B - μI with B >= 0, so every
 * Taylor term of exp(hB) is non-negative and no cancellation occurs; otherwise a plain Taylor
 * series. Time is cut into steps h with h‖B‖∞ <= 30 (Metzler) or <= 1 (other matrices), and each
 * step's series stops once the bound on its remainder, ‖term_k‖₁ · r / (1 - r) with
 * r = h‖B‖∞ / (k + 1) < 1, is below `tolerance` x ‖step result‖₁. Error bound: when exp(tA) is
 * substochastic (A a generator or sub-generator) truncation errors do not grow from step to step,
 * so the total error is at most steps x tolerance x ‖v‖₁ plus rounding of order 2^-53 per term.
 * Cost: about t‖B‖∞ + steps x O(sqrt(30)) vector-matrix products.
 *
 * @example
 * ```ts
 * const law = expmAction([[-1, 1], [2, -2]], [1, 0], 0.5); // phase law at t = 0.5 s from phase 0
 * ```
 * @param matrix - square matrix A, rows or row-major Float64Array.
 * @param vector - row vector v with one entry per row of A.
 * @param t - finite and >= 0 (units of 1 / A's rates, e.g. seconds for rates per second).
 */
export function expmAction(
  matrix: DenseMatrixInput,
  vector: ArrayLike<number>,
  t: number,
  options: ExpmActionOptions = {},
): Float64Array {
  const { order, values } = toRowMajor(matrix, 'expmAction matrix');
  const tolerance = options.tolerance ?? 1e-15;
  if (vector.length !== order) {
    throw errors.error(
      'NUMERIC',
      `expmAction vector: has ${vector.length} entries; the matrix has order ${order}`,
    );
  }
  if (!(t >= 0) || !Number.isFinite(t)) {
    throw errors.error('OPTION_INVALID', `expmAction t = ${t}; must be finite and >= 0`);
  }
  if (!(tolerance > 0 && tolerance < 1)) {
    throw errors.error(
      'OPTION_INVALID',
      `expmAction option tolerance = ${tolerance}; must be in (0, 1)`,
    );
  }
  let metzler = true;
  let shift = 0;
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) {
      const value = values[row * order + column]!;
      if (!Number.isFinite(value)) {
        throw errors.error(
          'NUMERIC',
          `expmAction matrix: entry [${row}][${column}] is ${value}; entries must be finite`,
        );
      }
      if (row === column) shift = Math.max(shift, -value);
      else if (value < 0) metzler = false;
    }
  }
  if (!metzler) shift = 0;
  for (let index = 0; index < order; index++) values[index * order + index]! += shift;
  const norm = infinityNorm(values, order);
  const result = Float64Array.from(vector);
  if (t === 0) return result;
  const thetaMax = metzler ? 30 : 1;
  const steps = Math.max(1, Math.ceil((t * norm) / thetaMax));
  const h = t / steps;
  const theta = h * norm;
  const decay = Math.exp(-shift * h);
  let term = new Float64Array(order);
  let next = new Float64Array(order);
  for (let step = 0; step < steps; step++) {
    term.set(result);
    for (let k = 1; ; k++) {
      rowTimes(term, values, order, next);
      const scale = h / k;
      for (let index = 0; index < order; index++) {
        next[index]! *= scale;
        result[index]! += next[index]!;
      }
      [term, next] = [next, term];
      const ratio = theta / (k + 1);
      if (ratio < 1) {
        const remainder = (sumAbs(term) * ratio) / (1 - ratio);
        if (remainder <= tolerance * sumAbs(result)) break;
      }
      if (k > 10_000) {
        throw errors.error(
          'NUMERIC',
          `expmAction: the series did not converge in 10000 terms (h‖B‖ = ${theta})`,
        );
      }
    }
    for (let index = 0; index < order; index++) result[index]! *= decay;
  }
  return result;
}
