import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createLawProvider } from '../testing/law-provider.js';
import {
  DEFAULT_PROFILE_GAP_MS,
  type MeasureProfileOptions,
  measureProfile,
} from './measure-profile.js';
import type { PointMeasurement } from './measurement.js';
import { planProfile, pointKey } from './profile-plan.js';

const GRID = {
  memoriesMb: [512, 1769, 3008],
  batchSizes: [1, 4, 16],
  classSizes: [100, 400, 1600],
};
const law = (memoryMb: number, size: number, batchSize: number) =>
  (2 + 0.01 * batchSize * size) * Math.max(1769 / memoryMb, 1 / 6);
const functionName = (memoryMb: number) => `p-m${memoryMb}`;
const memoryOf = (name: string) => Number(name.slice(3));
const batchEvent = (classIndex: number, batchSize: number) => ({
  requests: Array.from({ length: batchSize }, (_, index) => ({
    id: `r${index}`,
    input: { size: GRID.classSizes[classIndex]! },
  })),
});
const RULE = { minRepetitions: 3, maxRepetitions: 8, relativeWidth: 0.05, confidence: 0.95 };
// Back to back (gapMs 0) where the test is not about the pause: the law provider has no idle
// state, and a pause per invocation would only make the tests slower.
const measureBackToBack = (
  options: Partial<MeasureProfileOptions> & Pick<MeasureProfileOptions, 'provider' | 'plan'>,
) =>
  measureProfile({ classSizes: GRID.classSizes, functionName, batchEvent, gapMs: 0, ...options });

describe('measureProfile', () => {
  it('measures each point from warm REPORT durations and keeps cold starts apart', async () => {
    const plan = planProfile(GRID);
    const provider = createLawProvider({ durationMs: law, memoryOf });
    const prepared: number[] = [];
    const written: PointMeasurement[] = [];
    const measurement = await measureBackToBack({
      provider,
      plan,
      rule: RULE,
      prepareFunction: async (memoryMb) => {
        prepared.push(memoryMb);
      },
      onPoint: (point) => {
        written.push(point);
      },
    });
    expect(prepared).toEqual([512, 1769, 3008]);
    expect(measurement.points).toHaveLength(plan.points.length);
    expect(written).toHaveLength(plan.points.length);
    for (const point of measurement.points) {
      const size = GRID.classSizes[point.classIndex]!;
      expect(point.size).toBe(size);
      expect(point.stop).toBe('confidence');
      expect(point.durationsMs).toHaveLength(3);
      expect(point.warmUpDurationsMs).toHaveLength(1);
      for (const duration of point.durationsMs) {
        expect(duration).toBeCloseTo(law(point.memoryMb, size, point.batchSize), 9);
      }
    }
    // One cold start per function, its Init Duration recorded, its duration not kept.
    expect(measurement.coldStarts.map((cold) => [cold.memoryMb, cold.initDurationMs])).toEqual([
      [512, 250],
      [1769, 250],
      [3008, 250],
    ]);
    // Per point: one warm-up and three kept; per function one cold start.
    expect(measurement.invocations).toBe(plan.points.length * 4 + 3);
    expect(measurement.interrupted).toBe(false);
  });

  it('measures functions in parallel but never two invocations on one function', async () => {
    const provider = createLawProvider({ durationMs: law, memoryOf });
    const measurement = await measureBackToBack({
      provider,
      plan: planProfile(GRID),
      rule: RULE,
      concurrency: 3,
    });
    expect(measurement.interrupted).toBe(false);
    expect(provider.maxInFlightPerFunction()).toBe(1);
    // The three functions' calls interleave.
    const firstNames = provider.calls.slice(0, 3).map((call) => call.functionName);
    expect(new Set(firstNames).size).toBe(3);
  });

  it('measures each round by work, up and down by turns: each point follows one of nearly its work', async () => {
    // An instance that carries the previous batch's cost over (garbage, outgrown buffers), as a
    // real one does: in the plan's order the smallest point would follow the largest every round.
    let previousWork = 0;
    const provider = createLawProvider({
      durationMs: (memoryMb, size, batchSize) => {
        const carried = 0.002 * previousWork;
        previousWork = size * batchSize;
        return law(memoryMb, size, batchSize) + carried;
      },
      memoryOf,
    });
    const plan = planProfile({ ...GRID, memoriesMb: [1769] });
    const measurement = await measureBackToBack({
      provider,
      plan,
      rule: { ...RULE, minRepetitions: 4, maxRepetitions: 4 },
    });
    // After the cold start: the warm-up round and 4 kept rounds of the 9 points.
    const works = provider.calls.slice(1).map((call) => call.size * call.batchSize);
    const rounds = Array.from({ length: 5 }, (_, round) => works.slice(round * 9, round * 9 + 9));
    const ascending = [...rounds[0]!].sort((a, b) => a - b);
    expect(rounds[0]).toEqual(ascending);
    expect(rounds[1]).toEqual([...ascending].reverse());
    expect(rounds[4]).toEqual(ascending);
    // Every kept sample of the smallest point followed the smallest or the next larger one.
    const smallest = measurement.points.find((p) => p.size === 100 && p.batchSize === 1)!;
    for (const duration of smallest.durationsMs) {
      expect(duration - law(1769, 100, 1)).toBeLessThanOrEqual(0.002 * 400 + 1e-9);
    }
  });

  it('repeats a noisy point until its interval is narrow, or to the maximum', async () => {
    const provider = createLawProvider({ durationMs: law, memoryOf, noise: 0.3, seed: 4 });
    const measurement = await measureBackToBack({
      provider,
      plan: planProfile(GRID),
      rule: RULE,
    });
    const stops = new Set(measurement.points.map((point) => point.stop));
    expect(stops.has('max-repetitions')).toBe(true);
    for (const point of measurement.points) {
      expect(point.durationsMs.length).toBeGreaterThanOrEqual(3);
      expect(point.durationsMs.length).toBeLessThanOrEqual(8);
    }
  });

  it('backs off and retries throttled invocations, and reports them', async () => {
    const provider = createLawProvider({ durationMs: law, memoryOf, throttleRate: 0.3, seed: 9 });
    const seen: string[] = [];
    const measurement = await measureBackToBack({
      provider,
      plan: planProfile({ ...GRID, memoriesMb: [1769] }),
      rule: RULE,
      retry: { baseDelayMs: 1, maxDelayMs: 4 },
      onRetry: (retry) => seen.push(retry.code),
    });
    expect(measurement.interrupted).toBe(false);
    expect(measurement.retries.length).toBeGreaterThan(5);
    expect(seen).toEqual(measurement.retries.map(() => 'THROTTLED'));
    const perPoint = measurement.points.reduce((sum, point) => sum + point.retries, 0);
    expect(perPoint).toBe(measurement.retries.length);
    for (const retry of measurement.retries) expect(retry.delayMs).toBeLessThanOrEqual(4);
  });

  it('gives up on a provider that keeps refusing, naming the point and the attempts', async () => {
    const provider = createLawProvider({ durationMs: law, memoryOf, throttleRate: 1 });
    const error = await measureBackToBack({
      provider,
      plan: planProfile({ ...GRID, memoriesMb: [1769] }),
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    }).catch((caught: unknown) => caught);
    expect(isMbsError(error, 'THROTTLED')).toBe(true);
    expect((error as Error).message).toMatch(
      /p-m1769 \(memory 1769 MB, class 0, batch 1\): the provider refused the invocation after 3 attempts/,
    );
  });

  it('says a batch whose outputs exceed the response limit cannot be served', async () => {
    const error = await measureBackToBack({
      provider: createLawProvider({
        durationMs: law,
        memoryOf,
        failAt: 2,
        failWith: 'Function.ResponseSizeTooLarge',
      }),
      plan: planProfile(GRID),
      rule: RULE,
    }).catch((caught: unknown) => caught);
    expect(isMbsError(error, 'FUNCTION_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(
      /failed: Function\.ResponseSizeTooLarge: .*exceed Lambda's 6 MB response limit.*lower the largest batch size or class size/,
    );
  });

  it('refuses records without a billed duration (a client-side stopwatch, not a REPORT)', async () => {
    const error = await measureBackToBack({
      provider: createLawProvider({ durationMs: law, memoryOf, unbilled: true }),
      plan: planProfile(GRID),
      rule: RULE,
    }).catch((caught: unknown) => caught);
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect((error as Error).message).toMatch(/reports no Billed Duration/);
  });

  // Memories in turn finish their points late, all together: the failure comes later there.
  it.each([
    [1, 30],
    [3, 80],
  ])(
    'stops on a function error, keeping the points measured before it, and resumes (memories in turn: %i)',
    async (interleave, failAt) => {
      const plan = planProfile(GRID);
      const written: PointMeasurement[] = [];
      const failing = createLawProvider({ durationMs: law, memoryOf, failAt });
      const error = await measureBackToBack({
        provider: failing,
        plan,
        rule: RULE,
        interleave,
        onPoint: (point) => {
          written.push(point);
        },
      }).catch((caught: unknown) => caught);
      expect(isMbsError(error, 'FUNCTION_ERROR')).toBe(true);
      expect((error as Error).message).toMatch(
        /p-m(\d+) \(memory \1 MB, class \d, batch \d+\) failed: Runtime\.ExitError: signal: killed/,
      );
      expect(written.length).toBeGreaterThan(3);
      expect(written.length).toBeLessThan(plan.points.length);

      const provider = createLawProvider({ durationMs: law, memoryOf });
      const resumed = await measureBackToBack({
        provider,
        plan,
        rule: RULE,
        interleave,
        measured: written,
      });
      expect(resumed.points).toHaveLength(plan.points.length);
      // Only the functions with points left start again (one cold start each).
      const done = new Set(written.map(pointKey));
      const left = plan.points.filter((point) => !done.has(pointKey(point)));
      const functionsLeft = new Set(left.map((point) => point.memoryMb)).size;
      expect(resumed.invocations).toBe(left.length * 4 + functionsLeft);
      expect(resumed.coldStarts).toHaveLength(functionsLeft);
    },
  );

  it.each([1, 3])(
    'stops when aborted and says it was interrupted (memories in turn: %i)',
    async (interleave) => {
      const controller = new AbortController();
      const plan = planProfile(GRID);
      const measurement = await measureBackToBack({
        provider: createLawProvider({ durationMs: law, memoryOf }),
        plan,
        rule: RULE,
        interleave,
        signal: controller.signal,
        onPoint: () => {
          controller.abort();
        },
      });
      expect(measurement.interrupted).toBe(true);
      expect(measurement.points).toHaveLength(1);
    },
  );

  it.each([
    ['when asked', { gapMs: 30 }, 30],
    ['by default, as an instance idles between batches', {}, DEFAULT_PROFILE_GAP_MS],
  ])('pauses before each invocation %s', async (_, gap, pauseMs) => {
    expect(pauseMs).toBeGreaterThan(0);
    const started = Date.now();
    const measurement = await measureProfile({
      provider: createLawProvider({ durationMs: law, memoryOf }),
      plan: planProfile({ ...GRID, memoriesMb: [1769], batchSizes: [1], classSizes: [100] }),
      classSizes: [100],
      functionName,
      batchEvent,
      rule: RULE,
      ...gap,
    });
    // One cold start, one warm-up and three kept invocations, each after the pause.
    expect(measurement.invocations).toBe(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * pauseMs - 5);
  });

  it('checks its options', async () => {
    const base = {
      provider: createLawProvider({ durationMs: law, memoryOf }),
      plan: planProfile(GRID),
      classSizes: GRID.classSizes,
      functionName,
      batchEvent,
    };
    await expect(measureProfile({ ...base, concurrency: 0 })).rejects.toThrow(/concurrency is 0/);
    await expect(measureProfile({ ...base, warmUpInvocations: -1 })).rejects.toThrow(
      /warmUpInvocations/,
    );
    await expect(measureProfile({ ...base, classSizes: [1] })).rejects.toThrow(
      /lists 1 sizes; the plan has 3/,
    );
  });
});
