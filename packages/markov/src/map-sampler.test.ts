import type { MarkovianArrivalProcess } from '@mbs/core';
import { createRandom } from '@mbs/core';
import { EXAMPLE_MMPP2, NEGATIVELY_CORRELATED_MAP3 } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { describeMap, interArrivalMoment } from './map-descriptors.js';
import { createMapSampler } from './map-sampler.js';
import { canonicalMap2 } from './testing/map-arbitrary.js';

const SAMPLES = 200_000;

const maps: Record<string, MarkovianArrivalProcess> = {
  'canonical MAP(2), positive correlation': canonicalMap2(0.5, 4, 0.9, 0.7),
  'MMPP(2)': EXAMPLE_MMPP2,
  'MAP(3) with negative correlation': NEGATIVELY_CORRELATED_MAP3,
};

describe('createMapSampler', () => {
  for (const [name, map] of Object.entries(maps)) {
    it(`matches mean, second moment and lag-1 autocorrelation of ${name} within 5 standard errors`, () => {
      const analysis = describeMap(map, { moments: 2, maxLag: 200 });
      const fourthMoment = interArrivalMoment(map, 4);
      // Correlated draws inflate the variance of a sample mean by about 1 + 2 Σ rho_k.
      const inflation =
        1 + 2 * analysis.autocorrelations.reduce((sum, rho) => sum + Math.abs(rho), 0);
      const sampler = createMapSampler(map, 2024);
      const draws = new Float64Array(SAMPLES);
      for (let index = 0; index < SAMPLES; index++) draws[index] = sampler.nextInterArrival();
      let sum = 0;
      let sumSquares = 0;
      for (const draw of draws) {
        sum += draw;
        sumSquares += draw * draw;
      }
      const mean = sum / SAMPLES;
      const secondMoment = sumSquares / SAMPLES;
      let lagged = 0;
      for (let index = 0; index + 1 < SAMPLES; index++) {
        lagged += (draws[index]! - mean) * (draws[index + 1]! - mean);
      }
      const variance = secondMoment - mean * mean;
      const lag1 = lagged / (SAMPLES - 1) / variance;
      const [m1, m2] = analysis.moments as [number, number];
      const meanError = Math.sqrt(((m2 - m1 * m1) / SAMPLES) * inflation);
      const secondError = Math.sqrt(((fourthMoment - m2 * m2) / SAMPLES) * inflation);
      expect(Math.abs(mean - m1)).toBeLessThan(5 * meanError);
      expect(Math.abs(secondMoment - m2)).toBeLessThan(5 * secondError);
      expect(Math.abs(lag1 - analysis.autocorrelations[0]!)).toBeLessThan(
        5 * Math.sqrt(inflation / SAMPLES),
      );
    });
  }

  it('repeats the same sequence for the same seed and starts in a valid phase', () => {
    const map = maps['MAP(3) with negative correlation']!;
    const first = createMapSampler(map, 99);
    const second = createMapSampler(map, createRandom(99));
    for (let index = 0; index < 100; index++) {
      expect(first.nextInterArrival()).toBe(second.nextInterArrival());
      expect(first.phase).toBe(second.phase);
      expect([0, 1, 2]).toContain(first.phase);
    }
  });
});

describe('createRandom', () => {
  it('is uniform on [0, 1) by a chi-square test over 20 bins', () => {
    const random = createRandom(1);
    const bins = new Array<number>(20).fill(0);
    const draws = 100_000;
    let outside = 0;
    for (let index = 0; index < draws; index++) {
      const value = random.next();
      if (!(value >= 0 && value < 1)) outside++;
      else bins[Math.floor(value * 20)]! += 1;
    }
    expect(outside).toBe(0);
    const expected = draws / 20;
    const chiSquare = bins.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
    // The 99.9 % quantile of chi-square with 19 degrees of freedom is 43.8.
    expect(chiSquare).toBeLessThan(43.8);
  });

  it('gives different streams for different seeds', () => {
    expect(createRandom(1).next()).not.toBe(createRandom(2).next());
  });
});
