import type { MarkovianArrivalProcess } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryMap } from './testing/map-arbitrary.js';
import { type MapViolation, mapOrder, poissonMap, validateMap } from './validate-map.js';

function violationsOf(map: unknown, tolerance?: number): MapViolation[] {
  try {
    validateMap(map as MarkovianArrivalProcess, {
      source: 'window 3',
      ...(tolerance === undefined ? {} : { tolerance }),
    });
  } catch (error) {
    expect(isMbsError(error, 'MAP_INVALID')).toBe(true);
    expect((error as Error).message).toContain('window 3');
    return (error as { details: { violations: MapViolation[] } }).details.violations;
  }
  return [];
}

const valid = {
  d0: [
    [-3, 1],
    [0.5, -2],
  ],
  d1: [
    [1, 1],
    [0.5, 1],
  ],
};

describe('validateMap', () => {
  it('accepts every generated valid MAP and returns it unchanged', () => {
    fc.assert(
      fc.property(arbitraryMap(), (map) => {
        expect(validateMap(map)).toBe(map);
      }),
    );
  });

  it('names a non-square row with its row index', () => {
    const [violation] = violationsOf({
      d0: [[-1, 0], [0]],
      d1: [
        [1, 0],
        [0, 1],
      ],
    });
    expect(violation).toMatchObject({ rule: 'square', row: 1 });
    expect(violation?.message).toMatch(/d0 row 1 has 1 entries/);
  });

  it('names matrices of different orders', () => {
    expect(violationsOf({ d0: [[-1]], d1: [[1], [1]] }).map((v) => v.rule)).toContain('same-order');
  });

  it('names non-finite entries with row and column', () => {
    const violations = violationsOf({
      d0: [
        [-1, Number.NaN],
        [0, -1],
      ],
      d1: [
        [1, 0],
        [0, 1],
      ],
    });
    expect(violations[0]).toMatchObject({ rule: 'finite', row: 0, column: 1 });
  });

  it('names a negative off-diagonal rate of d0', () => {
    const violations = violationsOf({
      d0: [
        [-1, -0.5],
        [0, -1],
      ],
      d1: [
        [1.5, 0],
        [0, 1],
      ],
    });
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'd0-off-diagonal-nonnegative', row: 0, column: 1 }),
    ]);
  });

  it('names a non-negative diagonal entry of d0', () => {
    const violations = violationsOf({
      d0: [
        [-1, 1],
        [0, 0],
      ],
      d1: [
        [0, 0],
        [0, 0],
      ],
    });
    expect(violations.map((v) => v.rule)).toEqual(['d0-diagonal-negative', 'd1-has-arrivals']);
    expect(violations[0]).toMatchObject({ row: 1, column: 1 });
  });

  it('names a negative arrival rate of d1', () => {
    const violations = violationsOf({
      d0: [
        [-1, 1],
        [0, -1],
      ],
      d1: [
        [0.5, -0.5],
        [0, 1],
      ],
    });
    expect(violations).toEqual([
      expect.objectContaining({ rule: 'd1-nonnegative', row: 0, column: 1 }),
    ]);
  });

  it('names rows of d0 + d1 that do not sum to 0, relative to the row scale', () => {
    const violations = violationsOf({
      d0: [
        [-3, 1],
        [0.5, -2],
      ],
      d1: [
        [1, 1.01],
        [0.5, 1],
      ],
    });
    expect(violations).toEqual([expect.objectContaining({ rule: 'rows-sum-to-zero', row: 0 })]);
    const scaled = {
      d0: [
        [-3e6, 1e6],
        [0, -1e6],
      ],
      d1: [
        [2e6 + 1e-3, 0],
        [0, 1e6],
      ],
    };
    expect(violationsOf(scaled)).toEqual([]);
    expect(violationsOf(scaled, 1e-12).map((v) => v.rule)).toEqual(['rows-sum-to-zero']);
  });

  it('lists several broken rules in one error', () => {
    const rules = violationsOf({
      d0: [
        [1, -1],
        [0, -1],
      ],
      d1: [
        [-1, 0],
        [0, 1],
      ],
    }).map((v) => v.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        'd0-off-diagonal-nonnegative',
        'd0-diagonal-negative',
        'd1-nonnegative',
      ]),
    );
  });

  it('rejects an empty MAP', () => {
    expect(violationsOf({ d0: [], d1: [] }).map((v) => v.rule)).toEqual(['not-empty']);
  });

  it('accepts a valid MAP of order 2', () => {
    expect(violationsOf(valid)).toEqual([]);
    expect(mapOrder(valid)).toBe(2);
  });
});

describe('poissonMap', () => {
  it('is a valid order-1 MAP with the given rate', () => {
    expect(validateMap(poissonMap(4))).toEqual({ d0: [[-4]], d1: [[4]] });
  });

  it('refuses a non-positive rate', () => {
    expect(() => poissonMap(0)).toThrow(/ratePerSecond = 0/);
  });
});
