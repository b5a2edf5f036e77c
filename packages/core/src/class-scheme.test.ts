import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classSchemeFromEdges } from './class-scheme.js';

describe('classSchemeFromEdges', () => {
  it('maps sizes to the first class whose upper edge holds them', () => {
    const scheme = classSchemeFromEdges([10, 100, 1000]);
    expect([0, 10, 10.5, 100, 101, 1000, 5000].map(scheme.classOf)).toEqual([0, 0, 1, 1, 2, 2, 2]);
    expect(scheme.representativeSize(1)).toBe(100);
  });

  it('agrees with a linear scan for any ascending edges', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 10_000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: -5, max: 12_000 }),
        (raw, size) => {
          const edges = [...raw].sort((a, b) => a - b);
          const expected = edges.findIndex((edge) => size <= edge);
          const scheme = classSchemeFromEdges(edges);
          expect(scheme.classOf(size)).toBe(expected === -1 ? edges.length - 1 : expected);
        },
      ),
    );
  });

  it('refuses edges that do not ascend', () => {
    expect(() => classSchemeFromEdges([10, 10])).toThrow(/strictly ascending; edge 1/);
    expect(() => classSchemeFromEdges([])).toThrow(/at least one edge/);
  });
});
