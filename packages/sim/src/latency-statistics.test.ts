import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearestRank, percentileOrderStatistics } from './latency-statistics.js';

describe('percentileOrderStatistics', () => {
  it('returns nearest-rank order statistics', () => {
    const values = Float64Array.from([7, 3, 10, 1, 9, 2, 8, 5, 4, 6]);
    expect(percentileOrderStatistics(values, [0.5, 0.95, 0.9, 0.01, 0.5])).toEqual([
      5, 10, 9, 1, 5,
    ]);
    expect(percentileOrderStatistics(new Float64Array(0), [0.5])).toEqual([Number.NaN]);
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
          expect(percentileOrderStatistics(Float64Array.from(raw), percentiles)).toEqual(expected);
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
          const [value] = percentileOrderStatistics(Float64Array.from(raw), [percentile]);
          const atOrBelow = raw.filter((entry) => entry <= value!).length;
          const below = raw.filter((entry) => entry < value!).length;
          expect(atOrBelow / raw.length).toBeGreaterThanOrEqual(percentile - 1e-9);
          expect(below / raw.length).toBeLessThan(percentile + 1e-9);
        },
      ),
    );
  });
});
