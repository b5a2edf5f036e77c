import { createRandom, isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cpuSpeedup, lambdaVcpu } from '../lambda-cpu.js';
import { planProfile } from './profile-plan.js';
import { fitServiceTimeLaw, type LawObservation } from './service-time-law.js';

const GRID = {
  memoriesMb: [128, 512, 1024, 1769, 3008, 10240],
  batchSizes: [1, 2, 4, 8, 16, 32],
  classSizes: [166, 268, 385, 534, 744, 1089, 1885, 4096],
};

/** A surface of the law's form: a_M, b_M from Lambda's CPU share, work with a per-request part. */
function lawSurface(memoryMb: number, classIndex: number, batchSize: number): number {
  const speedup = cpuSpeedup(lambdaVcpu(memoryMb), 0.9);
  const work = 40 + GRID.classSizes[classIndex]! * (classIndex === 7 ? 1.6 : 1);
  return 0.3 + 2 / speedup + (0.0008 * batchSize * work) / speedup;
}

function observe(
  points: readonly { memoryMb: number; classIndex: number; batchSize: number }[],
  surface: (memoryMb: number, classIndex: number, batchSize: number) => number,
  noise = 0,
  seed = 1,
): LawObservation[] {
  const random = createRandom(seed);
  return points.map((point) => ({
    ...point,
    meanMs:
      surface(point.memoryMb, point.classIndex, point.batchSize) *
      (1 + noise * (2 * random.next() - 1)),
  }));
}

describe('fitServiceTimeLaw', () => {
  it('recovers a surface of its own form from the designed subset, everywhere on the grid', () => {
    const design = planProfile(GRID).points;
    const law = fitServiceTimeLaw(observe(design, lawSurface), GRID.classSizes);
    for (const point of planProfile(GRID, { full: true }).points) {
      const truth = lawSurface(point.memoryMb, point.classIndex, point.batchSize);
      expect(law.predictMs(point.memoryMb, point.classIndex, point.batchSize) / truth).toBeCloseTo(
        1,
        6,
      );
    }
    // Normalised on the largest class; work per size unit shows the per-request part.
    expect(law.classWork[7]).toBe(4096);
    expect(law.classWork[0]! / 166).toBeGreaterThan(law.classWork[6]! / 1885);
  });

  it('recovers random surfaces of its form (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 20, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (intercepts, slopes, increments) => {
          // Non-decreasing work, as the law requires.
          let total = 50;
          const work = increments.map((increment) => (total += increment));
          const surface = (memoryMb: number, classIndex: number, batchSize: number) => {
            const memory = GRID.memoriesMb.indexOf(memoryMb);
            return intercepts[memory]! + slopes[memory]! * batchSize * work[classIndex]!;
          };
          const law = fitServiceTimeLaw(
            observe(planProfile(GRID).points, surface),
            GRID.classSizes,
          );
          for (const point of planProfile(GRID, { full: true }).points) {
            const truth = surface(point.memoryMb, point.classIndex, point.batchSize);
            const predicted = law.predictMs(point.memoryMb, point.classIndex, point.batchSize);
            expect(Math.abs(predicted / truth - 1)).toBeLessThan(1e-4);
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('fits a power law where time grows faster than work, and a line elsewhere', () => {
    // At 128 and 512 MB, time grows as work^1.4 (2.3 x the line through the smallest and the
    // middle work, at the largest: a small heap's garbage collection); the other memories are
    // of the linear form. Both share the class work (a per-request part, class 7 1.6 x its size).
    const curved = (memoryMb: number, classIndex: number, batchSize: number) => {
      if (memoryMb > 512) return lawSurface(memoryMb, classIndex, batchSize);
      const work = 40 + GRID.classSizes[classIndex]! * (classIndex === 7 ? 1.6 : 1);
      return (2 + (0.0008 * batchSize * work) ** 1.4 / 8) / lambdaVcpu(memoryMb);
    };
    const law = fitServiceTimeLaw(observe(planProfile(GRID).points, curved), GRID.classSizes);
    expect(law.memories.map((memory) => memory.family)).toEqual([
      'power',
      'power',
      'linear',
      'linear',
      'linear',
      'linear',
    ]);
    expect(law.memories[0]!.exponent).toBeCloseTo(1.4, 6);
    expect(law.memories[2]!.exponent).toBe(1);
    for (const point of planProfile(GRID, { full: true }).points) {
      const truth = curved(point.memoryMb, point.classIndex, point.batchSize);
      const predicted = law.predictMs(point.memoryMb, point.classIndex, point.batchSize);
      expect(Math.abs(predicted / truth - 1)).toBeLessThan(1e-6);
    }
  });

  it('learns a work response that changes regime, shared by the memories', () => {
    // The emulator's default model: 1.2 µs per token of batch below 2,500 tokens, 3.5 µs above
    // (the model runtime changes regime), scaled by memory as the emulator does. No a + b w^k
    // of one memory meets both ends; the shared curve does, on points it never saw.
    const knee = (memoryMb: number, classIndex: number, batchSize: number) => {
      const work = batchSize * GRID.classSizes[classIndex]!;
      const ms = 0.4 + (work < 2500 ? 0.0012 * work : 0.0035 * work - 5.75);
      return ms * Math.max(1769 / memoryMb, 1 / 6);
    };
    const law = fitServiceTimeLaw(
      observe(planProfile(GRID).points, knee, 0.01, 3),
      GRID.classSizes,
    );
    const misses = planProfile(GRID, { full: true }).points.map((point) =>
      Math.abs(
        law.predictMs(point.memoryMb, point.classIndex, point.batchSize) /
          knee(point.memoryMb, point.classIndex, point.batchSize) -
          1,
      ),
    );
    misses.sort((a, b) => a - b);
    expect(misses[Math.floor(0.9 * misses.length)]).toBeLessThan(0.1);
    expect(law.response.values.at(-1)).toBeCloseTo(law.response.works.at(-1)!, 6);
    expect(law.response.values.some((value, index) => value !== law.response.works[index])).toBe(
      true,
    );
  });

  it('keeps held-out predictions within the noise of the measured means', () => {
    const law = fitServiceTimeLaw(
      observe(planProfile(GRID).points, lawSurface, 0.03, 5),
      GRID.classSizes,
    );
    let worst = 0;
    for (const point of planProfile(GRID, { full: true }).points) {
      const truth = lawSurface(point.memoryMb, point.classIndex, point.batchSize);
      worst = Math.max(
        worst,
        Math.abs(law.predictMs(point.memoryMb, point.classIndex, point.batchSize) / truth - 1),
      );
    }
    expect(worst).toBeLessThan(0.06);
  });

  it('weighs a noisy point by its variance, so a load spike does not bend the law', () => {
    const design = planProfile(GRID).points;
    const observations = observe(design, lawSurface).map((observation, index) =>
      // One point of class 3 read 3 x too slow, with the spread that says it is unreliable.
      index === design.findIndex((point) => point.classIndex === 3)
        ? { ...observation, meanMs: observation.meanMs * 3, relativeStandardError: 0.6 }
        : { ...observation, relativeStandardError: 0.01 },
    );
    const law = fitServiceTimeLaw(observations, GRID.classSizes);
    for (const point of planProfile(GRID, { full: true }).points) {
      const truth = lawSurface(point.memoryMb, point.classIndex, point.batchSize);
      expect(
        Math.abs(law.predictMs(point.memoryMb, point.classIndex, point.batchSize) / truth - 1),
      ).toBeLessThan(0.03);
    }
    // Unweighted, the same spike moves class 3 by far more.
    const unweighted = fitServiceTimeLaw(
      observations.map(({ relativeStandardError: _, ...rest }) => rest),
      GRID.classSizes,
    );
    const spiked = design.find((point) => point.classIndex === 3)!;
    const truth = lawSurface(spiked.memoryMb, 3, spiked.batchSize);
    expect(unweighted.predictMs(spiked.memoryMb, 3, spiked.batchSize) / truth).toBeGreaterThan(
      1.05,
    );
  });

  it('keeps work non-decreasing and times positive when the data are not', () => {
    // Class 1 measured faster than class 0: the fit pools them instead of inverting the order.
    const observations: LawObservation[] = [
      { memoryMb: 1024, classIndex: 0, batchSize: 1, meanMs: 10 },
      { memoryMb: 1024, classIndex: 0, batchSize: 8, meanMs: 40 },
      { memoryMb: 1024, classIndex: 1, batchSize: 1, meanMs: 9 },
      { memoryMb: 1024, classIndex: 1, batchSize: 8, meanMs: 38 },
      { memoryMb: 1024, classIndex: 2, batchSize: 8, meanMs: 200 },
    ];
    const law = fitServiceTimeLaw(observations, [100, 200, 800]);
    expect(law.classWork[0]).toBeLessThanOrEqual(law.classWork[1]!);
    expect(law.classWork[1]).toBeLessThanOrEqual(law.classWork[2]!);
    const [memory] = law.memories;
    expect(memory!.perInvocationMs).toBeGreaterThanOrEqual(0);
    expect(memory!.perWorkUnitMs).toBeGreaterThan(0);
  });

  it('fills a class never measured from its neighbours and fits one distinct point', () => {
    const law = fitServiceTimeLaw(
      [
        { memoryMb: 512, classIndex: 0, batchSize: 2, meanMs: 20 },
        { memoryMb: 512, classIndex: 2, batchSize: 2, meanMs: 80 },
        { memoryMb: 512, classIndex: 2, batchSize: 4, meanMs: 150 },
      ],
      [100, 200, 400],
    );
    expect(law.classWork[1]).toBeGreaterThan(law.classWork[0]!);
    expect(law.classWork[1]).toBeLessThan(law.classWork[2]!);
    const single = fitServiceTimeLaw(
      [{ memoryMb: 128, classIndex: 0, batchSize: 1, meanMs: 7 }],
      [10],
    );
    expect(single.predictMs(128, 0, 1)).toBeCloseTo(7, 9);
  });

  it('refuses bad observations and unknown memories with a message naming the point', () => {
    expect(() => fitServiceTimeLaw([], [1])).toThrow(/no measured point/);
    try {
      fitServiceTimeLaw([{ memoryMb: 512, classIndex: 0, batchSize: 1, meanMs: Number.NaN }], [1]);
      expect.unreachable();
    } catch (error) {
      expect(isMbsError(error, 'FIT_FAILED')).toBe(true);
      expect((error as Error).message).toContain('memory 512 MB, class 0, batch 1');
    }
    const law = fitServiceTimeLaw([{ memoryMb: 512, classIndex: 0, batchSize: 1, meanMs: 3 }], [1]);
    expect(() => law.predictMs(1024, 0, 1)).toThrow(/no fit for memory 1024 MB/);
  });
});
