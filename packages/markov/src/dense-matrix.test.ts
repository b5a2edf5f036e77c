import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  luFactorize,
  luSolveRow,
  matrixInverse,
  multiplyMatrices,
  solveLinearSystem,
  stationaryRowVector,
} from './dense-matrix.js';

const diagonallyDominant = fc.integer({ min: 1, max: 8 }).chain((order) =>
  fc
    .tuple(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
        minLength: order * order,
        maxLength: order * order,
      }),
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), {
        minLength: order,
        maxLength: order,
      }),
    )
    .map(([entries, rightHandSide]) => {
      const values = Float64Array.from(entries);
      for (let index = 0; index < order; index++) values[index * order + index]! += order + 1;
      return { order, values, rightHandSide };
    }),
);

describe('solveLinearSystem', () => {
  it('solves a diagonal system exactly', () => {
    expect(
      Array.from(
        solveLinearSystem(
          [
            [2, 0],
            [0, 4],
          ],
          [2, 2],
        ),
      ),
    ).toEqual([1, 0.5]);
  });

  it('needs pivoting for a zero leading entry', () => {
    expect(
      Array.from(
        solveLinearSystem(
          [
            [0, 1],
            [1, 0],
          ],
          [3, 5],
        ),
      ),
    ).toEqual([5, 3]);
  });

  it('leaves a residual at round-off level (A x = b and x A = b)', () => {
    fc.assert(
      fc.property(diagonallyDominant, ({ order, values, rightHandSide }) => {
        const column = solveLinearSystem(values, rightHandSide);
        const row = luSolveRow(luFactorize(values), rightHandSide);
        for (let i = 0; i < order; i++) {
          let columnResidual = -rightHandSide[i]!;
          let rowResidual = -rightHandSide[i]!;
          for (let j = 0; j < order; j++) {
            columnResidual += values[i * order + j]! * column[j]!;
            rowResidual += row[j]! * values[j * order + i]!;
          }
          expect(Math.abs(columnResidual)).toBeLessThan(1e-12);
          expect(Math.abs(rowResidual)).toBeLessThan(1e-12);
        }
      }),
    );
  });

  it('refuses a singular matrix with a NUMERIC error', () => {
    expect.assertions(2);
    try {
      solveLinearSystem(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 1],
      );
    } catch (error) {
      expect(isMbsError(error, 'NUMERIC')).toBe(true);
      expect((error as Error).message).toMatch(/singular/);
    }
  });
});

describe('matrixInverse', () => {
  it('gives A A^{-1} = I', () => {
    fc.assert(
      fc.property(diagonallyDominant, ({ order, values }) => {
        const product = multiplyMatrices(values, matrixInverse(values), order);
        for (let i = 0; i < order; i++) {
          for (let j = 0; j < order; j++) {
            expect(product[i * order + j]!).toBeCloseTo(i === j ? 1 : 0, 12);
          }
        }
      }),
    );
  });
});

describe('stationaryRowVector', () => {
  it('solves x Q = 0 for a generator and x P = x for a stochastic matrix', () => {
    const generator = stationaryRowVector(
      [
        [-1, 1],
        [2, -2],
      ],
      'generator',
    );
    expect(Array.from(generator)).toEqual([expect.closeTo(2 / 3, 15), expect.closeTo(1 / 3, 15)]);
    const chain = [
      [0.5, 0.5, 0],
      [0.1, 0.6, 0.3],
      [0.2, 0.2, 0.6],
    ];
    const stochastic = stationaryRowVector(chain, 'stochastic');
    for (let column = 0; column < 3; column++) {
      const next = chain.reduce((sum, row, from) => sum + stochastic[from]! * row[column]!, 0);
      expect(next).toBeCloseTo(stochastic[column]!, 14);
    }
    expect(stochastic.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 15);
  });

  it('refuses a chain without a unique stationary law', () => {
    expect(() =>
      stationaryRowVector(
        [
          [0, 0],
          [0, 0],
        ],
        'generator',
        'two absorbing states',
      ),
    ).toThrow(/two absorbing states/);
  });
});
