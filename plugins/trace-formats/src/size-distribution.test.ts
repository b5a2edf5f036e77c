import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SYNTHETIC_WORKLOAD,
  DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS,
} from './default-synthetic-workload.js';
import { createSizeSampler, type UniformRandom } from './size-distribution.js';

/** A small independent generator (mulberry32), so these tests do not lean on @mbs/markov. */
function mulberry32(seed: number): UniformRandom {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

describe('createSizeSampler', () => {
  it('matches the analytic quantiles and mean of the default workload', () => {
    const next = createSizeSampler(DEFAULT_SYNTHETIC_WORKLOAD.sizes, mulberry32(11));
    const count = 200_000;
    const sizes = new Float64Array(count);
    for (let index = 0; index < count; index++) sizes[index] = next();
    sizes.sort();
    const at = (q: number) => sizes[Math.ceil(q * count) - 1]!;
    const mean = sizes.reduce((sum, size) => sum + size, 0) / count;
    // Sampling error at n = 2e5: median +-1%, p99 +-3%, mean +-2% (the tail has a finite variance
    // only because it is truncated); rounding up to whole tokens adds 0.5 to the mean.
    expect(Math.abs(at(0.5) - DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS.sizeMedian)).toBeLessThan(8);
    expect(Math.abs(at(0.99) / DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS.sizeP99 - 1)).toBeLessThan(
      0.04,
    );
    expect(
      Math.abs(mean / (DEFAULT_SYNTHETIC_WORKLOAD_STATISTICS.sizeMean + 0.5) - 1),
    ).toBeLessThan(0.02);
    // 5% tail above 4096, so the p95 sits at the splice.
    expect(Math.abs(at(0.95) - 4096)).toBeLessThan(40);
    expect(sizes[0]).toBeGreaterThanOrEqual(1);
    expect(sizes[count - 1]).toBeLessThanOrEqual(32768);
  });

  it('gives whole sizes within bounds and the same sizes for the same seed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const first = createSizeSampler(DEFAULT_SYNTHETIC_WORKLOAD.sizes, mulberry32(seed));
        const second = createSizeSampler(DEFAULT_SYNTHETIC_WORKLOAD.sizes, mulberry32(seed));
        for (let index = 0; index < 50; index++) {
          const size = first();
          expect(second()).toBe(size);
          expect(Number.isInteger(size) && size >= 1 && size <= 32768).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('refuses parameters outside their ranges, naming them', () => {
    const base = DEFAULT_SYNTHETIC_WORKLOAD.sizes;
    const random = mulberry32(1);
    expect(() => createSizeSampler({ ...base, tailShare: 1 }, random)).toThrow(/tailShare/);
    expect(() => createSizeSampler({ ...base, maxSize: 100 }, random)).toThrow(/maxSize/);
    expect(() => createSizeSampler({ kind: 'constant', size: -1 }, random)).toThrow(/size must/);
    expect(createSizeSampler({ kind: 'constant', size: 3 }, random)()).toBe(3);
  });
});
