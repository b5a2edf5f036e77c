import type { MarkedArrivalProcess } from '@mbs/core';
import { createRandom, isMbsError } from '@mbs/core';
import { EXAMPLE_MMPP2, NEGATIVELY_CORRELATED_MAP3 } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { fitMarkedMapEm } from './fit-marked-map-em.js';
import { mapCountDistributions } from './map-counts.js';
import { describeMap } from './map-descriptors.js';
import { thinMap } from './map-operations.js';
import {
  createMarkedMapSampler,
  markedMapClassShares,
  markedMapFromShares,
  restrictMarkedMap,
  validateMarkedMap,
} from './marked-map.js';

/**
 * A marked MMPP(2) whose classes depend on the phase: the burst phase (20/s) sends mostly class
 * 0, the calm phase (0.5/s) mostly class 2; class 1 comes from both.
 */
const PHASE_MARKED: MarkedArrivalProcess = {
  d0: [
    [-20.2, 0.2],
    [0.5, -1],
  ],
  d1: [
    [20, 0],
    [0, 0.5],
  ],
  classArrivals: [
    [
      [16, 0],
      [0, 0.01],
    ],
    [
      [3.5, 0],
      [0, 0.09],
    ],
    [
      [0.5, 0],
      [0, 0.4],
    ],
  ],
};

/** Arrival times of each class set in a sample of the marked MAP. */
function sampleStreams(
  marked: MarkedArrivalProcess,
  count: number,
  seed: number,
  sets: readonly (readonly number[])[],
) {
  const sampler = createMarkedMapSampler(marked, seed);
  const streams = sets.map(() => [] as number[]);
  const classCounts = new Array<number>(marked.classArrivals.length).fill(0);
  let time = 0;
  for (let index = 0; index < count; index++) {
    const { interArrivalSeconds, classId } = sampler.next();
    time += interArrivalSeconds;
    classCounts[classId]!++;
    sets.forEach((set, position) => {
      if (set.includes(classId)) streams[position]!.push(time);
    });
  }
  return { streams, classCounts, duration: time };
}

function gapStatistics(times: readonly number[]) {
  const gaps = times.slice(1).map((time, index) => time - times[index]!);
  const mean = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length;
  const variance = gaps.reduce((sum, gap) => sum + (gap - mean) ** 2, 0) / gaps.length;
  let lagged = 0;
  for (let index = 1; index < gaps.length; index++) {
    lagged += (gaps[index]! - mean) * (gaps[index - 1]! - mean);
  }
  return { rate: 1 / mean, scv: variance / mean ** 2, lag1: lagged / (gaps.length - 1) / variance };
}

describe('restrictMarkedMap', () => {
  it('is thinning when classes are independent marks', () => {
    for (const map of [EXAMPLE_MMPP2, NEGATIVELY_CORRELATED_MAP3]) {
      const marked = markedMapFromShares(map, [0.2, 0.5, 0.3]);
      const restricted = restrictMarkedMap(marked, [1, 0.5]);
      const thinned = thinMap(map, 0.45);
      restricted.d0.forEach((row, i) => {
        row.forEach((value, j) => {
          expect(value).toBeCloseTo(thinned.d0[i]![j]!, 12);
          expect(restricted.d1[i]![j]!).toBeCloseTo(thinned.d1[i]![j]!, 12);
        });
      });
      expect(markedMapClassShares(marked).map((share) => Number(share.toFixed(12)))).toEqual([
        0.2, 0.5, 0.3,
      ]);
    }
  });

  it("matches the statistics of each class set's stream sampled from the marked MAP", () => {
    const sets: number[][] = [[0], [2], [1, 2]];
    const { streams, classCounts, duration } = sampleStreams(PHASE_MARKED, 400_000, 9, sets);
    const shares = markedMapClassShares(PHASE_MARKED);
    classCounts.forEach((count, classId) => {
      expect(Math.abs(count / 400_000 - shares[classId]!)).toBeLessThan(0.005);
    });
    sets.forEach((set, position) => {
      const portions = [0, 1, 2].map((classId): number => (set.includes(classId) ? 1 : 0));
      const restricted = restrictMarkedMap(PHASE_MARKED, portions);
      const expected = describeMap(restricted, { moments: 2, maxLag: 1 });
      const measured = gapStatistics(streams[position]!);
      expect(Math.abs(measured.rate / expected.rate - 1)).toBeLessThan(0.02);
      expect(Math.abs(measured.scv / expected.scv - 1)).toBeLessThan(0.06);
      expect(Math.abs(measured.lag1 - expected.autocorrelations[0]!)).toBeLessThan(0.02);
      // Counts in 0.5 s windows tiled over the sample.
      const [law] = mapCountDistributions(restricted, [0.5], { levels: 8 });
      const windows = Math.floor(duration / 0.5);
      const counts = new Array<number>(9).fill(0);
      let cursor = 0;
      for (let window = 0; window < windows; window++) {
        let count = 0;
        while (
          cursor < streams[position]!.length &&
          streams[position]![cursor]! < (window + 1) * 0.5
        ) {
          cursor++;
          count++;
        }
        counts[Math.min(8, count)]! += 1 / windows;
      }
      law!.probabilities.forEach((probability, k) => {
        expect(Math.abs(counts[k]! - probability)).toBeLessThan(0.01);
      });
      // Thinning by the set's share would be wrong here: the classes follow the phase.
      const share = portions.reduce((sum, portion, classId) => sum + portion * shares[classId]!, 0);
      const thinnedScv = describeMap(thinMap(PHASE_MARKED, share)).scv;
      expect(Math.abs(thinnedScv / expected.scv - 1)).toBeGreaterThan(0.3);
    });
  }, 30_000);

  it('rejects portions outside [0, 1] and matrices that do not sum to d1', () => {
    expect(() => restrictMarkedMap(PHASE_MARKED, [1.5])).toThrow(/portions \[1.5\]/);
    expect(() => restrictMarkedMap(PHASE_MARKED, [1, 1, 1, 1])).toThrow(/at most 3 portions/);
    const broken = { ...PHASE_MARKED, classArrivals: PHASE_MARKED.classArrivals.slice(1) };
    const error = (() => {
      try {
        validateMarkedMap(broken, { source: 'w.json windows[0]' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isMbsError(error, 'MAP_INVALID')).toBe(true);
    expect(String((error as Error).message)).toContain('w.json windows[0]');
    expect(String((error as Error).message)).toContain('must sum to d1');
  });
});

describe('fitMarkedMapEm', () => {
  /** Gaps and classes (one per arrival) sampled from a marked MAP. */
  function sample(marked: MarkedArrivalProcess, count: number, seed: number) {
    const sampler = createMarkedMapSampler(marked, seed);
    const gaps: number[] = [];
    const classes: number[] = [createRandom(seed).next() < 0.5 ? 0 : 1];
    for (let index = 0; index < count; index++) {
      const { interArrivalSeconds, classId } = sampler.next();
      gaps.push(interArrivalSeconds);
      classes.push(classId);
    }
    return { gaps, classes };
  }

  it('finds classes that follow the phase and reproduces each class set as a restriction', () => {
    const { gaps, classes } = sample(PHASE_MARKED, 30_000, 3);
    const fit = fitMarkedMapEm(gaps, classes, 3, { phases: 2, seed: 1 });
    expect(fit.report.dependent).toBe(true);
    validateMarkedMap(fit.marked);
    for (const portions of [
      [1, 0, 0],
      [0, 0, 1],
      [0, 1, 1],
    ]) {
      const truth = describeMap(restrictMarkedMap(PHASE_MARKED, portions), { maxLag: 1 });
      const fitted = describeMap(restrictMarkedMap(fit.marked, portions), { maxLag: 1 });
      expect(Math.abs(fitted.rate / truth.rate - 1)).toBeLessThan(0.05);
      expect(Math.abs(fitted.scv / truth.scv - 1)).toBeLessThan(0.2);
    }
  }, 30_000);

  it('finds no dependence in independent classes', () => {
    const { gaps } = sample(PHASE_MARKED, 20_000, 4);
    const random = createRandom(5);
    const classes = Array.from({ length: gaps.length + 1 }, () => Math.floor(random.next() * 3));
    const fit = fitMarkedMapEm(gaps, classes, 3, { phases: 2, seed: 1 });
    expect(fit.report.dependent).toBe(false);
  }, 30_000);

  it('rejects classes of the wrong length or out of range', () => {
    expect(() => fitMarkedMapEm([1, 2, 3], [0, 1], 2)).toThrow(/2 classes for 3 inter-arrival/);
    expect(() => fitMarkedMapEm([1, 2, 3], [0, 1, 2, 0], 2)).toThrow(
      /class of arrival #3 is 2; classes are integers in 0..1/,
    );
  });
});
