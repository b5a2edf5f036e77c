import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestRankQuantile } from './quantile.js';

describe('nearestRankQuantile', () => {
  it('gives the textbook nearest-rank values', () => {
    const values = [15, 20, 35, 40, 50];
    expect(nearestRankQuantile(values, 0.05)).toBe(15);
    expect(nearestRankQuantile(values, 0.3)).toBe(20);
    expect(nearestRankQuantile(values, 0.4)).toBe(20);
    expect(nearestRankQuantile(values, 0.5)).toBe(35);
    expect(nearestRankQuantile(values, 1)).toBe(50);
    expect(nearestRankQuantile([], 0.5)).toBeNaN();
    expect(
      nearestRankQuantile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        0.95,
      ),
    ).toBe(95);
  });

  it('is the smallest value with at least a share p at or below it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (values, p) => {
          const q = nearestRankQuantile(values, p);
          const atOrBelow = values.filter((value) => value <= q).length;
          const below = values.filter((value) => value < q).length;
          expect(atOrBelow / values.length).toBeGreaterThanOrEqual(p - 1e-9);
          expect(below / values.length).toBeLessThan(p + 1e-9);
        },
      ),
    );
  });
});
