import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSizeSample } from './size-sample.js';

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
