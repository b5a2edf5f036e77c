import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrivalRate, interArrivalScv, lagAutocorrelation } from './map-descriptors.js';
import { thinMap } from './map-operations.js';
import { createMapSampler } from './map-sampler.js';
import {
  createMarkedMapSampler,
  markedMapClassShares,
  markedMapFromShares,
  restrictMarkedMap,
  validateMarkedMap,
} from './marked-map.js';
import { roundRobinMap, roundRobinMarkedMap } from './round-robin.js';
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

describe('roundRobinMarkedMap', () => {
  // Class 0 arrives from the fast phase, class 1 from the slow one: sizes depend on the bursts.
  const marked = {
    ...bursty,
    classArrivals: [
      [
        [10, 1],
        [0, 0],
      ],
      [
        [0, 0],
        [0.2, 0.8],
      ],
    ],
  };

  it('is a marked MAP over roundRobinMap; with independent marks, the marks stay independent', () => {
    const share = roundRobinMarkedMap(marked, 3);
    validateMarkedMap(share);
    expect(share.d1).toEqual(roundRobinMap(bursty, 3).d1);
    expect(roundRobinMarkedMap(marked, 1)).toBe(marked);
    const independent = roundRobinMarkedMap(markedMapFromShares(bursty, [0.3, 0.7]), 3);
    const expected = markedMapFromShares(roundRobinMap(bursty, 3), [0.3, 0.7]);
    independent.classArrivals.forEach((matrix, classId) => {
      matrix.forEach((row, i) => {
        row.forEach((value, j) => {
          expect(value).toBeCloseTo(expected.classArrivals[classId]![i]![j]!, 12);
        });
      });
    });
  });

  it("matches every k-th arrival of the sampled stream: class shares and one class's gaps", () => {
    const frontEnds = 2;
    const sampler = createMarkedMapSampler(marked, 11);
    let clock = 0;
    let seen = 0;
    let classOne = 0;
    let lastClassOne = Number.NaN;
    const gaps: number[] = [];
    for (let index = 0; index < 200_000; index++) {
      const { interArrivalSeconds, classId } = sampler.next();
      clock += interArrivalSeconds;
      if (index % frontEnds !== frontEnds - 1) continue;
      seen++;
      if (classId !== 1) continue;
      classOne++;
      if (!Number.isNaN(lastClassOne)) gaps.push(clock - lastClassOne);
      lastClassOne = clock;
    }
    const share = roundRobinMarkedMap(marked, frontEnds);
    expect(classOne / seen).toBeCloseTo(markedMapClassShares(share)[1]!, 2);
    const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
    const restricted = restrictMarkedMap(share, [0, 1]);
    expect(mean * arrivalRate(restricted)).toBeCloseTo(1, 1);
    const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
    expect(variance / mean ** 2 / interArrivalScv(restricted)).toBeCloseTo(1, 1);
  });
});
