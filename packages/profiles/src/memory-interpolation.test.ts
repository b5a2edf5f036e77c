import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inverseMemoryNeighbours } from './memory-interpolation.js';

describe('inverseMemoryNeighbours', () => {
  const measured = [1024, 1280, 2048, 6912];

  it('puts all weight on a measured memory and clamps outside', () => {
    measured.forEach((memoryMb, index) => {
      expect(inverseMemoryNeighbours(measured, memoryMb)).toEqual({
        lower: index,
        upper: index,
        lowerWeight: 1,
      });
    });
    expect(inverseMemoryNeighbours(measured, 128)).toEqual({ lower: 0, upper: 0, lowerWeight: 1 });
    expect(inverseMemoryNeighbours(measured, 9000)).toEqual({ lower: 3, upper: 3, lowerWeight: 1 });
  });

  it('brackets the memory and weighs so that 1/memory is reproduced', () => {
    fc.assert(
      fc.property(fc.double({ min: 1024, max: 6912, noNaN: true }), (memoryMb) => {
        const { lower, upper, lowerWeight } = inverseMemoryNeighbours(measured, memoryMb);
        expect(measured[lower]!).toBeLessThanOrEqual(memoryMb);
        expect(measured[upper]!).toBeGreaterThanOrEqual(memoryMb);
        expect(upper - lower).toBeLessThanOrEqual(1);
        expect(lowerWeight).toBeGreaterThanOrEqual(0);
        expect(lowerWeight).toBeLessThanOrEqual(1);
        const inverse = lowerWeight / measured[lower]! + (1 - lowerWeight) / measured[upper]!;
        expect(inverse).toBeCloseTo(1 / memoryMb, 15);
      }),
    );
  });
});
