import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classSchemeByEdges } from './class-schemes.js';
import { arrayTrace, arrivalsFromGaps } from './testing/array-trace.js';
import { traceStatistics } from './trace-statistics.js';

/** Direct two-pass statistics of gaps, independent of the streaming code. */
function direct(gaps: readonly number[], lag: number) {
  const n = gaps.length;
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / n;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / n;
  let covariance = 0;
  for (let index = lag; index < n; index++)
    covariance += (gaps[index]! - mean) * (gaps[index - lag]! - mean);
  return {
    mean,
    scv: variance / mean ** 2,
    second: gaps.reduce((sum, gap) => sum + gap ** 2, 0) / n,
    autocorrelation: covariance / (n - lag) / variance,
  };
}

describe('traceStatistics', () => {
  it('measures a small trace exactly', async () => {
    const gaps = [0.5, 0.5, 0.5, 2, 0.5, 0.5];
    const statistics = await traceStatistics(
      arrayTrace(arrivalsFromGaps(gaps, [100, 200, 300, 400, 500, 600, 700]), 'tokens'),
      { classes: { by: 'quantile', count: 2 }, lags: 2 },
    );
    expect(statistics.count).toBe(7);
    expect(statistics.durationSeconds).toBe(4.5);
    expect(statistics.rateRequestsPerSecond).toBeCloseTo(6 / 4.5, 12);
    const expected = direct(gaps, 1);
    expect(statistics.interArrival!.meanSeconds).toBeCloseTo(expected.mean, 12);
    expect(statistics.interArrival!.scv).toBeCloseTo(expected.scv, 10);
    expect(statistics.interArrival!.moments[1]).toBeCloseTo(expected.second, 10);
    expect(statistics.interArrival!.autocorrelations).toHaveLength(2);
    expect(statistics.sizes).toEqual({
      min: 100,
      mean: 400,
      p50: 400,
      p90: 700,
      p99: 700,
      max: 700,
    });
    expect(statistics.classes.upperEdges).toEqual([400, 700]);
    expect(statistics.classes.counts).toEqual([4, 3]);
    expect(statistics.sizeUnit).toBe('tokens');
    expect(statistics.read.arrivals).toBe(7);
  });

  it('agrees with a direct computation on random traces', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0.001, max: 10, noNaN: true }), { minLength: 5, maxLength: 200 }),
        async (gaps) => {
          const statistics = await traceStatistics(arrayTrace(arrivalsFromGaps(gaps)), { lags: 1 });
          const expected = direct(gaps, 1);
          expect(statistics.interArrival!.meanSeconds).toBeCloseTo(expected.mean, 9);
          if (expected.scv > 1e-9) {
            expect(statistics.interArrival!.scv).toBeCloseTo(expected.scv, 6);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('uses a given class scheme and handles a single arrival', async () => {
    const statistics = await traceStatistics(arrayTrace([{ timeSeconds: 0, size: 5 }]), {
      classes: classSchemeByEdges([1, 10], 5),
    });
    expect(statistics.interArrival).toBeUndefined();
    expect(statistics.rateRequestsPerSecond).toBe(0);
    expect(statistics.classes.shares).toEqual([0, 1]);
  });

  it('refuses empty traces and bad lags', async () => {
    await expect(traceStatistics(arrayTrace([]))).rejects.toThrow(/no arrivals/);
    await expect(
      traceStatistics(arrayTrace([{ timeSeconds: 0, size: 1 }]), { lags: 0 }),
    ).rejects.toThrow(/lags is 0/);
  });

  it('reports counts in windows and how well the chosen fit reproduces them', async () => {
    // Pairs 1 ms apart, one pair per second: every arrival of a pair's first is followed within
    // 5 ms, the second is not (the next pair is 1 s later).
    const gaps = Array.from({ length: 199 }, (_, index) => (index % 2 === 0 ? 0.001 : 0.999));
    const statistics = await traceStatistics(arrayTrace(arrivalsFromGaps(gaps)), {
      countWindowsSeconds: [0.005, 0.5],
    });
    const counting = statistics.counting!;
    expect(counting.windows.map((window) => window.seconds)).toEqual([0.005, 0.5]);
    expect(counting.windows[0]!.followedShare).toBeCloseTo(0.5, 2);
    expect(counting.fit!.match.windows).toHaveLength(2);
    expect(counting.fit!.followedShares).toHaveLength(2);
    expect(counting.fit!.method).not.toBe('');
    const unfitted = await traceStatistics(arrayTrace(arrivalsFromGaps(gaps)), {
      fitCounts: false,
    });
    expect(unfitted.counting!.fit).toBeUndefined();
  });
});
