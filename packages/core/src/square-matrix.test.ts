import { describe, expect, it } from 'vitest';
import { isSquareMatrix } from './square-matrix.js';

describe('isSquareMatrix', () => {
  it('accepts n rows of n finite numbers', () => {
    expect(isSquareMatrix([[-1]])).toBe(true);
    expect(
      isSquareMatrix([
        [-2, 1],
        [0, -3],
      ]),
    ).toBe(true);
  });

  it('refuses empty, ragged, non-square and non-finite matrices', () => {
    expect(isSquareMatrix([])).toBe(false);
    expect(isSquareMatrix([[1, 2]])).toBe(false);
    expect(isSquareMatrix([[1, 2], [3]])).toBe(false);
    expect(
      isSquareMatrix([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toBe(false);
    expect(isSquareMatrix([['1']])).toBe(false);
    expect(isSquareMatrix({ d0: [[1]] })).toBe(false);
  });
});
