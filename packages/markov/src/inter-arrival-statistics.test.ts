import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createInterArrivalStatistics } from './inter-arrival-statistics.js';

/** The textbook two-pass computation, as an independent reference. */
function twoPass(values: readonly number[], maxLag: number) {
  const n = values.length;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const central = (power: number) =>
    values.reduce((sum, value) => sum + (value - mean) ** power, 0) / n;
  const variance = central(2);
  const autocorrelations: number[] = [];
  for (let lag = 1; lag <= maxLag; lag++) {
    const lead = values.slice(0, n - lag);
    const lagged = values.slice(lag);
    const leadMean = lead.reduce((sum, value) => sum + value, 0) / lead.length;
    const lagMean = lagged.reduce((sum, value) => sum + value, 0) / lagged.length;
    let covariance = 0;
    for (let index = 0; index < lead.length; index++) {
      covariance += (lead[index]! - leadMean) * (lagged[index]! - lagMean);
    }
    autocorrelations.push(lead.length >= 2 ? covariance / lead.length / variance : Number.NaN);
  }
  return {
    mean,
    scv: variance / mean ** 2,
    moments: [1, 2, 3].map((power) => values.reduce((sum, value) => sum + value ** power, 0) / n),
    autocorrelations,
  };
}

describe('createInterArrivalStatistics', () => {
  it('agrees with a two-pass computation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 100, noNaN: true })), {
          minLength: 3,
          maxLength: 60,
        }),
        fc.integer({ min: 0, max: 6 }),
        (values, maxLag) => {
          fc.pre(new Set(values).size > 1);
          const statistics = createInterArrivalStatistics(maxLag);
          for (const value of values) statistics.add(value);
          const result = statistics.result();
          const reference = twoPass(values, maxLag);
          expect(result.count).toBe(values.length);
          expect(result.mean).toBeCloseTo(reference.mean, 9);
          expect(result.rate * reference.mean).toBeCloseTo(1, 9);
          expect(result.scv / reference.scv).toBeCloseTo(1, 8);
          result.moments.forEach((moment, index) => {
            expect(moment / reference.moments[index]!).toBeCloseTo(1, 8);
          });
          expect(result.autocorrelations).toHaveLength(maxLag);
          result.autocorrelations.forEach((rho, index) => {
            const expected = reference.autocorrelations[index]!;
            if (Number.isNaN(expected)) expect(rho).toBeNaN();
            else expect(rho).toBeCloseTo(expected, 8);
          });
        },
      ),
    );
  });

  it('stays accurate for values with a large common offset', () => {
    const statistics = createInterArrivalStatistics(1);
    const values: number[] = [];
    for (let index = 0; index < 10_000; index++) values.push(1e6 + (index % 2 === 0 ? 1 : -1));
    for (const value of values) statistics.add(value);
    const result = statistics.result();
    expect(result.scv / (1 / 1e12)).toBeCloseTo(1, 6);
    expect(result.autocorrelations[0]!).toBeCloseTo(-1, 6);
  });

  it('gives a lag-1 autocorrelation near 0 for independent draws and near 1 for a slow trend', () => {
    const independent = createInterArrivalStatistics(2);
    let state = 7;
    for (let index = 0; index < 20_000; index++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      independent.add(state / 4294967296);
    }
    expect(Math.abs(independent.result().autocorrelations[0]!)).toBeLessThan(0.03);
    const trend = createInterArrivalStatistics(1);
    for (let index = 0; index < 1000; index++) trend.add(1 + Math.sin(index / 100));
    expect(trend.result().autocorrelations[0]!).toBeGreaterThan(0.99);
  });

  it('refuses negative or non-finite times and an empty result', () => {
    const statistics = createInterArrivalStatistics();
    expect(() => statistics.result()).toThrow(/no inter-arrival time/);
    statistics.add(1);
    expect(() => statistics.add(-0.5)).toThrow(/inter-arrival #2 = -0.5 s/);
    expect(() => statistics.add(Number.NaN)).toThrow(/finite/);
    expect(() => createInterArrivalStatistics(-1)).toThrow(/maxLag = -1/);
  });
});
