import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestRank, quantile, selectQuantiles, sortedQuantile } from './quantiles.js';

describe('selectQuantiles', () => {
  it('returns nearest-rank order statistics', () => {
    const values = Float64Array.from([7, 3, 10, 1, 9, 2, 8, 5, 4, 6]);
    expect(selectQuantiles(values, [0.5, 0.95, 0.9, 0.01, 0.5])).toEqual([5, 10, 9, 1, 5]);
    expect(selectQuantiles(new Float64Array(0), [0.5])).toEqual([Number.NaN]);
    expect(nearestRank(10, 0.95)).toBe(10);
    expect(nearestRank(100, 0.95)).toBe(95);
  });

  it('agrees with sorting, for values with many ties too', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 3 })),
          { minLength: 1, maxLength: 400 },
        ),
        fc.array(fc.double({ min: 0.001, max: 0.999, noNaN: true }), {
          minLength: 1,
          maxLength: 6,
        }),
        (raw, percentiles) => {
          const sorted = [...raw].sort((a, b) => a - b);
          const expected = percentiles.map((p) => sorted[nearestRank(raw.length, p) - 1]);
          expect(selectQuantiles(Float64Array.from(raw), percentiles)).toEqual(expected);
        },
      ),
    );
  });

  it('has at least p of the values at or below it, and fewer than p strictly below', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (raw, percentile) => {
          const [value] = selectQuantiles(Float64Array.from(raw), [percentile]);
          const atOrBelow = raw.filter((entry) => entry <= value!).length;
          const below = raw.filter((entry) => entry < value!).length;
          expect(atOrBelow / raw.length).toBeGreaterThanOrEqual(percentile - 1e-9);
          expect(below / raw.length).toBeLessThan(percentile + 1e-9);
        },
      ),
    );
  });
});

describe('quantile', () => {
  it('gives the textbook nearest-rank values', () => {
    const values = [15, 20, 35, 40, 50];
    expect(quantile(values, 0.05)).toBe(15);
    expect(quantile(values, 0.3)).toBe(20);
    expect(quantile(values, 0.4)).toBe(20);
    expect(quantile(values, 0.5)).toBe(35);
    expect(quantile(values, 1)).toBe(50);
    expect(quantile([], 0.5)).toBeNaN();
    expect(
      quantile(
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
          const q = quantile(values, p);
          const atOrBelow = values.filter((value) => value <= q).length;
          const below = values.filter((value) => value < q).length;
          expect(atOrBelow / values.length).toBeGreaterThanOrEqual(p - 1e-9);
          expect(below / values.length).toBeLessThan(p + 1e-9);
        },
      ),
    );
  });
});

describe('sortedQuantile', () => {
  it('returns the nearest-rank quantile', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sortedQuantile(sorted, 0.5)).toBe(5);
    expect(sortedQuantile(sorted, 0.9)).toBe(9);
    expect(sortedQuantile(sorted, 0.99)).toBe(10);
    expect(sortedQuantile(sorted, 0)).toBe(1);
    expect(sortedQuantile(new Float64Array(), 0.5)).toBeNaN();
  });
});
