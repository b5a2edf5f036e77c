import type { SystemConfiguration } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClassRouter } from './class-router.js';

const buffer = (
  firstClass: number,
  lastClass: number,
  firstClassShare = 1,
  lastClassShare = 1,
) => ({
  firstClass,
  lastClass,
  firstClassShare,
  lastClassShare,
  batchSize: 4,
  timeoutSeconds: 0.1,
  memoryMb: 1024,
});

describe('createClassRouter', () => {
  it('maps whole classes to their buffer without drawing randomness', () => {
    const system: SystemConfiguration = { buffers: [buffer(0, 2), buffer(3, 3), buffer(4, 6)] };
    const router = createClassRouter(system, () => {
      throw new Error('random drawn for an unsplit class');
    });
    expect([0, 1, 2, 3, 4, 5, 6].map((classId) => router.bufferOf(classId))).toEqual([
      0, 0, 0, 1, 2, 2, 2,
    ]);
    expect(router.classCount).toBe(7);
  });

  it('splits a boundary class by its shares, deterministically in the uniform', () => {
    const system: SystemConfiguration = { buffers: [buffer(0, 2, 1, 0.3), buffer(2, 4, 0.7, 1)] };
    const router = createClassRouter(system);
    expect(router.bufferOf(2, 0)).toBe(0);
    expect(router.bufferOf(2, 0.2999)).toBe(0);
    expect(router.bufferOf(2, 0.3)).toBe(1);
    expect(router.bufferOf(2, 0.9999999)).toBe(1);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => {
        expect(router.bufferOf(2, u)).toBe(u < 0.3 ? 0 : 1);
      }),
    );
  });

  it('routes each buffer its share of a split class from the random source', () => {
    const system: SystemConfiguration = {
      buffers: [buffer(0, 1, 1, 0.25), buffer(1, 1, 0.5, 0.5), buffer(1, 3, 0.25, 1)],
    };
    let state = 12345;
    // A small linear congruential generator keeps the test deterministic without other packages.
    const random = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const router = createClassRouter(system, random);
    const counts = [0, 0, 0];
    const draws = 40_000;
    for (let index = 0; index < draws; index++) counts[router.bufferOf(1)]! += 1;
    // Binomial standard deviation is at most 0.0025 of the draws; 5 sigma.
    expect(Math.abs(counts[0]! / draws - 0.25)).toBeLessThan(0.0125);
    expect(Math.abs(counts[1]! / draws - 0.5)).toBeLessThan(0.0125);
    expect(Math.abs(counts[2]! / draws - 0.25)).toBeLessThan(0.0125);
  });

  it('refuses systems that do not cover every class once, and unknown classes', () => {
    expect(() => createClassRouter({ buffers: [buffer(0, 1), buffer(3, 4)] })).toThrow(/class 2/);
    expect(() =>
      createClassRouter({ buffers: [buffer(0, 1, 1, 0.5), buffer(1, 2, 0.4, 1)] }),
    ).toThrow(/class 1/);
    const router = createClassRouter({ buffers: [buffer(0, 1)] });
    let error: unknown;
    try {
      router.bufferOf(2);
    } catch (caught) {
      error = caught;
    }
    expect(isMbsError(error, 'CONFIG_INVALID')).toBe(true);
    expect(() => router.bufferOf(-1)).toThrow(/outside 0..1/);
  });
});
