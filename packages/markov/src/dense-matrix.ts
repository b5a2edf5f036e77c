import { errors } from './errors.js';

/**
 * A square matrix: either rows of numbers, or a row-major `Float64Array` whose length is a
 * perfect square (order = sqrt(length)). Routines that return matrices return row-major
 * `Float64Array`s.
 */
export type DenseMatrixInput = Float64Array | readonly (readonly number[])[];

/** A square row-major matrix with its order, as the numerical routines use internally. */
export interface RowMajorMatrix {
  readonly order: number;
  readonly values: Float64Array;
}

/**
 * The row-major form of a square matrix (copied, so callers may modify it).
 *
 * @throws MbsError `NUMERIC` when the input is not square.
 */
export function toRowMajor(matrix: DenseMatrixInput, label = 'matrix'): RowMajorMatrix {
  if (matrix instanceof Float64Array) {
    const order = Math.round(Math.sqrt(matrix.length));
    if (order * order !== matrix.length || order === 0) {
      throw errors.error(
        'NUMERIC',
        `${label}: a row-major Float64Array of length ${matrix.length} is not a square matrix; the length must be a positive perfect square`,
      );
    }
    return { order, values: Float64Array.from(matrix) };
  }
  const order = matrix.length;
  const values = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    const entries = matrix[row]!;
    if (entries.length !== order) {
      throw errors.error(
        'NUMERIC',
        `${label}: row ${row} has ${entries.length} entries; a square matrix of order ${order} needs ${order}`,
      );
    }
    for (let column = 0; column < order; column++) values[row * order + column] = entries[column]!;
  }
  if (order === 0) {
    throw errors.error('NUMERIC', `${label}: empty matrix; order must be >= 1`);
  }
  return { order, values };
}

/** Rows of numbers from a row-major matrix of the given order. */
export function toRows(values: Float64Array, order: number): number[][] {
  const rows: number[][] = [];
  for (let row = 0; row < order; row++) {
    rows.push(Array.from(values.subarray(row * order, row * order + order)));
  }
  return rows;
}

/** The identity of the given order, row-major. */
export function identityMatrix(order: number): Float64Array {
  const values = new Float64Array(order * order);
  for (let index = 0; index < order; index++) values[index * order + index] = 1;
  return values;
}

/** Product `left · right` of two row-major matrices of one order, into `target` when given. */
export function multiplyMatrices(
  left: Float64Array,
  right: Float64Array,
  order: number,
  target: Float64Array = new Float64Array(order * order),
): Float64Array {
  // i-k-j order keeps the inner loop on contiguous rows of `right` and `target`.
  target.fill(0);
  for (let row = 0; row < order; row++) {
    const rowOffset = row * order;
    for (let inner = 0; inner < order; inner++) {
      const factor = left[rowOffset + inner]!;
      if (factor === 0) continue;
      const innerOffset = inner * order;
      for (let column = 0; column < order; column++) {
        target[rowOffset + column]! += factor * right[innerOffset + column]!;
      }
    }
  }
  return target;
}

/** The largest absolute row sum (the infinity norm) of a row-major matrix. */
export function infinityNorm(values: Float64Array, order: number): number {
  let largest = 0;
  for (let row = 0; row < order; row++) {
    let sum = 0;
    for (let column = 0; column < order; column++) sum += Math.abs(values[row * order + column]!);
    if (sum > largest) largest = sum;
  }
  return largest;
}

/** The largest absolute column sum (the 1-norm) of a row-major matrix. */
export function oneNorm(values: Float64Array, order: number): number {
  let largest = 0;
  for (let column = 0; column < order; column++) {
    let sum = 0;
    for (let row = 0; row < order; row++) sum += Math.abs(values[row * order + column]!);
    if (sum > largest) largest = sum;
  }
  return largest;
}

/** An LU factorisation with partial pivoting: `P A = L U`, packed in one array. */
export interface LuFactorization {
  readonly order: number;
  /** L (unit diagonal, below) and U (on and above the diagonal), row-major. */
  readonly packed: Float64Array;
  /** Row `index` of `P A` is row `pivots[index]` of `A`. */
  readonly pivots: Int32Array;
}

/**
 * Factorises a square matrix as `P A = L U` with partial pivoting. A pivot no larger than
 * `order · 2^-52 · max|a_ij|` means the matrix is singular to working precision.
 *
 * @throws MbsError `NUMERIC` when the matrix is singular or holds non-finite numbers.
 */
export function luFactorize(matrix: DenseMatrixInput, label = 'matrix'): LuFactorization {
  const { order, values: packed } = toRowMajor(matrix, label);
  const pivots = new Int32Array(order);
  let largestEntry = 0;
  for (const value of packed) {
    if (!Number.isFinite(value)) {
      throw errors.error('NUMERIC', `${label}: holds ${value}; entries must be finite`);
    }
    largestEntry = Math.max(largestEntry, Math.abs(value));
  }
  const threshold = order * Number.EPSILON * largestEntry;
  for (let index = 0; index < order; index++) pivots[index] = index;
  for (let step = 0; step < order; step++) {
    let pivotRow = step;
    let pivotSize = Math.abs(packed[step * order + step]!);
    for (let row = step + 1; row < order; row++) {
      const size = Math.abs(packed[row * order + step]!);
      if (size > pivotSize) {
        pivotSize = size;
        pivotRow = row;
      }
    }
    if (pivotSize <= threshold || pivotSize === 0) {
      throw errors.error(
        'NUMERIC',
        `${label}: singular to working precision (pivot ${pivotSize} at step ${step} of ${order}); the system has no unique solution`,
        { details: { step, pivot: pivotSize, order } },
      );
    }
    if (pivotRow !== step) {
      for (let column = 0; column < order; column++) {
        const a = step * order + column;
        const b = pivotRow * order + column;
        const swap = packed[a]!;
        packed[a] = packed[b]!;
        packed[b] = swap;
      }
      const swap = pivots[step]!;
      pivots[step] = pivots[pivotRow]!;
      pivots[pivotRow] = swap;
    }
    const pivot = packed[step * order + step]!;
    for (let row = step + 1; row < order; row++) {
      const factor = packed[row * order + step]! / pivot;
      packed[row * order + step] = factor;
      if (factor === 0) continue;
      for (let column = step + 1; column < order; column++) {
        packed[row * order + column]! -= factor * packed[step * order + column]!;
      }
    }
  }
  return { order, packed, pivots };
}

/** Solves `A x = b` (x a column vector) from an LU factorisation of A. */
export function luSolve(
  factorization: LuFactorization,
  rightHandSide: ArrayLike<number>,
): Float64Array {
  const { order, packed, pivots } = factorization;
  const solution = new Float64Array(order);
  for (let row = 0; row < order; row++) solution[row] = rightHandSide[pivots[row]!]!;
  for (let row = 0; row < order; row++) {
    let sum = solution[row]!;
    for (let column = 0; column < row; column++)
      sum -= packed[row * order + column]! * solution[column]!;
    solution[row] = sum;
  }
  for (let row = order - 1; row >= 0; row--) {
    let sum = solution[row]!;
    for (let column = row + 1; column < order; column++) {
      sum -= packed[row * order + column]! * solution[column]!;
    }
    solution[row] = sum / packed[row * order + row]!;
  }
  return solution;
}

/** Solves `x A = b` (x a row vector) from an LU factorisation of A. */
export function luSolveRow(
  factorization: LuFactorization,
  rightHandSide: ArrayLike<number>,
): Float64Array {
  // x A = b  <=>  Aᵀ xᵀ = bᵀ with Aᵀ = Uᵀ Lᵀ P.
  const { order, packed, pivots } = factorization;
  const work = new Float64Array(order);
  for (let column = 0; column < order; column++) {
    let sum = rightHandSide[column]!;
    for (let row = 0; row < column; row++) sum -= packed[row * order + column]! * work[row]!;
    work[column] = sum / packed[column * order + column]!;
  }
  for (let column = order - 1; column >= 0; column--) {
    let sum = work[column]!;
    for (let row = column + 1; row < order; row++)
      sum -= packed[row * order + column]! * work[row]!;
    work[column] = sum;
  }
  const solution = new Float64Array(order);
  for (let index = 0; index < order; index++) solution[pivots[index]!] = work[index]!;
  return solution;
}

/**
 * Solves `A X = B` for a square row-major right-hand side B of the factorised order, working on
 * whole rows so the inner loops run over contiguous memory.
 */
export function luSolveMatrix(
  factorization: LuFactorization,
  rightHandSide: Float64Array,
): Float64Array {
  const { order, packed, pivots } = factorization;
  const solution = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    solution.set(
      rightHandSide.subarray(pivots[row]! * order, pivots[row]! * order + order),
      row * order,
    );
  }
  for (let row = 0; row < order; row++) {
    const rowOffset = row * order;
    for (let inner = 0; inner < row; inner++) {
      const factor = packed[rowOffset + inner]!;
      if (factor === 0) continue;
      const innerOffset = inner * order;
      for (let column = 0; column < order; column++) {
        solution[rowOffset + column]! -= factor * solution[innerOffset + column]!;
      }
    }
  }
  for (let row = order - 1; row >= 0; row--) {
    const rowOffset = row * order;
    for (let inner = row + 1; inner < order; inner++) {
      const factor = packed[rowOffset + inner]!;
      if (factor === 0) continue;
      const innerOffset = inner * order;
      for (let column = 0; column < order; column++) {
        solution[rowOffset + column]! -= factor * solution[innerOffset + column]!;
      }
    }
    const pivot = packed[rowOffset + row]!;
    for (let column = 0; column < order; column++) solution[rowOffset + column]! /= pivot;
  }
  return solution;
}

/**
 * Solves the square linear system `A x = b` by LU factorisation with partial pivoting. The
 * backward error is of order `n · 2^-53 · growth` (growth is small in practice), so the relative
 * error of x is about the condition number of A times that.
 *
 * @example
 * ```ts
 * solveLinearSystem([[2, 0], [0, 4]], [2, 2]); // Float64Array [1, 0.5]
 * ```
 * @throws MbsError `NUMERIC` when A is singular to working precision.
 */
export function solveLinearSystem(
  matrix: DenseMatrixInput,
  rightHandSide: ArrayLike<number>,
): Float64Array {
  const factorization = luFactorize(matrix, 'solveLinearSystem matrix');
  if (rightHandSide.length !== factorization.order) {
    throw errors.error(
      'NUMERIC',
      `solveLinearSystem: right-hand side has ${rightHandSide.length} entries; the matrix has order ${factorization.order}`,
    );
  }
  return luSolve(factorization, rightHandSide);
}

/**
 * The inverse of a square matrix, row-major, by LU factorisation with partial pivoting (same
 * error behaviour as {@link solveLinearSystem}).
 *
 * @throws MbsError `NUMERIC` when the matrix is singular to working precision.
 */
export function matrixInverse(matrix: DenseMatrixInput): Float64Array {
  const factorization = luFactorize(matrix, 'matrixInverse matrix');
  const { order } = factorization;
  return luSolveMatrix(factorization, identityMatrix(order));
}

/**
 * The row vector x with x Q = 0 and entries summing to 1: the stationary law of a CTMC generator
 * (`kind: 'generator'`) or, with Q = P − I, of a stochastic matrix P (`kind: 'stochastic'`). One
 * balance equation of Qᵀ xᵀ = 0 is replaced by the normalisation, which pins the null space when
 * the chain has one recurrent class; round-off below 0 on rarely visited states is clamped.
 *
 * @example
 * ```ts
 * stationaryRowVector([[-1, 1], [2, -2]], 'generator'); // Float64Array [2/3, 1/3]
 * ```
 * @throws MbsError `NUMERIC` when the chain has no unique stationary law.
 */
export function stationaryRowVector(
  matrix: DenseMatrixInput,
  kind: 'generator' | 'stochastic',
  label = 'matrix',
): Float64Array {
  const { order, values } = toRowMajor(matrix, label);
  const system = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) {
      const entry =
        values[column * order + row]! - (kind === 'stochastic' && row === column ? 1 : 0);
      system[row * order + column] = row === order - 1 ? 1 : entry;
    }
  }
  const rightHandSide = new Float64Array(order);
  rightHandSide[order - 1] = 1;
  const solution = luSolve(
    luFactorize(system, `${label} (has its chain one recurrent class?)`),
    rightHandSide,
  );
  return normaliseStationary(solution);
}

/**
 * A solved stationary vector made a distribution, in place: round-off can leave tiny negative
 * entries on rarely visited states, whereas the exact vector is non-negative; then it sums to 1.
 */
export function normaliseStationary(solution: Float64Array): Float64Array {
  let total = 0;
  for (let index = 0; index < solution.length; index++) {
    solution[index] = Math.max(0, solution[index]!);
    total += solution[index]!;
  }
  for (let index = 0; index < solution.length; index++) solution[index]! /= total;
  return solution;
}
