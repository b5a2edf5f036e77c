import { describe, expect, it } from 'vitest';
import { fitPoisson } from './fit-poisson.js';
import { fitTargetsFromStatistics } from './fit-targets.js';
import { createInterArrivalStatistics } from './inter-arrival-statistics.js';

describe('fitPoisson', () => {
  it('keeps the rate and reports SCV 1 without warnings for Poisson-like targets', () => {
    const { map, report } = fitPoisson({ rate: 8, scv: 1.05, lag1Autocorrelation: 0.01 });
    expect(map).toEqual({ d0: [[-8]], d1: [[8]] });
    expect(report).toEqual({
      method: 'poisson',
      rate: { target: 8, fitted: 8 },
      scv: { target: 1.05, fitted: 1 },
      lag1Autocorrelation: { target: 0.01, fitted: 0 },
      warnings: [],
    });
  });

  it('warns with the gap when the arrivals are bursty or correlated', () => {
    const { report } = fitPoisson({ rate: 2, scv: 3.5, thirdMoment: 4, lag1Autocorrelation: 0.3 });
    expect(report.thirdMoment).toEqual({ target: 4, fitted: 6 / 8 });
    expect(report.warnings).toEqual([
      'SCV target 3.500 but a Poisson process has SCV 1 (gap -2.50)',
      'lag-1 autocorrelation target 0.300 but a Poisson process has none (gap -0.300)',
    ]);
  });

  it('accepts the result of createInterArrivalStatistics', () => {
    const statistics = createInterArrivalStatistics(1);
    for (const value of [0.5, 1.5, 0.5, 1.5]) statistics.add(value);
    const result = statistics.result();
    expect(fitPoisson(result).report.rate.target).toBe(1);
    // Pairs (0.5, 1.5), (1.5, 0.5), (0.5, 1.5): covariance -2/9 over variance 1/4.
    expect(fitTargetsFromStatistics(result)).toEqual({
      rate: 1,
      scv: 0.25,
      thirdMoment: expect.closeTo(1.75, 12),
      lag1Autocorrelation: expect.closeTo(-8 / 9, 12),
    });
  });

  it('refuses a non-positive rate', () => {
    expect(() => fitPoisson({ rate: -1, scv: 1 })).toThrow(/fitPoisson target rate = -1/);
  });
});
