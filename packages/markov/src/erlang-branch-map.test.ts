import { describe, expect, it } from 'vitest';
import { branchStructures, erlangBranchMapToMap } from './erlang-branch-map.js';
import { describeMap } from './map-descriptors.js';
import { validateMap } from './validate-map.js';

describe('erlangBranchMapToMap', () => {
  it('lays out each branch as an Erlang chain whose last stage arrives into the first stages', () => {
    const map = erlangBranchMapToMap({
      branchOrders: [1, 2],
      branchRates: [10, 0.5],
      branchTransitions: [
        [0.9, 0.1],
        [0.3, 0.7],
      ],
    });
    validateMap(map);
    expect(map.d0).toEqual([
      [-10, 0, 0],
      [0, -0.5, 0.5],
      [0, 0, -0.5],
    ]);
    expect(map.d1).toEqual([
      [9, 1, 0],
      [0, 0, 0],
      [0.15, 0.35, 0],
    ]);
    // Branch law after an arrival: stationary vector of P = (0.75, 0.25); means 0.1 s and 4 s.
    expect(describeMap(map).mean).toBeCloseTo(0.75 * 0.1 + 0.25 * 4, 12);
  });

  it('is a renewal process when every row of P is the same', () => {
    const map = erlangBranchMapToMap({
      branchOrders: [3, 1],
      branchRates: [6, 0.2],
      branchTransitions: [
        [0.6, 0.4],
        [0.6, 0.4],
      ],
    });
    const { autocorrelations, scv } = describeMap(map, { maxLag: 2 });
    expect(autocorrelations[0]).toBeCloseTo(0, 12);
    expect(autocorrelations[1]).toBeCloseTo(0, 12);
    expect(scv).toBeGreaterThan(1);
  });
});

describe('branchStructures', () => {
  it('lists every partition of the phases once, largest branch first', () => {
    expect(branchStructures(4)).toEqual([[4], [3, 1], [2, 2], [2, 1, 1], [1, 1, 1, 1]]);
    expect(branchStructures(8)).toHaveLength(22);
    expect(branchStructures(10)).toHaveLength(42);
    for (const structure of branchStructures(7)) {
      expect(structure.reduce((sum, order) => sum + order, 0)).toBe(7);
      expect([...structure].sort((a, b) => b - a)).toEqual(structure);
    }
  });
});
