import { validateSystemConfiguration } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import {
  bufferFromRange,
  classPositions,
  classRange,
  equalLoadPartition,
  partitions,
} from './ranges.js';

const settings = { batchSize: 4, timeoutSeconds: 0.1, memoryMb: 2048 };

describe('class ranges', () => {
  it('places split positions inside classes', () => {
    expect(classPositions(2, [0.5])).toEqual([
      { classId: 0, share: 0 },
      { classId: 0, share: 0.5 },
      { classId: 1, share: 0 },
      { classId: 1, share: 0.5 },
      { classId: 2, share: 0 },
    ]);
  });

  it('gives a split class to two buffers whose shares add to one', () => {
    const positions = classPositions(4, [0.25]);
    const middle = positions.findIndex(
      (position) => position.classId === 2 && position.share === 0.25,
    );
    const lower = classRange(positions[0]!, positions[middle]!);
    const upper = classRange(positions[middle]!, positions[positions.length - 1]!);
    expect(lower.portions).toEqual([1, 1, 0.25]);
    expect(upper.portions).toEqual([0.75, 1]);
    const system = {
      buffers: [bufferFromRange(lower, settings), bufferFromRange(upper, settings)],
    };
    expect(() => validateSystemConfiguration(system, 4)).not.toThrow();
  });

  it('enumerates every partition into at most k ranges, each covering all classes', () => {
    const positions = classPositions(5, []);
    const all = [...partitions(positions.length, 3)];
    // 1 + C(4,1) + C(4,2) ways to cut 5 classes into at most 3 contiguous ranges.
    expect(all).toHaveLength(1 + 4 + 6);
    for (const cuts of all) {
      expect(cuts[0]).toBe(0);
      expect(cuts[cuts.length - 1]).toBe(positions.length - 1);
      const buffers = cuts
        .slice(1)
        .map((cut, index) =>
          bufferFromRange(classRange(positions[cuts[index]!]!, positions[cut]!), settings),
        );
      expect(() => validateSystemConfiguration({ buffers }, 5)).not.toThrow();
    }
  });

  it('splits by equal load (share x size) in the MBS way', () => {
    const ranges = equalLoadPartition([0.25, 0.25, 0.25, 0.25], [1, 1, 1, 1], 2);
    expect(ranges.map((range) => [range.firstClass, range.lastClass])).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const skewed = equalLoadPartition([0.7, 0.1, 0.1, 0.1], [1, 2, 4, 8], 2);
    // Loads 0.7, 0.2, 0.4, 0.8: cutting after class 1 gives 0.9 | 1.2, more equal than 1.3 | 0.8.
    expect(skewed.map((range) => [range.firstClass, range.lastClass])).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
});
