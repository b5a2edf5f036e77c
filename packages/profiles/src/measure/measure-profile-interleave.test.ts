import { describe, expect, it } from 'vitest';
import { createLawProvider } from '../testing/law-provider.js';
import { measureProfile } from './measure-profile.js';
import { planProfile } from './profile-plan.js';
import { summarizeSamples } from './repetitions.js';

// A machine whose speed drifts over the run (a laptop warming up, a shared VM): 0.4 % slower at
// each invocation. Memories measured one after the other each read the speed of their own part
// of the run, so the table tilts one memory against another; measured in turn, they read alike.
const GRID = {
  memoriesMb: [128, 512, 1769, 10_240],
  batchSizes: [1, 4, 16],
  classSizes: [100, 400, 1600],
};
const law = (memoryMb: number, size: number, batchSize: number) =>
  (0.5 + 0.01 * batchSize * size) * Math.max(1769 / memoryMb, 1 / 6);
const functionName = (memoryMb: number) => `p-m${memoryMb}`;
const batchEvent = (classIndex: number, batchSize: number) => ({
  requests: Array.from({ length: batchSize }, (_, index) => ({
    id: `r${index}`,
    input: { size: GRID.classSizes[classIndex]! },
  })),
});
const drift = (invocation: number) => 1 + 0.004 * invocation;

/** Per memory, the median over its points of (measured trimmed mean / law). */
async function memoryLevels(interleave: number) {
  const provider = createLawProvider({
    durationMs: law,
    memoryOf: (name) => Number(name.slice(3)),
    drift,
  });
  const plan = planProfile(GRID);
  const shares: [number, number][] = [];
  const measurement = await measureProfile({
    provider,
    plan,
    classSizes: GRID.classSizes,
    functionName,
    batchEvent,
    rule: { minRepetitions: 3, maxRepetitions: 3, relativeWidth: 0.05, confidence: 0.95 },
    gapMs: 0,
    interleave,
    onProgress: (progress) => shares.push([progress.pointsDone, progress.share]),
  });
  expect(measurement.points).toHaveLength(plan.points.length);
  expect(provider.maxInFlightPerFunction()).toBe(1);
  // One cold start per function: a function taken in turn keeps its instance.
  expect(measurement.coldStarts).toHaveLength(GRID.memoriesMb.length);
  const levels = GRID.memoriesMb.map((memoryMb) => {
    const ratios = measurement.points
      .filter((point) => point.memoryMb === memoryMb)
      .map(
        (point) =>
          summarizeSamples(point.durationsMs, 0.95).trimmedMeanMs /
          law(memoryMb, point.size, point.batchSize),
      )
      .sort((a, b) => a - b);
    return ratios[ratios.length >> 1]!;
  });
  return { levels, calls: provider.calls, shares, points: measurement.points };
}

const spread = (levels: readonly number[]) => Math.max(...levels) / Math.min(...levels) - 1;

describe('measureProfile interleave', () => {
  it('one memory after another, a drifting machine tilts the memories against each other', async () => {
    const { levels, points } = await memoryLevels(1);
    expect(spread(levels)).toBeGreaterThan(0.2);
    // Each memory's rounds are other times: they carry numbers no other memory's do, so the
    // profile never takes one memory's round for another's.
    const roundsOf = (memoryMb: number) =>
      new Set(points.filter((p) => p.memoryMb === memoryMb).flatMap((p) => p.rounds!));
    const all = GRID.memoriesMb.flatMap((memoryMb) => [...roundsOf(memoryMb)]);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(points.map((point) => point.session)).size).toBe(1);
  });

  it('memories measured in turn read the same drift, whatever their number of points', async () => {
    const { levels, calls, shares, points } = await memoryLevels(GRID.memoriesMb.length);
    // Rounds in step: every point's kept samples were taken in rounds 1..3 (after one warm-up).
    for (const point of points) expect(point.rounds).toEqual([1, 2, 3]);
    // The reference memories (1,769 and 10,240 MB) have 9 points, the others 5: their rounds
    // still keep in step, so every memory reads the run's drift alike.
    expect(spread(levels)).toBeLessThan(0.03);
    // In turn from the start: each function's cold start (discarded and invoked again at once),
    // then the next function's.
    // Points measured in turn finish late, all together: the share of the plan done moves
    // from the first kept sample, never falls, and ends at 1.
    const firstDone = shares.findIndex(([done]) => done > 0);
    expect(shares[firstDone - 1]![1]).toBeGreaterThan(0.5);
    for (let index = 1; index < shares.length; index++) {
      expect(shares[index]![1]).toBeGreaterThanOrEqual(shares[index - 1]![1]);
    }
    expect(shares.at(-1)).toEqual([planProfile(GRID).points.length, 1]);
    expect(calls.slice(0, 8).map((call) => call.functionName)).toEqual(
      GRID.memoriesMb.flatMap((memoryMb) => [functionName(memoryMb), functionName(memoryMb)]),
    );
  });

  it('refuses an interleave outside 1..64', async () => {
    const provider = createLawProvider({ durationMs: law, memoryOf: () => 1769 });
    for (const interleave of [0, 1.5, 65, Number.NaN]) {
      await expect(
        measureProfile({
          provider,
          plan: planProfile(GRID),
          classSizes: GRID.classSizes,
          functionName,
          batchEvent,
          interleave,
        }),
      ).rejects.toThrow(/interleave is .*; give an integer from 1 to 64/);
    }
  });
});
