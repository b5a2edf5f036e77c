import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildClassScheme,
  classSchemeByEdges,
  classSchemeByLog,
  classSchemeByQuantile,
  classShares,
  hasNoSizes,
} from './class-schemes.js';

const sortedOf = (sizes: readonly number[]) => Float64Array.from(sizes).sort();

describe('classSchemeByQuantile', () => {
  it('puts ceil(k n / K) of n distinct sizes at or below edge k', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        (sizes, requested) => {
          const count = Math.min(requested, sizes.length);
          const sorted = sortedOf(sizes);
          const scheme = classSchemeByQuantile(sorted, count);
          expect(scheme.count).toBe(count);
          expect(scheme.upperEdges.at(-1)).toBe(sorted.at(-1));
          let cumulative = 0;
          classShares(scheme, sorted).forEach((share, k) => {
            cumulative += Math.round(share * sizes.length);
            expect(cumulative).toBe(Math.ceil(((k + 1) * sizes.length) / count));
            expect(scheme.representativeSize(k)).toBe(scheme.upperEdges[k]);
          });
        },
      ),
    );
  });

  it('merges classes whose quantiles tie', () => {
    const scheme = classSchemeByQuantile(sortedOf([5, 5, 5, 5, 5, 5, 9, 9]), 4);
    expect(scheme.upperEdges).toEqual([5, 9]);
  });
});

describe('classSchemeByLog', () => {
  it('spaces edges geometrically from the smallest positive to the largest size', () => {
    const scheme = classSchemeByLog(sortedOf([0, 1, 3, 50, 1000]), 3);
    expect(scheme.upperEdges).toEqual([10, 100, 1000]);
    expect(scheme.classOf(0)).toBe(0);
    expect(scheme.classOf(50)).toBe(1);
  });

  it('keeps fractional edges for fractional sizes and classes every size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 64 }),
        (sizes, count) => {
          const sorted = sortedOf(sizes);
          const scheme = classSchemeByLog(sorted, count);
          expect(scheme.count).toBeLessThanOrEqual(count);
          expect(scheme.upperEdges.at(-1)).toBe(sorted.at(-1));
          for (const size of sizes)
            expect(size).toBeLessThanOrEqual(scheme.upperEdges[scheme.classOf(size)]!);
          const total = classShares(scheme, sorted).reduce((sum, share) => sum + share, 0);
          expect(total).toBeCloseTo(1, 12);
        },
      ),
    );
  });
});

describe('classSchemeByEdges', () => {
  it('raises the last edge to the largest size seen', () => {
    const scheme = classSchemeByEdges([100, 1000], 14050);
    expect(scheme.upperEdges).toEqual([100, 14050]);
    expect(scheme.representativeSize(1)).toBe(14050);
    expect(classSchemeByEdges([100, 1000], 500).upperEdges).toEqual([100, 1000]);
  });

  it('refuses unordered or empty edges', () => {
    expect(() => classSchemeByEdges([10, 5], 1)).toThrow(/strictly ascending/);
    expect(() => classSchemeByEdges([], 1)).toThrow(/at least one/);
    // A class of size 0 pads its requests to nothing: no profile serves it.
    expect(() => classSchemeByEdges([0], 0)).toThrow(/edge > 0/);
  });
});

describe('buildClassScheme', () => {
  it('dispatches on the method and rejects unknown ones and empty traces', () => {
    const sorted = sortedOf([1, 2, 3, 4]);
    expect(buildClassScheme({ by: 'quantile', count: 2 }, sorted).upperEdges).toEqual([2, 4]);
    expect(buildClassScheme({ edges: [2] }, sorted).upperEdges).toEqual([4]);
    expect(() => buildClassScheme({ by: 'sqrt' as never }, sorted)).toThrow(/accepted: quantile/);
    expect(() => buildClassScheme({ count: 3 }, new Float64Array())).toThrow(/no arrivals/);
    expect(() => buildClassScheme({ count: 0 }, sorted)).toThrow(/from 1 to 4096/);
  });
});

describe('traces without sizes', () => {
  it('are told apart from sized ones', () => {
    expect(hasNoSizes(sortedOf([0, 0, 0]))).toBe(true);
    expect(hasNoSizes(sortedOf([100, 100]))).toBe(true);
    expect(hasNoSizes(sortedOf([1, 2]))).toBe(false);
    expect(hasNoSizes(new Float64Array())).toBe(false);
  });

  it('are refused size classes when sizes are required, with the way out', () => {
    const zeros = sortedOf([0, 0, 0]);
    const hundreds = sortedOf([100, 100, 100]);
    expect(() => buildClassScheme({ requireSizes: true }, zeros, 'a.csv')).toThrow(
      /a\.csv: every request has size 0 \(as when the trace has no size column\), so 8 size classes by quantile cannot be told apart; give the class upper edges \(--edges/,
    );
    expect(() => buildClassScheme({ requireSizes: true, count: 1 }, zeros)).toThrow(/--edges/);
    expect(() => buildClassScheme({ requireSizes: true, by: 'log' }, hundreds)).toThrow(
      /size 100, so 8 size classes by log .*or one class \(--classes 1\)/,
    );
    // One class of a size > 0, class edges, or sizes not required: as before.
    expect(buildClassScheme({ requireSizes: true, count: 1 }, hundreds).upperEdges).toEqual([100]);
    expect(buildClassScheme({ requireSizes: true, edges: [512] }, zeros).upperEdges).toEqual([512]);
    expect(buildClassScheme({}, hundreds).upperEdges).toEqual([100]);
  });
});
