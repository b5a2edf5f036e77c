import { createRandom, isMbsError } from '@mbs/core';
import { createMapSampler, poissonMap } from '@mbs/markov';
import { describe, expect, it } from 'vitest';
import { countingMatch, traceCounts } from './counting-statistics.js';
import { fitWindow } from './fit-workload.js';
import { positiveGaps } from './select-fit.js';

/**
 * Times of a clustered stream: clusters of 1 + geometric(0.5) requests 1 ms apart arrive at
 * `rate`; with `offSeconds`, on periods (exponential, mean 20 s) alternate with silent ones.
 */
function clusteredTimes(count: number, rate: number, seed: number, offSeconds = 0): Float64Array {
  const random = createRandom(seed);
  const exponential = (mean: number) => -Math.log(1 - random.next()) * mean;
  const times = new Float64Array(count);
  let time = 0;
  let onEnd = exponential(20);
  let index = 0;
  while (index < count) {
    time += exponential(1 / rate);
    if (offSeconds > 0 && time > onEnd) {
      time = onEnd + exponential(offSeconds);
      onEnd = time + exponential(20);
    }
    let turn = time;
    do {
      times[index++] = turn;
      turn += exponential(0.001);
    } while (index < count && random.next() < 1 / 3);
    time = turn;
  }
  return times;
}

describe('traceCounts', () => {
  it('counts tiled windows and the arrivals after each arrival', () => {
    const [law] = traceCounts([0, 0.001, 0.5, 0.502, 2.0, 2.3], [1]);
    // Windows [0, 1) and [1, 2): 4 and 0 arrivals (the arrival at 2.0 starts a third, cut off).
    expect(law!.windows).toBe(2);
    expect(law!.windowMean).toBe(2);
    expect(law!.indexOfDispersion).toBe(2);
    // Arrivals whose 1 s window ends by 2.3 s: 0 (3 more), 0.001 (2), 0.5 (1: 0.502), 0.502 (0).
    expect(law!.arrivals).toBe(4);
    expect(Array.from(law!.arrivalLaw.subarray(0, 4))).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(law!.windowLaw[0]).toBe(0.5);
    expect(law!.windowLaw[4]).toBe(0.5);
  });

  it('rejects times going backwards and lengths out of order', () => {
    const error = (() => {
      try {
        traceCounts([0, 2, 1], [1]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    expect(String((error as Error).message)).toContain('arrival #3 at 1 s');
    expect(() => traceCounts([0, 1, 2], [1, 0.5])).toThrow(/window length #2 is 0.5 s/);
    expect(() => traceCounts([0], [1])).toThrow(/1 arrivals/);
  });
});

describe('countingMatch', () => {
  it('scores the generating process near 0 and a Poisson process far from clustered traffic', () => {
    const sampler = createMapSampler(poissonMap(20), 3);
    const times = new Float64Array(60_000);
    for (let index = 1; index < times.length; index++) {
      times[index] = times[index - 1]! + sampler.nextInterArrival();
    }
    const poisson = countingMatch(poissonMap(20), traceCounts(times));
    expect(poisson.score).toBeLessThan(0.01);
    for (const window of poisson.windows) {
      expect(window.indexOfDispersion.fitted).toBeCloseTo(1, 9);
      expect(Math.abs(window.indexOfDispersion.target - 1)).toBeLessThan(0.1);
    }
    const clustered = clusteredTimes(60_000, 10, 4);
    const rate = (clustered.length - 1) / clustered[clustered.length - 1]!;
    expect(countingMatch(poissonMap(rate), traceCounts(clustered)).score).toBeGreaterThan(0.1);
  });
});

describe('choosing the fit by counting statistics', () => {
  it('prefers a likelihood fit that holds the clusters to the moment MAP(2), and says why', () => {
    const times = clusteredTimes(8000, 3, 5, 30);
    const gaps = Array.from(times.subarray(1), (time, index) => time - times[index]!);
    const fit = fitWindow(gaps, 'auto', 'clustered');
    const selection = fit.report.selection!;
    const moments = selection.candidates.find((candidate) => candidate.method.startsWith('map2-'));
    expect(moments).toBeDefined();
    expect(fit.report.method).toMatch(/^map\d-em$/);
    expect(fit.report.counting!.score).toBeLessThan(moments!.score / 2);
    expect(selection.reason).toContain(
      `${fit.report.method} ${fit.report.counting!.score.toFixed(3)}`,
    );
    // Forcing the moment fit still reports its match.
    const forced = fitWindow(gaps, 'map2', 'clustered');
    expect(forced.report.counting!.score).toBeCloseTo(moments!.score, 12);
  });

  it('spreads simultaneous arrivals for the likelihood only', () => {
    const { gaps, spread } = positiveGaps([0.5, 0, 0.002, 0]);
    expect(spread).toBe(2);
    expect(Array.from(gaps)).toEqual([0.5, 0.001, 0.002, 0.001]);
  });
});
