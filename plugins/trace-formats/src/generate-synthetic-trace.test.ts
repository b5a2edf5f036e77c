import { arrivalRate, interArrivalScv, lagAutocorrelation } from '@mbs/markov';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SYNTHETIC_WORKLOAD,
  DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS,
} from './default-synthetic-workload.js';
import { generateSyntheticTrace } from './generate-synthetic-trace.js';
import { collect } from './testing/trace-files.js';

function gapStatistics(times: readonly number[]) {
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  let covariance = 0;
  for (let index = 1; index < gaps.length; index++) {
    covariance += (gaps[index]! - mean) * (gaps[index - 1]! - mean);
  }
  return { mean, scv: variance / mean ** 2, lag1: covariance / (gaps.length - 1) / variance };
}

describe('DEFAULT_SYNTHETIC_WORKLOAD', () => {
  it('has the documented analytic rate, SCV and autocorrelations', () => {
    const map = DEFAULT_SYNTHETIC_WORKLOAD.arrivals.map;
    expect(arrivalRate(map)).toBeCloseTo(
      DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS.rateRequestsPerSecond,
      10,
    );
    expect(interArrivalScv(map)).toBeCloseTo(
      DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS.interArrivalScv,
      10,
    );
    DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS.autocorrelations.forEach((value, index) => {
      expect(lagAutocorrelation(map, index + 1)).toBeCloseTo(value, 10);
    });
  });
});

describe('generateSyntheticTrace', () => {
  it('samples the default workload at its rate and burstiness', async () => {
    // 60,000 arrivals (about 33 min): rate within 5%, SCV within 15% (slow phase changes make
    // the sample SCV converge slowly), lag-1 autocorrelation clearly positive.
    const arrivals = await collect(generateSyntheticTrace({ seed: 5, count: 60_000 }));
    expect(arrivals).toHaveLength(60_000);
    const { mean, scv, lag1 } = gapStatistics(arrivals.map((arrival) => arrival.timeSeconds));
    expect(Math.abs(1 / mean / 30 - 1)).toBeLessThan(0.05);
    expect(Math.abs(scv / DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS.interArrivalScv - 1)).toBeLessThan(
      0.15,
    );
    expect(lag1).toBeGreaterThan(0.2);
    expect(lag1).toBeLessThan(0.5);
  });

  it('gives the same trace for the same seed and another for another seed', async () => {
    const first = await collect(generateSyntheticTrace({ seed: 9, count: 500 }));
    const again = await collect(generateSyntheticTrace({ seed: 9, count: 500 }));
    const other = await collect(generateSyntheticTrace({ seed: 10, count: 500 }));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const trace = generateSyntheticTrace({ seed: 9, count: 500 });
    expect(await collect(trace)).toEqual(await collect(trace));
  });

  it('stops at the duration, samples Poisson arrivals, and reports what it made', async () => {
    const trace = generateSyntheticTrace({
      seed: 2,
      durationSeconds: 100,
      arrivals: { kind: 'poisson', rateRequestsPerSecond: 50 },
      sizes: { kind: 'constant', size: 7 },
    });
    const arrivals = await collect(trace);
    expect(arrivals.at(-1)!.timeSeconds).toBeLessThan(100);
    // 5000 expected, standard deviation about 71.
    expect(Math.abs(arrivals.length - 5000)).toBeLessThan(300);
    expect(arrivals.every((arrival) => arrival.size === 7)).toBe(true);
    expect(trace.report()).toEqual({
      linesRead: arrivals.length,
      arrivals: arrivals.length,
      skipped: {},
    });
    const { scv } = gapStatistics(arrivals.map((arrival) => arrival.timeSeconds));
    expect(Math.abs(scv - 1)).toBeLessThan(0.1);
  });

  it('refuses bad counts, durations, seeds and rates', () => {
    expect(() => generateSyntheticTrace({ count: 0 })).toThrow(/count/);
    expect(() => generateSyntheticTrace({ durationSeconds: -1 })).toThrow(/durationSeconds/);
    expect(() => generateSyntheticTrace({ seed: 1.5 })).toThrow(/seed/);
    expect(() =>
      generateSyntheticTrace({ arrivals: { kind: 'poisson', rateRequestsPerSecond: 0 } }),
    ).toThrow(/rate/);
  });
});
