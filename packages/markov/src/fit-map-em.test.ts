import type { MarkovianArrivalProcess } from '@mbs/core';
import { MbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMapEm } from './fit-map-em.js';
import { fitMap2 } from './fit-map2.js';
import { fitTargetsFromStatistics } from './fit-targets.js';
import { createInterArrivalStatistics } from './inter-arrival-statistics.js';
import { describeMap } from './map-descriptors.js';
import { mapLogLikelihood } from './map-log-likelihood.js';
import { createMapSampler } from './map-sampler.js';
import { arbitraryMap, canonicalMap2 } from './testing/map-arbitrary.js';
import { validateMap } from './validate-map.js';

function sampleGaps(map: MarkovianArrivalProcess, count: number, seed: number): Float64Array {
  const sampler = createMapSampler(map, seed);
  return Float64Array.from({ length: count }, () => sampler.nextInterArrival());
}

/** MMPP(3) with slow switching between a fast, a medium and a slow phase: SCV 18, lag-1 0.39. */
const MMPP3: MarkovianArrivalProcess = {
  d0: [
    [-12, 0.05, 0.02],
    [0.03, -1.2, 0.02],
    [0.01, 0.02, -0.15],
  ],
  d1: [
    [11.93, 0, 0],
    [0, 1.15, 0],
    [0, 0, 0.12],
  ],
};

/**
 * A MAP(4) of a busy and a quiet regime, each with a fast and a slow phase, switching without
 * arrivals: SCV 33, and its autocorrelation rises from lag 1 (0.10) to lag 2 (0.15), which no
 * MAP(2) can show.
 */
const TWO_REGIMES: MarkovianArrivalProcess = {
  d0: [
    [-25.1, 0, 0.1, 0],
    [0, -4.05, 0.05, 0],
    [0.05, 0, -1.05, 0],
    [0.02, 0, 0, -0.12],
  ],
  d1: [
    [22.5, 2.5, 0, 0],
    [2, 2, 0, 0],
    [0, 0, 0.8, 0.2],
    [0, 0, 0.1, 0],
  ],
};

describe('fitMapEm recovery from 2 x 10^5 samples', () => {
  const cases = [
    { name: 'MMPP(3)', truth: MMPP3, phases: 3, seed: 3 },
    { name: 'two-regime MAP(4)', truth: TWO_REGIMES, phases: 4, seed: 11 },
  ];
  for (const { name, truth, phases, seed } of cases) {
    it(`matches rate, SCV and lag 1..3 of a ${name} sample and has its likelihood`, () => {
      const gaps = sampleGaps(truth, 200_000, seed);
      const fit = fitMapEm(gaps, { phases, seed: 1 });
      validateMap(fit.map);
      expect(fit.map.d0).toHaveLength(phases);
      expect(fit.report.converged).toBe(true);
      const exact = describeMap(truth, { maxLag: 2000 });
      const fitted = describeMap(fit.map, { maxLag: 3 });
      const { rate, scv, autocorrelations } = fit.report;
      // Against the sample: what the fit saw. Rate 1 %, SCV 15 %, lags 0.03.
      expect(Math.abs(fitted.rate / rate.target - 1)).toBeLessThan(0.01);
      expect(Math.abs(fitted.scv / scv.target - 1)).toBeLessThan(0.15);
      for (let lag = 0; lag < 3; lag++) {
        expect(
          Math.abs(fitted.autocorrelations[lag]! - autocorrelations[lag]!.target),
        ).toBeLessThan(0.03);
      }
      // Against the truth, within its sampling error: correlated gaps make the sample rate's
      // relative standard error sqrt(SCV (1 + 2 sum rho_k) / n), about 3 % here.
      const correlationSum = exact.autocorrelations.reduce((sum, rho) => sum + rho, 0);
      const rateError = Math.sqrt((exact.scv * (1 + 2 * correlationSum)) / gaps.length);
      expect(Math.abs(fitted.rate / exact.rate - 1)).toBeLessThan(4 * rateError);
      expect(Math.abs(fitted.scv / exact.scv - 1)).toBeLessThan(0.15);
      for (let lag = 0; lag < 3; lag++) {
        expect(Math.abs(fitted.autocorrelations[lag]! - exact.autocorrelations[lag]!)).toBeLessThan(
          0.05,
        );
      }
      // The maximum-likelihood fit describes the sample at least as well as the MAP that drew it,
      // up to 10^-3 per arrival for a local optimum.
      const truthPerArrival = mapLogLikelihood(truth, gaps) / gaps.length;
      expect(fit.report.logLikelihoodPerArrival).toBeGreaterThan(truthPerArrival - 1e-3);
    });
  }

  it('reports the likelihood of the stationary MAP and the fitted statistics of its own MAP', () => {
    const gaps = sampleGaps(MMPP3, 20_000, 5);
    const fit = fitMapEm(gaps, { phases: 3, maxLag: 4 });
    expect(fit.report.logLikelihood).toBeCloseTo(mapLogLikelihood(fit.map, gaps), 4);
    const fitted = describeMap(fit.map, { moments: 3, maxLag: 4 });
    expect(fit.report.method).toBe('map3-em');
    expect(fit.report.scv.fitted).toBeCloseTo(fitted.scv, 10);
    expect(fit.report.thirdMoment!.fitted).toBeCloseTo(fitted.moments[2]!, 10);
    expect(fit.report.autocorrelations.map((statistic) => statistic.fitted)).toEqual(
      fitted.autocorrelations,
    );
    const statistics = createInterArrivalStatistics(4);
    for (const gap of gaps) statistics.add(gap);
    const sample = statistics.result();
    expect(fit.report.rate.target).toBeCloseTo(sample.rate, 10);
    expect(fit.report.autocorrelations.map((statistic) => statistic.target)).toEqual(
      sample.autocorrelations,
    );
    expect(fit.report.lag1Autocorrelation).toEqual(fit.report.autocorrelations[0]);
  });
});

describe('fitMapEm iterations', () => {
  it('never lowers the log-likelihood from one EM iteration to the next', () => {
    fc.assert(
      fc.property(
        arbitraryMap(3),
        fc.integer({ min: 2, max: 4 }),
        fc.integer({ min: 0, max: 1000 }),
        (map, phases, seed) => {
          const fit = fitMapEm(sampleGaps(map, 1500, seed), {
            phases,
            seed,
            maxIterations: 40,
            screeningIterations: 3,
          });
          validateMap(fit.map);
          const history = fit.logLikelihoodHistory;
          expect(history.length).toBeGreaterThan(3);
          for (let index = 1; index < history.length; index++) {
            const slack = 1e-9 * Math.abs(history[index - 1]!);
            expect(history[index]!).toBeGreaterThanOrEqual(history[index - 1]! - slack);
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('is deterministic for a seed and does not depend on the time unit', () => {
    const gaps = sampleGaps(TWO_REGIMES, 5000, 2);
    const first = fitMapEm(gaps, { phases: 3, seed: 9 });
    expect(fitMapEm(gaps, { phases: 3, seed: 9 })).toEqual(first);
    const inMilliseconds = fitMapEm(
      gaps.map((gap) => gap * 1000),
      { phases: 3, seed: 9 },
    );
    expect(inMilliseconds.branches.branchOrders).toEqual(first.branches.branchOrders);
    inMilliseconds.branches.branchRates.forEach((rate, branch) => {
      expect((rate * 1000) / first.branches.branchRates[branch]!).toBeCloseTo(1, 6);
    });
    const shift = -gaps.length * Math.log(1000);
    expect(inMilliseconds.report.logLikelihood).toBeCloseTo(first.report.logLikelihood + shift, 3);
  });

  it('keeps a fixed branch structure and warns when it stops before converging', () => {
    const gaps = sampleGaps(MMPP3, 3000, 4);
    const fit = fitMapEm(gaps, { branchOrders: [2, 1], maxIterations: 3, screeningIterations: 2 });
    expect(fit.report.branchOrders).toEqual([2, 1]);
    expect(fit.report.iterations).toBe(3);
    expect(fit.report.converged).toBe(false);
    expect(fit.report.warnings.join('\n')).toMatch(/EM stopped after 3 iterations/);
  });
});

describe('fitMapEm with two phases', () => {
  it('agrees with the moment fit fitMap2 on a MAP(2) sample and has a likelihood at least as high', () => {
    const truth = canonicalMap2(0.4, 3.6, 0.7, 0.9);
    const gaps = sampleGaps(truth, 50_000, 8);
    const statistics = createInterArrivalStatistics(1);
    for (const gap of gaps) statistics.add(gap);
    const moments = fitMap2(fitTargetsFromStatistics(statistics.result()));
    const em = fitMapEm(gaps, { phases: 2 });
    const byMoments = describeMap(moments.map);
    const byLikelihood = describeMap(em.map);
    expect(Math.abs(byLikelihood.rate / byMoments.rate - 1)).toBeLessThan(0.01);
    expect(Math.abs(byLikelihood.scv / byMoments.scv - 1)).toBeLessThan(0.15);
    expect(
      Math.abs(byLikelihood.autocorrelations[0]! - byMoments.autocorrelations[0]!),
    ).toBeLessThan(0.03);
    expect(em.report.logLikelihood).toBeGreaterThan(mapLogLikelihood(moments.map, gaps) - 1);
  });
});

describe('fitMapEm input checks', () => {
  const gaps = Array.from({ length: 400 }, (_, index) => 0.5 + (index % 7) / 10);

  function expectError(run: () => unknown, code: string, message: RegExp): void {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(MbsError);
      expect((error as MbsError).code).toBe(code);
      expect((error as MbsError).message).toMatch(message);
      return;
    }
    throw new Error('expected an MbsError');
  }

  it('refuses too few times, and times that are not finite and positive', () => {
    expectError(
      () => fitMapEm(gaps.slice(0, 49), { phases: 2 }),
      'FIT_FAILED',
      /49 inter-arrival times; a 2-phase fit needs at least 50/,
    );
    expectError(
      () => fitMapEm(gaps.slice(0, 159), { phases: 4 }),
      'FIT_FAILED',
      /needs at least 160/,
    );
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const withBad = [...gaps];
      withBad[17] = bad;
      expectError(
        () => fitMapEm(withBad),
        'OPTION_INVALID',
        /inter-arrival #18 = .* s; times must be finite and > 0/,
      );
    }
  });

  it('refuses bad options, naming the option and the accepted range', () => {
    expectError(
      () => fitMapEm(gaps, { phases: 1 }),
      'OPTION_INVALID',
      /phases = 1; must be an integer in 2\.\.10/,
    );
    expectError(() => fitMapEm(gaps, { phases: 2.5 }), 'OPTION_INVALID', /phases = 2\.5/);
    expectError(
      () => fitMapEm(gaps, { phases: 3, branchOrders: [1, 1] }),
      'OPTION_INVALID',
      /branchOrders = \[1,1\]; must be integers >= 1 summing to phases \(3\)/,
    );
    expectError(() => fitMapEm(gaps, { tolerance: 0 }), 'OPTION_INVALID', /tolerance = 0/);
    expectError(
      () => fitMapEm(gaps, { maxIterations: 0 }),
      'OPTION_INVALID',
      /maxIterations = 0; must be an integer >= 1/,
    );
    expectError(
      () => fitMapEm(gaps, { phase: 3 } as never),
      'OPTION_INVALID',
      /option phase = 3; must be one of phases, /,
    );
  });
});
