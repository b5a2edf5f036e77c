import { createRandom } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { expm } from './expm.js';
import { expmAction } from './expm-action.js';

function rowTimesMatrix(
  vector: ArrayLike<number>,
  matrix: Float64Array,
  order: number,
): Float64Array {
  const result = new Float64Array(order);
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) {
      result[column]! += vector[row]! * matrix[row * order + column]!;
    }
  }
  return result;
}

function maxDifference(left: Float64Array, right: Float64Array): number {
  return left.reduce(
    (largest, value, index) => Math.max(largest, Math.abs(value - right[index]!)),
    0,
  );
}

function randomMatrix(
  order: number,
  seed: number,
  kind: 'generator' | 'sub-generator' | 'general',
) {
  const random = createRandom(seed);
  const values = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    let outflow = 0;
    for (let column = 0; column < order; column++) {
      if (row === column) continue;
      const value = kind === 'general' ? random.next() * 2 - 1 : random.next() * 3;
      values[row * order + column] = value;
      outflow += value;
    }
    values[row * order + row] =
      kind === 'general'
        ? random.next() - 0.5
        : -outflow - (kind === 'sub-generator' ? random.next() : 0);
  }
  return values;
}

describe('expmAction', () => {
  it('matches v exp(tA) from expm for generators, sub-generators and general matrices', () => {
    for (const kind of ['generator', 'sub-generator', 'general'] as const) {
      for (const [order, t] of [
        [1, 0.3],
        [4, 2],
        [20, 0.5],
        [50, 1.3],
      ] as const) {
        const matrix = randomMatrix(order, order * 31 + t * 7, kind);
        const vector = Array.from({ length: order }, (_, index) => (index % 3) + 1);
        const scaled = matrix.map((value) => value * t);
        const expected = rowTimesMatrix(vector, expm(scaled), order);
        const size = expected.reduce((largest, value) => Math.max(largest, Math.abs(value)), 0);
        expect(maxDifference(expmAction(matrix, vector, t), expected) / size).toBeLessThan(1e-11);
      }
    }
  });

  it('keeps a probability vector on the simplex under a stiff generator', () => {
    const matrix = [
      [-1000, 1000, 0],
      [0.01, -0.02, 0.01],
      [5, 0, -5],
    ];
    const law = expmAction(matrix, [1, 0, 0], 30);
    expect(law.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...law)).toBeGreaterThanOrEqual(0);
    const expected = rowTimesMatrix(
      [1, 0, 0],
      expm(matrix.map((row) => row.map((v) => v * 30))),
      3,
    );
    expect(maxDifference(law, expected)).toBeLessThan(1e-12);
  });

  it('returns v at t = 0 and refuses negative t', () => {
    expect(Array.from(expmAction([[-2]], [3], 0))).toEqual([3]);
    expect(() => expmAction([[-2]], [3], -1)).toThrow(/t = -1/);
  });
});
