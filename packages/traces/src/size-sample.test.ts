import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSizeSample, sizeQuantile } from './size-sample.js';

describe('createSizeSample', () => {
  it('keeps every size in order and sorts a copy', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 3000 }), (sizes) => {
        const sample = createSizeSample(1);
        for (const size of sizes) sample.add(size);
        expect(sample.count).toBe(sizes.length);
        expect(Array.from(sample.values())).toEqual(sizes);
        const ascending = [...sizes].sort((a, b) => a - b);
        expect(Array.from(sample.sorted())).toEqual(ascending);
        expect(Array.from(sample.values())).toEqual(sizes);
        expect(Array.from(sample.sortInPlace())).toEqual(ascending);
        expect(Array.from(sample.values())).toEqual(ascending);
      }),
      { numRuns: 50 },
    );
  });
});

describe('sizeQuantile', () => {
  it('returns the nearest-rank quantile', () => {
    const sorted = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sizeQuantile(sorted, 0.5)).toBe(5);
    expect(sizeQuantile(sorted, 0.9)).toBe(9);
    expect(sizeQuantile(sorted, 0.99)).toBe(10);
    expect(sizeQuantile(sorted, 0)).toBe(1);
    expect(sizeQuantile(new Float64Array(), 0.5)).toBeNaN();
  });
});
