import type { MarkovianArrivalProcess } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixInverse, multiplyMatrices, toRowMajor } from './dense-matrix.js';
import {
  arrivalRate,
  arrivalStationaryDistribution,
  describeMap,
  interArrivalMoment,
  interArrivalScv,
  lagAutocorrelation,
  phaseStationaryDistribution,
} from './map-descriptors.js';
import { arbitraryMap, canonicalMap2 } from './testing/map-arbitrary.js';
import { poissonMap } from './validate-map.js';

function expectRelativelyClose(actual: number, expected: number, relative = 1e-10): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-300);
}

describe('phaseStationaryDistribution', () => {
  it('sums to 1, is non-negative and solves pi (d0 + d1) = 0', () => {
    fc.assert(
      fc.property(arbitraryMap(), (map) => {
        const pi = phaseStationaryDistribution(map);
        const order = map.d0.length;
        expect(pi.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
        let scale = 0;
        for (let i = 0; i < order; i++) scale = Math.max(scale, -map.d0[i]![i]!);
        for (let column = 0; column < order; column++) {
          let flow = 0;
          for (let row = 0; row < order; row++) {
            expect(pi[row]!).toBeGreaterThanOrEqual(0);
            flow += pi[row]! * (map.d0[row]![column]! + map.d1[row]![column]!);
          }
          expect(Math.abs(flow)).toBeLessThan(1e-11 * scale);
        }
      }),
    );
  });

  it('matches the closed form of a two-state MMPP', () => {
    const [r1, r2, l1, l2] = [0.3, 1.7, 5, 0.5];
    const mmpp = {
      d0: [
        [-r1 - l1, r1],
        [r2, -r2 - l2],
      ],
      d1: [
        [l1, 0],
        [0, l2],
      ],
    };
    const pi = phaseStationaryDistribution(mmpp);
    expectRelativelyClose(pi[0]!, r2 / (r1 + r2));
    expectRelativelyClose(arrivalRate(mmpp), (r2 * l1 + r1 * l2) / (r1 + r2));
  });
});

describe('arrivalStationaryDistribution', () => {
  it('is the stationary vector of the embedded chain (-d0)^{-1} d1', () => {
    fc.assert(
      fc.property(arbitraryMap(), (map) => {
        const order = map.d0.length;
        const phi = arrivalStationaryDistribution(map);
        const negated = toRowMajor(map.d0).values.map((value) => -value);
        const embedded = multiplyMatrices(matrixInverse(negated), toRowMajor(map.d1).values, order);
        for (let column = 0; column < order; column++) {
          let next = 0;
          for (let row = 0; row < order; row++) next += phi[row]! * embedded[row * order + column]!;
          expect(next).toBeCloseTo(phi[column]!, 9);
        }
      }),
    );
  });

  it('gives a mean inter-arrival time of 1 / rate', () => {
    fc.assert(
      fc.property(arbitraryMap(), (map) => {
        expectRelativelyClose(interArrivalMoment(map, 1) * arrivalRate(map), 1, 1e-9);
      }),
    );
  });
});

describe('moments and autocorrelation', () => {
  it('match the Poisson process: m_k = k! / rate^k, SCV 1, no correlation', () => {
    const map = poissonMap(4);
    expectRelativelyClose(interArrivalMoment(map, 3), 6 / 64);
    expectRelativelyClose(interArrivalScv(map), 1);
    expect(Math.abs(lagAutocorrelation(map, 1))).toBeLessThan(1e-14);
  });

  it('match a renewal hyperexponential (d1 = s alpha)', () => {
    const [q, mu1, mu2] = [0.2, 0.5, 8];
    const map: MarkovianArrivalProcess = {
      d0: [
        [-mu1, 0],
        [0, -mu2],
      ],
      d1: [
        [mu1 * q, mu1 * (1 - q)],
        [mu2 * q, mu2 * (1 - q)],
      ],
    };
    for (const k of [1, 2, 3]) {
      let factorial = 1;
      for (let i = 2; i <= k; i++) factorial *= i;
      expectRelativelyClose(
        interArrivalMoment(map, k),
        factorial * (q / mu1 ** k + (1 - q) / mu2 ** k),
      );
    }
    for (const lag of [1, 2, 5]) expect(Math.abs(lagAutocorrelation(map, lag))).toBeLessThan(1e-12);
  });

  it('give rho_k = gamma^k (1 - 1/SCV) / 2 for the canonical MAP(2) with gamma = a b', () => {
    for (const [rate1, rate2, a, b] of [
      [0.5, 4, 0.9, 0.7],
      [3, 1, 0.4, 0.95],
      [10, 0.2, 0.99, 0.3],
    ] as const) {
      const map = canonicalMap2(rate1, rate2, a, b);
      const descriptors = describeMap(map, { maxLag: 4 });
      const mean = ((1 - b) / rate1 + (1 - a) / rate2) / (1 - a * b);
      expectRelativelyClose(descriptors.mean, mean);
      expectRelativelyClose(descriptors.rate, 1 / mean);
      descriptors.autocorrelations.forEach((rho, index) => {
        const expected = (a * b) ** (index + 1) * 0.5 * (1 - 1 / descriptors.scv);
        expect(rho).toBeCloseTo(expected, 12);
      });
      expectRelativelyClose(lagAutocorrelation(map, 3), descriptors.autocorrelations[2]!);
      expectRelativelyClose(interArrivalScv(map), descriptors.scv);
    }
  });

  it('agree between describeMap and the single-purpose functions', () => {
    fc.assert(
      fc.property(arbitraryMap(3), (map) => {
        const descriptors = describeMap(map, { moments: 3, maxLag: 2 });
        expectRelativelyClose(descriptors.rate, arrivalRate(map));
        expectRelativelyClose(descriptors.moments[2]!, interArrivalMoment(map, 3));
        expect(descriptors.autocorrelations[1]!).toBeCloseTo(lagAutocorrelation(map, 2), 12);
        expect(descriptors.scv).toBeGreaterThan(0);
        expect(Math.abs(descriptors.autocorrelations[0]!)).toBeLessThan(0.5);
      }),
    );
  });

  it('refuses a lag below 1', () => {
    expect(() => lagAutocorrelation(poissonMap(1), 0)).toThrow(/lag = 0/);
  });
});
