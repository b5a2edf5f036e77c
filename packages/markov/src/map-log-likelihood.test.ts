import { MbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { erlangBranchMapToMap } from './erlang-branch-map.js';
import { mapLogLikelihood } from './map-log-likelihood.js';
import { poissonMap } from './validate-map.js';

describe('mapLogLikelihood', () => {
  it('is N log(rate) - rate x total time for a Poisson process, gaps of 1000 mean times included', () => {
    const gaps = [0.01, 0.5, 2, 1000, 0.3];
    const total = gaps.reduce((sum, gap) => sum + gap, 0);
    expect(mapLogLikelihood(poissonMap(2), gaps)).toBeCloseTo(
      gaps.length * Math.log(2) - 2 * total,
      8,
    );
  });

  it('follows the hidden phase from one gap to the next', () => {
    // Two branches that alternate strictly: gaps come from rate 10, then rate 0.1, and so on,
    // starting from either with probability 1/2 (the law after an arrival).
    const map = erlangBranchMapToMap({
      branchOrders: [1, 1],
      branchRates: [10, 0.1],
      branchTransitions: [
        [0, 1],
        [1, 0],
      ],
    });
    const density = (rate: number, gap: number) => rate * Math.exp(-rate * gap);
    const gaps = [0.05, 7, 0.2];
    const expected = Math.log(
      0.5 * density(10, 0.05) * density(0.1, 7) * density(10, 0.2) +
        0.5 * density(0.1, 0.05) * density(10, 7) * density(0.1, 0.2),
    );
    expect(mapLogLikelihood(map, gaps)).toBeCloseTo(expected, 10);
  });

  it('refuses negative and non-finite times, naming the index', () => {
    expect(() => mapLogLikelihood(poissonMap(1), [1, -1])).toThrow(MbsError);
    expect(() => mapLogLikelihood(poissonMap(1), [1, 2, Number.NaN])).toThrow(
      /inter-arrival #3 = NaN s/,
    );
  });
});
