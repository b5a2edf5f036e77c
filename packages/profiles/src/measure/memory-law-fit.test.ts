import { createRandom } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseMemoryLawFamily,
  fitLine,
  fitPowerLaw,
  leaveOneOutError,
  type MemoryPoints,
  memoryLawMs,
} from './memory-law-fit.js';

/** Works of a non-reference memory of the default plan: corners and centre, x B x size. */
const CORNER_WORKS = [1 * 166, 1 * 4096, 32 * 166, 32 * 4096, 4 * 534];
/** Works of a reference memory: 24 points spread over the same range. */
const REFERENCE_WORKS = [1, 2, 4, 8, 16, 32].flatMap((batch) =>
  [166, 534, 1885, 4096].map((size) => batch * size),
);

function pointsOf(
  works: readonly number[],
  law: (work: number) => number,
  noise = 0,
  seed = 1,
): MemoryPoints {
  const random = createRandom(seed);
  const means = works.map((work) => law(work) * (1 + noise * (2 * random.next() - 1)));
  // Relative weights (1 % standard error), as the fit gives steady points.
  return { works, means, weights: means.map((mean) => 1 / (0.01 * mean) ** 2) };
}

describe('fitLine', () => {
  it('is the closed-form weighted least-squares line', () => {
    // t = 1 + 2x through three points; a fourth, off the line with no weight, changes nothing.
    expect(fitLine([0, 1, 2, 3], [1, 3, 5, 100], [1, 1, 1, 0])).toEqual({ a: 1, b: 2 });
    // Points (0, 0), (1, 4), (2, 4) of weights 1, 3, 1: s0 = 5, s1 = 5, s2 = 7, sy = 16,
    // sxy = 20, so det = 10, a = (7·16 - 5·20) / 10 = 1.2 and b = (5·20 - 5·16) / 10 = 2.
    const { a, b } = fitLine([0, 1, 2], [0, 4, 4], [1, 3, 1]);
    expect(a).toBeCloseTo(1.2, 12);
    expect(b).toBeCloseTo(2, 12);
  });

  it('keeps a >= 0 and b >= 0', () => {
    // The free line through (1, 0) and (2, 10) has a = -10: the fit falls back to the origin.
    const { a, b } = fitLine([1, 2], [0, 10], [1, 1]);
    expect(a).toBe(0);
    expect(b).toBeCloseTo(4, 12); // sum x t / sum x² = 20 / 5
  });
});

describe('fitPowerLaw', () => {
  it('recovers a + b w^k exactly from points of that form (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 50, noNaN: true }),
        fc.double({ min: 1e-4, max: 0.1, noNaN: true }),
        fc.double({ min: 0.5, max: 2.5, noNaN: true }),
        (a, b, k) => {
          const truth = (work: number) => a + b * (work / 1000) ** k;
          const law = fitPowerLaw(pointsOf(CORNER_WORKS, truth));
          for (const work of REFERENCE_WORKS) {
            expect(Math.abs(memoryLawMs(law, work) / truth(work) - 1)).toBeLessThan(1e-3);
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('gives k = 1 on a line', () => {
    const law = fitPowerLaw(pointsOf(REFERENCE_WORKS, (work) => 4 + 0.01 * work));
    expect(law.k).toBeCloseTo(1, 4);
    expect(law.a).toBeCloseTo(4, 3);
  });
});

describe('chooseMemoryLawFamily', () => {
  /** How many of 40 noisy draws of `law` over `works` choose the power law. */
  const powerChoices = (works: readonly number[], law: (work: number) => number, noise: number) =>
    Array.from({ length: 40 }, (_, seed) => pointsOf(works, law, noise, seed + 1)).filter(
      (points) => chooseMemoryLawFamily(points).family === 'power',
    ).length;

  it('keeps the line when it misses left-out points by no more than their noise', () => {
    // ±10 % noise, each point weighed with a 6 % standard error (what its spread says): a curve
    // may predict these draws better, but the line's misses are within the noise.
    const line = (work: number) => 3 + 0.002 * work;
    const noisy = Array.from({ length: 40 }, (_, seed) => {
      const points = pointsOf(REFERENCE_WORKS, line, 0.1, seed + 1);
      return { ...points, weights: points.means.map((mean) => 1 / (0.06 * mean) ** 2) };
    });
    expect(noisy.filter((points) => chooseMemoryLawFamily(points).family === 'power')).toEqual([]);
  });

  it('keeps the line for linear points, exact or noisy (rarely fooled by noise)', () => {
    const line = (work: number) => 3 + 0.002 * work;
    for (const works of [CORNER_WORKS, REFERENCE_WORKS]) {
      expect(chooseMemoryLawFamily(pointsOf(works, line)).family).toBe('linear');
    }
    // With ±3 % noise, three interior folds (the corners) are a small sample: a few draws in 40.
    expect(powerChoices(CORNER_WORKS, line, 0.03)).toBeLessThanOrEqual(6);
    expect(powerChoices(REFERENCE_WORKS, line, 0.03)).toBeLessThanOrEqual(2);
  });

  it('chooses the power law for points that grow faster than their work', () => {
    // 2 x the line at the largest work, as garbage collection near a small heap makes it: not of
    // the power law's own form, which is only the closer of the two.
    const curved = (work: number) => (3 + 0.002 * work) * (1 + (work / 131_072) ** 1.5);
    expect(powerChoices(CORNER_WORKS, curved, 0.03)).toBe(40);
    expect(powerChoices(REFERENCE_WORKS, curved, 0.03)).toBe(40);
    const choice = chooseMemoryLawFamily(pointsOf(REFERENCE_WORKS, curved, 0.03, 3));
    expect(choice.crossValidation!.power).toBeLessThan(0.8 * choice.crossValidation!.linear);
  });

  it('does not compare with fewer points than the power law needs to be tested', () => {
    expect(chooseMemoryLawFamily(pointsOf(CORNER_WORKS.slice(0, 4), (w) => 1 + w ** 2))).toEqual({
      family: 'linear',
    });
  });

  it('scores a left-out point by the law fitted on the others, inside the range only', () => {
    // Three points on t = x and one at (3, 8). Leaving it out, the line t = x predicts 3: miss
    // 5² x weight 1. Leaving out (2, 2), the line through (1, 1), (3, 8), (4, 4) has a = 10/14,
    // b = 19/14 and predicts 48/14: miss (20/14)². The ends are never left out: mean of two folds.
    const points = { works: [1, 2, 3, 4], means: [1, 2, 8, 4], weights: [1, 1, 1, 1] };
    expect(leaveOneOutError(points, 'linear')).toBeCloseTo((25 + (20 / 14) ** 2) / 2, 10);
    expect(
      leaveOneOutError(
        pointsOf(REFERENCE_WORKS, (w) => 2 + w),
        'linear',
      ),
    ).toBeLessThan(1e-12);
  });
});
