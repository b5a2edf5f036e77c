import { isMbsError } from '@mbs/core';
import { expectRegistrable } from '@mbs/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuSpeedup, lambdaVcpu } from './lambda-cpu.js';
import { createParametricProfile, DEFAULT_PARAMETRIC_PROFILE } from './parametric-profile.js';

const profile = createParametricProfile();
const memories = fc.integer({ min: 128, max: 10_240 });
const classes = fc.integer({
  min: 0,
  max: DEFAULT_PARAMETRIC_PROFILE.representativeSizes.length - 1,
});
const batches = fc.integer({ min: 1, max: DEFAULT_PARAMETRIC_PROFILE.maxBatchSize });

describe('createParametricProfile', () => {
  it('is a registrable profile covering 128..10240 MB, 8 classes, batch 1..32', () => {
    expectRegistrable('profile', profile);
    expect(profile.name).toBe('parametric');
    expect(profile.classCount).toBe(8);
    expect(profile.maxBatchSize).toBe(32);
    expect(profile.memoryRangeMb).toEqual({ min: 128, max: 10_240 });
    expect(profile.memorySizesMb[0]).toBe(128);
    expect(profile.memorySizesMb.at(-1)).toBe(10_240);
  });

  it('matches the documented worked examples', () => {
    // Class 3 pads to 534 tokens: 15 + (10 + 0.05 x 534) / speed-up.
    expect(profile.serviceTimeSeconds(1769, 3, 1)).toBeCloseTo(0.0517, 12);
    expect(profile.serviceTimeSeconds(128, 3, 1)).toBeCloseTo(
      (15 + 36.7 / (128 / 1769)) / 1000,
      12,
    );
    // 6 vCPU would be 10,614 MB; at 10,240 MB: 5.789 vCPU, speed-up 1 / (0.2 + 0.8 / 5.789).
    const vcpu = 10_240 / 1769;
    expect(profile.serviceTimeSeconds(10_240, 3, 4)).toBeCloseTo(
      (15 + (10 + 4 * 26.7) * (0.2 + 0.8 / vcpu)) / 1000,
      12,
    );
  });

  it('grows with batch size and class', () => {
    fc.assert(
      fc.property(memories, classes, batches, (memoryMb, classId, batch) => {
        const time = profile.serviceTimeSeconds(memoryMb, classId, batch);
        if (batch < 32)
          expect(profile.serviceTimeSeconds(memoryMb, classId, batch + 1)).toBeGreaterThan(time);
        if (classId < 7)
          expect(profile.serviceTimeSeconds(memoryMb, classId + 1, batch)).toBeGreaterThan(time);
      }),
    );
  });

  it('falls with memory, with diminishing returns above one vCPU', () => {
    fc.assert(
      fc.property(memories, memories, classes, batches, (a, b, classId, batch) => {
        fc.pre(a !== b);
        const [low, high] = a < b ? [a, b] : [b, a];
        expect(profile.serviceTimeSeconds(high, classId, batch)).toBeLessThan(
          profile.serviceTimeSeconds(low, classId, batch),
        );
      }),
    );
    const gain = (from: number) =>
      profile.serviceTimeSeconds(from, 5, 8) - profile.serviceTimeSeconds(from + 1024, 5, 8);
    expect(gain(2048)).toBeGreaterThan(gain(4096));
    expect(gain(4096)).toBeGreaterThan(gain(8192));
  });

  it('scales CPU as Lambda: 1769 MB per vCPU, at most 6, Amdahl above one', () => {
    expect(lambdaVcpu(3538)).toBe(2);
    expect(lambdaVcpu(20_000)).toBe(6);
    expect(cpuSpeedup(0.5, 0.8)).toBe(0.5);
    expect(cpuSpeedup(1, 0.8)).toBe(1);
    expect(cpuSpeedup(2, 0.8)).toBeCloseTo(1 / 0.6, 12);
    expect(cpuSpeedup(4, 1)).toBe(4);
    expect(cpuSpeedup(4, 0)).toBe(1);
  });

  it('takes the class count from the representative sizes', () => {
    const custom = createParametricProfile({ representativeSizes: [10, 20, 40], maxBatchSize: 4 });
    expect(custom.classCount).toBe(3);
    expect(custom.serviceTimeSeconds(1769, 2, 4)).toBeCloseTo((15 + 10 + 0.05 * 4 * 40) / 1000, 12);
    expect(() => custom.serviceTimeSeconds(1769, 3, 1)).toThrow(/class 3 is outside 0..2/);
    expect(() => custom.serviceTimeSeconds(1769, 0, 5)).toThrow(/batch size 5 is outside 1..4/);
    expect(() => custom.serviceTimeSeconds(100, 0, 1)).toThrow(
      /memory 100 MB is outside 128..10240/,
    );
  });

  it('rejects unknown and invalid parameters, naming them', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ vcpu: 2 }, /option vcpu/],
      [{ representativeSizes: [10, 10] }, /representativeSizes/],
      [{ representativeSizes: [] }, /representativeSizes/],
      [{ perElementMs: 0 }, /perElementMs/],
      [{ overheadMs: -1 }, /overheadMs/],
      [{ parallelShare: 1.5 }, /parallelShare/],
      [{ sizeExponent: 0 }, /sizeExponent/],
      [{ maxBatchSize: 2.5 }, /maxBatchSize/],
      [{ name: 'Param' }, /name/],
    ];
    for (const [parameters, pattern] of cases) {
      let error: unknown;
      try {
        createParametricProfile(parameters);
      } catch (caught) {
        error = caught;
      }
      expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });
});
