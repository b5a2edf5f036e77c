import { describe, expect, it } from 'vitest';
import { flattenArrivalProcess, thinArrivalProcess } from './arrival-process.js';
import { burstyMap, twitterHourOneMap } from './reference-maps.js';

describe('flattenArrivalProcess', () => {
  it('finds the stationary phase, rate and uniformization rate', () => {
    const flat = flattenArrivalProcess(burstyMap);
    // Phase 0 (burst) is left at rate 1 and entered at 0.25: π = (0.2, 0.8).
    expect(flat.phaseStationary[0]).toBeCloseTo(0.2, 12);
    expect(flat.ratePerSecond).toBeCloseTo(0.2 * 80 + 0.8 * 1, 12);
    expect(flat.uniformizationRate).toBe(81);
  });

  it('accepts published MAPs rounded to six decimals', () => {
    expect(flattenArrivalProcess(twitterHourOneMap).ratePerSecond).toBeCloseTo(35.08, 2);
  });

  it('rejects invalid MAPs with MAP_INVALID naming the entry', () => {
    expect(() => flattenArrivalProcess({ d0: [[-1]], d1: [[2]] })).toThrow(/sums to 1/);
    expect(() => flattenArrivalProcess({ d0: [[1]], d1: [[-1]] })).toThrow(/d1\[0\]\[0\]/);
    expect(() => flattenArrivalProcess({ d0: [[-1, 1]], d1: [[1]] })).toThrow(/same order|entries/);
  });
});

describe('thinArrivalProcess', () => {
  it('keeps a share of the arrivals and the phase process', () => {
    const thinned = flattenArrivalProcess(thinArrivalProcess(burstyMap, 0.25));
    expect(thinned.ratePerSecond).toBeCloseTo(0.25 * 16.8, 12);
    expect(thinned.phaseStationary[0]).toBeCloseTo(0.2, 12);
    expect(() => thinArrivalProcess(burstyMap, 0)).toThrow(/\(0, 1\]/);
  });

  it('reads a share a rounding above 1 (a sum of class shares) as the whole stream', () => {
    // What mbs solve summed for a buffer taking every class of the README's recipe.
    const summed = 1.0000000000000002;
    expect(thinArrivalProcess(burstyMap, summed)).toEqual(burstyMap);
    expect(() => thinArrivalProcess(burstyMap, 1.001)).toThrow(/\(0, 1\]; got 1.001/);
    expect(() => thinArrivalProcess(burstyMap, Number.NaN)).toThrow(/\(0, 1\]/);
  });
});
