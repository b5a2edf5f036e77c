import { isMbsError } from '@mbs/core';
import { EXAMPLE_MMPP2, NEGATIVELY_CORRELATED_MAP3 } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { mapCountDistributions, mapIndexOfDispersion } from './map-counts.js';
import { createMapSampler } from './map-sampler.js';
import { poissonMap } from './validate-map.js';

function poissonProbability(mean: number, k: number): number {
  let logValue = -mean + k * Math.log(mean);
  for (let factor = 2; factor <= k; factor++) logValue -= Math.log(factor);
  return Math.exp(logValue);
}

describe('mapCountDistributions', () => {
  it('gives the Poisson law for a Poisson process, from a time and from an arrival', () => {
    for (const start of ['time', 'arrival'] as const) {
      const laws = mapCountDistributions(poissonMap(3), [0.5, 2, 10], { start, levels: 80 });
      for (const law of laws) {
        law.probabilities.forEach((probability, k) => {
          expect(Math.abs(probability - poissonProbability(3 * law.seconds, k))).toBeLessThan(
            1e-13,
          );
        });
        expect(law.tail).toBeLessThan(1e-12);
      }
    }
  });

  it('matches counts of a sampled MAP in windows and after arrivals', () => {
    for (const map of [EXAMPLE_MMPP2, NEGATIVELY_CORRELATED_MAP3]) {
      const sampler = createMapSampler(map, 11);
      const times = new Float64Array(400_000);
      let time = 0;
      for (let index = 0; index < times.length; index++) {
        time += sampler.nextInterArrival();
        times[index] = time;
      }
      const seconds = 0.8;
      const levels = 12;
      const [fromTime] = mapCountDistributions(map, [seconds], { levels });
      const [fromArrival] = mapCountDistributions(map, [seconds], { start: 'arrival', levels });
      // Windows tiled over the sample.
      const windows = Math.floor(time / seconds);
      const windowCounts = new Float64Array(levels + 1);
      let cursor = 0;
      for (let window = 0; window < windows; window++) {
        let count = 0;
        while (cursor < times.length && times[cursor]! < (window + 1) * seconds) {
          cursor++;
          count++;
        }
        windowCounts[Math.min(levels, count)]! += 1 / windows;
      }
      // Counts of later arrivals within the window after each arrival.
      const palmCounts = new Float64Array(levels + 1);
      let used = 0;
      let ahead = 0;
      for (let index = 0; index < times.length && times[index]! + seconds <= time; index++) {
        ahead = Math.max(ahead, index + 1);
        while (ahead < times.length && times[ahead]! <= times[index]! + seconds) ahead++;
        palmCounts[Math.min(levels, ahead - index - 1)]! += 1;
        used++;
      }
      for (let k = 0; k < levels; k++) {
        // Correlated windows: allow 6 binomial standard errors with a 3x variance inflation.
        const windowError = 6 * Math.sqrt((3 * 0.25) / windows);
        expect(Math.abs(windowCounts[k]! - fromTime!.probabilities[k]!)).toBeLessThan(windowError);
        const palm = palmCounts[k]! / used;
        const palmError = 6 * Math.sqrt((10 * 0.25) / used);
        expect(Math.abs(palm - fromArrival!.probabilities[k]!)).toBeLessThan(palmError);
      }
      expect(Math.abs(windowCounts[levels]! - fromTime!.tail)).toBeLessThan(0.01);
    }
  }, 30_000);

  it('gives the same law whether lengths are reached in one sweep or one at a time', () => {
    const together = mapCountDistributions(NEGATIVELY_CORRELATED_MAP3, [0.1, 0.4, 1.3], {
      levels: 20,
    });
    for (const law of together) {
      const [alone] = mapCountDistributions(NEGATIVELY_CORRELATED_MAP3, [law.seconds], {
        levels: 20,
      });
      law.probabilities.forEach((probability, k) => {
        expect(Math.abs(probability - alone!.probabilities[k]!)).toBeLessThan(1e-14);
      });
    }
  });

  it('rejects lengths out of order and bad options, naming them', () => {
    const caught = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const error = caught(() => mapCountDistributions(EXAMPLE_MMPP2, [1, 0.5]));
    expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    expect(String((error as Error).message)).toContain('windowsSeconds[1] = 0.5');
    expect(() => mapCountDistributions(EXAMPLE_MMPP2, [1], { levels: 0 })).toThrow(/levels = 0/);
    expect(() => mapCountDistributions(EXAMPLE_MMPP2, [1], { start: 'batch' as 'time' })).toThrow(
      /start = "batch"/,
    );
  });
});

describe('mapIndexOfDispersion', () => {
  it('is 1 for Poisson and agrees with the variance of the count law', () => {
    expect(mapIndexOfDispersion(poissonMap(5), [0.01, 1, 100])).toEqual([
      expect.closeTo(1, 12),
      expect.closeTo(1, 12),
      expect.closeTo(1, 12),
    ]);
    for (const map of [EXAMPLE_MMPP2, NEGATIVELY_CORRELATED_MAP3]) {
      const lengths = [0.05, 0.5, 3];
      const laws = mapCountDistributions(map, lengths, { levels: 200 });
      const closed = mapIndexOfDispersion(map, lengths);
      laws.forEach((law, index) => {
        let mean = 0;
        let second = 0;
        law.probabilities.forEach((probability, k) => {
          mean += k * probability;
          second += k * k * probability;
        });
        expect(law.tail).toBeLessThan(1e-12);
        expect(closed[index]!).toBeCloseTo((second - mean * mean) / mean, 9);
      });
    }
  });
});
