import type { FitReport, MarkovianArrivalProcess } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMap2 } from './fit-map2.js';
import { fitTargetsFromStatistics } from './fit-targets.js';
import { createInterArrivalStatistics } from './inter-arrival-statistics.js';
import { describeMap } from './map-descriptors.js';
import { createMapSampler } from './map-sampler.js';
import { arbitraryMap, canonicalMap2 } from './testing/map-arbitrary.js';
import { validateMap } from './validate-map.js';

function exactTargets(map: MarkovianArrivalProcess) {
  const descriptors = describeMap(map, { moments: 3, maxLag: 2 });
  return {
    descriptors,
    targets: {
      rate: descriptors.rate,
      scv: descriptors.scv,
      thirdMoment: descriptors.moments[2]!,
      lag1Autocorrelation: descriptors.autocorrelations[0]!,
    },
  };
}

function expectExactRecovery(map: MarkovianArrivalProcess): FitReport {
  const { descriptors, targets } = exactTargets(map);
  const fit = fitMap2(targets);
  validateMap(fit.map);
  const fitted = describeMap(fit.map, { moments: 3, maxLag: 2 });
  expect(fit.report.warnings).toEqual([]);
  expect(fit.report.method).toBe('map2-moments');
  expect(fitted.rate / descriptors.rate).toBeCloseTo(1, 7);
  expect(fitted.scv / descriptors.scv).toBeCloseTo(1, 7);
  expect(fitted.moments[2]! / descriptors.moments[2]!).toBeCloseTo(1, 6);
  expect(fitted.autocorrelations[0]!).toBeCloseTo(descriptors.autocorrelations[0]!, 7);
  // Four statistics determine a MAP(2), so the lag-2 autocorrelation must follow.
  expect(fitted.autocorrelations[1]!).toBeCloseTo(descriptors.autocorrelations[1]!, 7);
  return fit.report;
}

describe('fitMap2 from exact statistics', () => {
  it('recovers canonical MAP(2)s spanning SCV 0.6 to 50 and lag-1 -0.2 to 0.4', () => {
    const cases: MarkovianArrivalProcess[] = [
      canonicalMap2(1.5, 2.5, 0.09, 0.06),
      canonicalMap2(0.4, 3.6, 0.7, 0.9),
      canonicalMap2(0.025, 4, 0.85, 0.997),
      {
        d0: [
          [-1, 0],
          [0, -20],
        ],
        d1: [
          [0, 1],
          [18, 2],
        ],
      },
      {
        d0: [
          [-2, 1.5],
          [0, -4],
        ],
        d1: [
          [0, 0.5],
          [4, 0],
        ],
      },
    ];
    const reached = cases.map((map) => {
      const report = expectExactRecovery(map);
      return { scv: report.scv.target, lag1: report.lag1Autocorrelation!.target };
    });
    const scvs = reached.map((entry) => entry.scv);
    const lags = reached.map((entry) => entry.lag1);
    expect(Math.min(...scvs)).toBeLessThan(0.7);
    expect(Math.max(...scvs)).toBeGreaterThan(50);
    expect(Math.min(...lags)).toBeLessThan(-0.2);
    expect(Math.max(...lags)).toBeGreaterThan(0.4);
  });

  it('recovers any MAP(2) from its rate, SCV, third moment and lag-1 autocorrelation', () => {
    fc.assert(
      fc.property(
        arbitraryMap(2).filter((map) => map.d0.length === 2),
        (map) => {
          const { scv } = describeMap(map);
          fc.pre(Math.abs(scv - 1) > 1e-3);
          expectExactRecovery(map);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('fitMap2 outside the MAP(2) range', () => {
  it('raises an SCV below 0.5 to 0.5 and says so', () => {
    const { map, report } = fitMap2({ rate: 10, scv: 0.2 });
    expect(report.method).toBe('map2-nearest');
    expect(report.scv).toEqual({ target: 0.2, fitted: expect.closeTo(0.5, 9) });
    expect(report.warnings[0]).toMatch(/SCV target 0.2000 is below 0.5.*gap 0.3000/);
    expect(describeMap(map).rate).toBeCloseTo(10, 9);
  });

  it('clamps an impossible third moment to the nearest bound', () => {
    // For SCV 4 (n2 = 5) a MAP(2) needs m3 > 1.5 n2 m1 m2 = 7.5 * 5 = 37.5 (rate 1).
    const { report } = fitMap2({ rate: 1, scv: 4, thirdMoment: 20 });
    expect(report.warnings[0]).toMatch(
      /third moment target 20.00 s\^3 is outside \[37.50, infinity\)/,
    );
    expect(report.thirdMoment!.fitted).toBeGreaterThan(37.5);
    expect(report.thirdMoment!.fitted).toBeLessThan(37.6);
    expect(report.scv.fitted).toBeCloseTo(4, 8);
  });

  it('gives the largest reachable lag-1 autocorrelation with the gap', () => {
    // With SCV 2 every MAP(2) has rho1 = gamma / 4 < 0.25.
    const { map, report } = fitMap2({ rate: 3, scv: 2, lag1Autocorrelation: 0.45 });
    const fitted = report.lag1Autocorrelation!.fitted;
    expect(fitted).toBeLessThan(0.25);
    expect(fitted).toBeGreaterThan(0.2);
    expect(report.warnings[0]).toMatch(
      /lag-1 autocorrelation target 0.4500 is outside \[-?[0-9.]+, 0.2/,
    );
    expect(describeMap(map).scv).toBeCloseTo(2, 8);
  });

  it('fits a Poisson process at SCV 1 and warns about a requested correlation', () => {
    const { map, report } = fitMap2({ rate: 5, scv: 1, lag1Autocorrelation: 0.1 });
    expect(map).toEqual({ d0: [[-5]], d1: [[5]] });
    expect(report.warnings[0]).toMatch(/SCV 1 is a Poisson process/);
  });

  it('uses the gamma third moment when none is given', () => {
    const { map, report } = fitMap2({ rate: 2, scv: 3 });
    expect(report.thirdMoment).toBeUndefined();
    expect(report.warnings).toEqual([]);
    const m1 = 0.5;
    expect(describeMap(map).moments[2]! / (m1 ** 3 * 4 * 7)).toBeCloseTo(1, 8);
  });

  it('refuses a non-positive rate with the option named', () => {
    expect(() => fitMap2({ rate: 0, scv: 1 })).toThrow(/fitMap2 target rate = 0/);
    expect(() => fitMap2({ rate: 1, scv: 2, lag1Autocorrelation: 1 })).toThrow(/in \(-1, 1\)/);
  });
});

describe('fitMap2 from samples', () => {
  it('recovers a bursty MAP(2) from 200000 sampled inter-arrivals', () => {
    const truth = canonicalMap2(0.3, 6, 0.97, 0.8);
    const { descriptors } = exactTargets(truth);
    const sampler = createMapSampler(truth, 5);
    const statistics = createInterArrivalStatistics(1);
    for (let index = 0; index < 200_000; index++) statistics.add(sampler.nextInterArrival());
    const { map } = fitMap2(fitTargetsFromStatistics(statistics.result()));
    const fitted = describeMap(map);
    expect(Math.abs(fitted.rate / descriptors.rate - 1)).toBeLessThan(0.02);
    expect(Math.abs(fitted.scv / descriptors.scv - 1)).toBeLessThan(0.1);
    expect(Math.abs(fitted.autocorrelations[0]! - descriptors.autocorrelations[0]!)).toBeLessThan(
      0.03,
    );
  });
});

describe('fitMap2 third-moment bounds', () => {
  it('accepts third moments just inside the bounds and clamps those just outside', () => {
    for (const scv of [0.55, 0.75, 0.95, 1.5, 8]) {
      const n2 = 1 + scv;
      const lower = n2 <= 2 ? (9 * n2 - 12 + 3 * Math.SQRT2 * (2 - n2) ** 1.5) / n2 : 1.5 * n2;
      const upper = n2 <= 2 ? (6 * (n2 - 1)) / n2 : Number.POSITIVE_INFINITY;
      const inside = n2 <= 2 ? (lower + upper) / 2 : lower * 1.01;
      expect(fitMap2({ rate: 1, scv, thirdMoment: inside * n2 }).report.warnings).toEqual([]);
      const below = fitMap2({ rate: 1, scv, thirdMoment: lower * 0.99 * n2 }).report;
      expect(below.warnings[0]).toMatch(/third moment target/);
      expect(below.thirdMoment!.fitted / n2).toBeGreaterThanOrEqual(lower * (1 - 1e-9));
    }
  });
});

describe('fitMap2 on arbitrary targets', () => {
  it('always returns a valid MAP with the target rate and the nearest reachable SCV', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-3, max: 1e4, noNaN: true }),
        fc.double({ min: 0.05, max: 500, noNaN: true }),
        fc.option(fc.double({ min: 0.1, max: 1e4, noNaN: true })),
        fc.option(fc.double({ min: -0.6, max: 0.6, noNaN: true })),
        (rate, scv, normalisedThird, lag1) => {
          const thirdMoment =
            normalisedThird === null ? undefined : (normalisedThird * (1 + scv)) / rate ** 3;
          const { map, report } = fitMap2({
            rate,
            scv,
            ...(thirdMoment === undefined ? {} : { thirdMoment }),
            ...(lag1 === null ? {} : { lag1Autocorrelation: lag1 }),
          });
          validateMap(map);
          const fitted = describeMap(map);
          expect(fitted.rate / rate).toBeCloseTo(1, 6);
          // Within the Poisson band (and at its edge, where the order-2 form degenerates) the fit
          // may be the exponential law: the SCV is then matched to the band's width.
          if (Math.abs(scv - 1) <= 2e-4)
            expect(Math.abs(fitted.scv - scv)).toBeLessThanOrEqual(2e-4);
          else expect(fitted.scv / Math.max(0.5, scv)).toBeCloseTo(1, 5);
          expect(report.method).toBe(
            report.warnings.length === 0 ? 'map2-moments' : 'map2-nearest',
          );
          if (lag1 !== null && report.warnings.length === 0) {
            expect(fitted.autocorrelations[0]!).toBeCloseTo(lag1, 6);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
