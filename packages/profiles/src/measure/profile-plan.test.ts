import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { defaultReferenceMemories, planProfile, pointKey } from './profile-plan.js';

const GRID = {
  memoriesMb: [3008, 128, 1769, 512, 10240],
  batchSizes: [8, 1, 2, 4, 16, 32],
  classSizes: [166, 268, 385, 534, 744, 1089, 1885, 4096],
};

describe('planProfile', () => {
  it('measures the designed subset: references in full along B and classes, corners elsewhere', () => {
    const plan = planProfile(GRID);
    expect(plan.grid.memoriesMb).toEqual([128, 512, 1769, 3008, 10240]);
    expect(plan.referenceMemoriesMb).toEqual([1769, 10240]);
    const at = (memoryMb: number) => plan.points.filter((point) => point.memoryMb === memoryMb);
    // 8 classes at B = 1, 4 (the geometric middle of 1..32 is 5.7) and 32, + 6 batch sizes at
    // classes 0, 3 and 7, the nine shared counted once.
    expect(at(1769)).toHaveLength(3 * 8 + 3 * 6 - 9);
    for (const [classIndex, batchSize] of [
      [5, 1],
      [3, 16],
      [0, 8],
      [6, 32],
    ] as const) {
      expect(at(1769).some((p) => p.classIndex === classIndex && p.batchSize === batchSize)).toBe(
        true,
      );
    }
    expect(at(1769).some((p) => p.classIndex === 5 && p.batchSize === 8)).toBe(false);
    expect(at(128).map(pointKey)).toEqual([
      '128/0/1',
      '128/7/1',
      '128/3/4',
      '128/0/32',
      '128/7/32',
    ]);
    expect(new Set(plan.points.map(pointKey)).size).toBe(plan.points.length);
    const full = planProfile(GRID, { full: true });
    expect(full.points).toHaveLength(5 * 6 * 8);
    // Every class is measured somewhere, and every memory at two work values or more.
    for (let classIndex = 0; classIndex < 8; classIndex++) {
      expect(plan.points.some((point) => point.classIndex === classIndex)).toBe(true);
    }
  });

  it('takes the nearest memory to one vCPU on a log scale', () => {
    expect(defaultReferenceMemories([128, 1024, 4096])).toEqual([1024, 4096]);
    expect(defaultReferenceMemories([3008])).toEqual([3008]);
  });

  it('names the bad memory, batch size or class size', () => {
    const cases: [Partial<typeof GRID>, RegExp][] = [
      [
        { memoriesMb: [64] },
        /memoriesMb holds 64; Lambda memory is a whole number of MB within 128\.\.10240/,
      ],
      [{ memoriesMb: [20480] }, /holds 20480/],
      [{ memoriesMb: [1024.5] }, /holds 1024\.5/],
      [{ batchSizes: [0] }, /batchSizes holds 0/],
      [{ classSizes: [10, 5] }, /classSizes holds 5 at class 1/],
      [{ classSizes: [] }, /classSizes is empty/],
    ];
    for (const [change, message] of cases) {
      try {
        planProfile({ ...GRID, ...change });
        expect.unreachable();
      } catch (error) {
        expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
        expect((error as Error).message).toMatch(message);
      }
    }
    expect(() => planProfile(GRID, { referenceMemoriesMb: [2048] })).toThrow(
      /2048 MB, which is not in the grid/,
    );
  });
});
