import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arrivalRate, describeMap } from './map-descriptors.js';
import { scaleMapRate, superposeMaps, thinMap } from './map-operations.js';
import { arbitraryMap, canonicalMap2 } from './testing/map-arbitrary.js';
import { poissonMap, validateMap } from './validate-map.js';

describe('thinMap', () => {
  it('gives a valid MAP with rate keepShare x rate', () => {
    fc.assert(
      fc.property(arbitraryMap(), fc.double({ min: 0.01, max: 1, noNaN: true }), (map, keep) => {
        const thinned = validateMap(thinMap(map, keep));
        expect(arrivalRate(thinned) / (keep * arrivalRate(map))).toBeCloseTo(1, 9);
      }),
    );
  });

  it('turns Poisson into Poisson', () => {
    expect(thinMap(poissonMap(10), 0.25)).toEqual({ d0: [[-2.5]], d1: [[2.5]] });
  });

  it('refuses a share outside (0, 1]', () => {
    expect(() => thinMap(poissonMap(1), 0)).toThrow(/keepShare = 0/);
  });
});

describe('superposeMaps', () => {
  it('gives a valid MAP whose rate is the sum of the rates', () => {
    fc.assert(
      fc.property(arbitraryMap(3), arbitraryMap(3), (a, b) => {
        const merged = validateMap(superposeMaps(a, b));
        expect(merged.d0.length).toBe(a.d0.length * b.d0.length);
        expect(arrivalRate(merged) / (arrivalRate(a) + arrivalRate(b))).toBeCloseTo(1, 9);
      }),
    );
  });

  it('merges two Poisson processes into one', () => {
    expect(superposeMaps(poissonMap(2), poissonMap(3))).toEqual({ d0: [[-5]], d1: [[5]] });
  });
});

describe('scaleMapRate', () => {
  it('multiplies the rate and keeps SCV and autocorrelation', () => {
    const map = canonicalMap2(0.5, 4, 0.9, 0.7);
    const before = describeMap(map);
    const after = describeMap(scaleMapRate(map, 3));
    expect(after.rate / before.rate).toBeCloseTo(3, 12);
    expect(after.scv).toBeCloseTo(before.scv, 12);
    expect(after.autocorrelations[0]!).toBeCloseTo(before.autocorrelations[0]!, 12);
  });
});
