import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrivalRate, interArrivalScv, lagAutocorrelation } from './map-descriptors.js';
import { thinMap } from './map-operations.js';
import { createMapSampler } from './map-sampler.js';
import { roundRobinMap } from './round-robin.js';
import { poissonMap, validateMap } from './validate-map.js';

const bursty = {
  d0: [
    [-12, 1],
    [0.5, -1.5],
  ],
  d1: [
    [10, 1],
    [0.2, 0.8],
  ],
};

describe('roundRobinMap', () => {
  it('turns a Poisson stream into Erlang-k: rate / k, SCV 1 / k, no correlation', () => {
    for (const frontEnds of [1, 2, 3, 5]) {
      const share = roundRobinMap(poissonMap(6), frontEnds);
      validateMap(share);
      expect(arrivalRate(share)).toBeCloseTo(6 / frontEnds, 10);
      expect(interArrivalScv(share)).toBeCloseTo(1 / frontEnds, 10);
      if (frontEnds > 1) expect(lagAutocorrelation(share, 1)).toBeCloseTo(0, 10);
    }
  });

  it('is a valid MAP at rate / k for any MAP, and more regular than independent thinning', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0.1, max: 20, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.double({ min: 0.01, max: 5, noNaN: true }),
        fc.integer({ min: 2, max: 6 }),
        (fast, slow, up, down, frontEnds) => {
          const map = {
            d0: [
              [-(fast + up), up],
              [down, -(slow + down)],
            ],
            d1: [
              [fast, 0],
              [0, slow],
            ],
          };
          const share = roundRobinMap(map, frontEnds);
          validateMap(share);
          expect(arrivalRate(share)).toBeCloseTo(arrivalRate(map) / frontEnds, 8);
          expect(interArrivalScv(share)).toBeLessThanOrEqual(
            interArrivalScv(thinMap(map, 1 / frontEnds)) + 1e-9,
          );
        },
      ),
      { numRuns: 50 },
    );
  });

  it('matches every k-th arrival of a sample of the stream', () => {
    const frontEnds = 3;
    const sampler = createMapSampler(bursty, 11);
    const gaps: number[] = [];
    let sinceLast = 0;
    for (let index = 0; index < 300_000; index++) {
      sinceLast += sampler.nextInterArrival();
      if (index % frontEnds === frontEnds - 1) {
        gaps.push(sinceLast);
        sinceLast = 0;
      }
    }
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
    const share = roundRobinMap(bursty, frontEnds);
    expect(mean).toBeCloseTo(1 / arrivalRate(share), 2);
    expect(variance / mean ** 2).toBeCloseTo(interArrivalScv(share), 1);
  });

  it('refuses a count of front ends that is not a positive integer', () => {
    for (const frontEnds of [0, 1.5, -2, Number.NaN]) {
      let error: unknown;
      try {
        roundRobinMap(bursty, frontEnds);
      } catch (caught) {
        error = caught;
      }
      expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    }
  });
});
