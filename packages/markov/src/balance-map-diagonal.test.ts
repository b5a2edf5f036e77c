import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { balanceMapDiagonal } from './balance-map-diagonal.js';
import { arbitraryMap } from './testing/map-arbitrary.js';
import { validateMap } from './validate-map.js';

describe('balanceMapDiagonal', () => {
  it('makes rows of D0 + D1 sum to 0 and changes nothing else', () => {
    const map = {
      d0: [
        [-1.000001, 0.5],
        [0.25, -2],
      ],
      d1: [
        [0.5, 0],
        [0, 1.75],
      ],
    };
    const balanced = balanceMapDiagonal(map);
    expect(balanced.d0[0]![0]).toBe(-1);
    expect(balanced.d0[1]![1]).toBe(-2);
    expect(balanced.d0[0]![1]).toBe(0.5);
    expect(balanced.d1).toEqual(map.d1);
    expect(map.d0[0]![0]).toBe(-1.000001);
  });

  it('turns the 6-decimal Twitter hour-1 MAP into one validateMap accepts by default', () => {
    const printed = {
      d0: [
        [-14.625001, 0],
        [0, -35.171226],
      ],
      d1: [
        [0.05102, 14.573981],
        [0.063796, 35.107429],
      ],
    };
    expect(() => validateMap(printed)).toThrow(/rows-sum-to-zero|sum/);
    const balanced = balanceMapDiagonal(printed);
    expect(() => validateMap(balanced)).not.toThrow();
    expect(Math.abs(balanced.d0[1]![1]! - printed.d0[1]![1]!)).toBeLessThan(2e-6);
  });

  it('leaves valid MAPs valid and moves the diagonal by no more than the row sum', () => {
    fc.assert(
      fc.property(arbitraryMap(), (map) => {
        const balanced = balanceMapDiagonal(map);
        expect(() => validateMap(balanced)).not.toThrow();
        map.d0.forEach((row, index) => {
          const rowSum = [...row, ...map.d1[index]!].reduce((sum, rate) => sum + rate, 0);
          expect(Math.abs(balanced.d0[index]![index]! - row[index]!)).toBeLessThanOrEqual(
            Math.abs(rowSum) + 1e-12 * Math.abs(row[index]!),
          );
        });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses matrices of different orders with MAP_INVALID', () => {
    let error: unknown;
    try {
      balanceMapDiagonal({ d0: [[-1]], d1: [[0.5, 0.5]] });
    } catch (caught) {
      error = caught;
    }
    expect(isMbsError(error, 'MAP_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/same order/);
  });
});
