import { MbsError } from '@mbs/core';

/**
 * Small dense kernels on row-major `Float64Array` matrices of order `order`. The model's matrices
 * have the MAP's order (2 to a few), so plain loops beat any general library here.
 */

/** Solves `matrix * x = rightHandSide` by Gaussian elimination with partial pivoting. */
export function solveDense(
  matrix: Float64Array,
  rightHandSide: Float64Array,
  order: number,
): Float64Array {
  const work = Float64Array.from(matrix);
  const solution = Float64Array.from(rightHandSide);
  for (let column = 0; column < order; column++) {
    let pivotRow = column;
    let pivotSize = Math.abs(work[column * order + column]!);
    for (let row = column + 1; row < order; row++) {
      const size = Math.abs(work[row * order + column]!);
      if (size > pivotSize) {
        pivotSize = size;
        pivotRow = row;
      }
    }
    if (!(pivotSize > 1e-300)) {
      throw new MbsError(
        'NUMERIC',
        `[@mbs/model] singular ${order}x${order} system in a phase computation; the MAP must be irreducible with a nonsingular D0`,
      );
    }
    if (pivotRow !== column) {
      for (let index = 0; index < order; index++) {
        const a = column * order + index;
        const b = pivotRow * order + index;
        const swap = work[a]!;
        work[a] = work[b]!;
        work[b] = swap;
      }
      const swap = solution[column]!;
      solution[column] = solution[pivotRow]!;
      solution[pivotRow] = swap;
    }
    const pivot = work[column * order + column]!;
    for (let row = column + 1; row < order; row++) {
      const factor = work[row * order + column]! / pivot;
      if (factor === 0) continue;
      for (let index = column; index < order; index++) {
        work[row * order + index]! -= factor * work[column * order + index]!;
      }
      solution[row]! -= factor * solution[column]!;
    }
  }
  for (let row = order - 1; row >= 0; row--) {
    let sum = solution[row]!;
    for (let index = row + 1; index < order; index++) {
      sum -= work[row * order + index]! * solution[index]!;
    }
    solution[row] = sum / work[row * order + row]!;
  }
  return solution;
}

/** `left * right` for square matrices. */
export function multiplyDense(
  left: Float64Array,
  right: Float64Array,
  order: number,
): Float64Array {
  const product = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    for (let inner = 0; inner < order; inner++) {
      const factor = left[row * order + inner]!;
      if (factor === 0) continue;
      for (let column = 0; column < order; column++) {
        product[row * order + column]! += factor * right[inner * order + column]!;
      }
    }
  }
  return product;
}

/** `(-matrix)^{-1} * right`, column by column. */
export function negativeInverseTimes(
  matrix: Float64Array,
  right: Float64Array,
  order: number,
): Float64Array {
  const negated = matrix.map((entry) => -entry);
  const result = new Float64Array(order * order);
  const column = new Float64Array(order);
  for (let columnIndex = 0; columnIndex < order; columnIndex++) {
    for (let row = 0; row < order; row++) column[row] = right[row * order + columnIndex]!;
    const solved = solveDense(negated, column, order);
    for (let row = 0; row < order; row++) result[row * order + columnIndex] = solved[row]!;
  }
  return result;
}

/**
 * The row vector `x` with `x * matrix = 0` and entries summing to 1, for a generator or for
 * `P - I` of a stochastic matrix (pass `subtractIdentity`). One balance equation is replaced by
 * the normalisation, which is the standard way to pin the one-dimensional null space.
 */
export function stationaryRowVector(
  matrix: Float64Array,
  order: number,
  subtractIdentity: boolean,
): Float64Array {
  // Solve transpose(matrix) x = 0 with the last equation replaced by sum(x) = 1.
  const system = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) {
      const entry = matrix[column * order + row]! - (subtractIdentity && row === column ? 1 : 0);
      system[row * order + column] = row === order - 1 ? 1 : entry;
    }
  }
  const rightHandSide = new Float64Array(order);
  rightHandSide[order - 1] = 1;
  const solution = solveDense(system, rightHandSide, order);
  // Round-off can leave tiny negative entries on phases that are almost never visited.
  let total = 0;
  for (let index = 0; index < order; index++) {
    solution[index] = Math.max(0, solution[index]!);
    total += solution[index]!;
  }
  for (let index = 0; index < order; index++) solution[index]! /= total;
  return solution;
}
