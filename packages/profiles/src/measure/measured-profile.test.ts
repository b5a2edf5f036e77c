import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { parseMbsProfile, readMbsProfile } from '../mbs-profile.js';
import { buildMeasuredProfile, writeMeasuredProfile } from './measured-profile.js';
import type { PointMeasurement } from './measurement.js';
import { type PlannedPoint, planProfile, pointKey } from './profile-plan.js';

const GRID = { memoriesMb: [512, 1769], batchSizes: [1, 2, 4], classSizes: [100, 300, 900] };
const law = (point: PlannedPoint) =>
  (1 + 0.01 * point.batchSize * GRID.classSizes[point.classIndex]!) * (1769 / point.memoryMb);

function measured(points: readonly PlannedPoint[], noise = 0): PointMeasurement[] {
  return points.map((point, index) => {
    const mean = law(point) * (1 + (index % 2 === 0 ? noise : -noise));
    return {
      ...point,
      functionName: `f-${point.memoryMb}`,
      size: GRID.classSizes[point.classIndex]!,
      durationsMs: [mean * 0.99, mean, mean * 1.01],
      billedDurationsMs: [1, 1, 1],
      warmUpDurationsMs: [mean * 2],
      coldStarts: 0,
      retries: index === 0 ? 2 : 0,
      stop: 'confidence',
    };
  });
}

describe('buildMeasuredProfile', () => {
  it('writes the full table that parseMbsProfile reads, with measured points marked', () => {
    const plan = planProfile(GRID);
    const { document } = buildMeasuredProfile({
      plan,
      points: measured(plan.points),
      coldStarts: [
        { memoryMb: 512, functionName: 'f-512', initDurationMs: 300, durationMs: 5 },
        { memoryMb: 512, functionName: 'f-512', initDurationMs: 500, durationMs: 5 },
      ],
      confidence: 0.95,
      classes: { upperEdges: [100, 300, 900] },
      source: { provider: 'test' },
    });
    const profile = parseMbsProfile(document, 'measured.json');
    expect(profile.memorySizesMb).toEqual([512, 1769]);
    expect(profile.classCount).toBe(3);
    expect(profile.maxBatchSize).toBe(4);
    // Batch 3 was never in the grid: the law fills it.
    for (const memoryMb of GRID.memoriesMb) {
      for (let classIndex = 0; classIndex < 3; classIndex++) {
        for (let batchSize = 1; batchSize <= 4; batchSize++) {
          const truth = law({ memoryMb, classIndex, batchSize });
          expect(profile.serviceTimeSeconds(memoryMb, classIndex, batchSize) * 1000).toBeCloseTo(
            truth,
            3,
          );
        }
      }
    }
    const { measurement } = document;
    expect(measurement.points).toHaveLength(plan.points.length);
    expect(measurement.points.every((point) => point.role === 'fit')).toBe(true);
    expect(measurement.points[0]).toMatchObject({ retries: 2, count: 3, stop: 'confidence' });
    expect(measurement.fitError.fit.maxAbs).toBeLessThan(1e-6);
    expect(measurement.fitError.heldOut).toBeUndefined();
    expect(measurement.initDurationMs).toEqual([
      { memoryMb: 512, count: 2, meanMs: 400, minMs: 300, maxMs: 500 },
    ]);
    expect(measurement.classes).toEqual({ sizes: [100, 300, 900], upperEdges: [100, 300, 900] });
    expect(measurement.law.formula).toBe('t(M, c, B) = a_M + b_M * f(B * w_c)^k_M');
    // Too few points per memory to test a power law: every memory keeps the line.
    expect(measurement.law.memories.map((memory) => [memory.family, memory.exponent])).toEqual([
      ['linear', 1],
      ['linear', 1],
    ]);
  });

  it('scores held-out points apart from the fitted ones', () => {
    const full = planProfile(GRID, { full: true });
    const design = new Set(planProfile(GRID, { referenceMemoriesMb: [1769] }).points.map(pointKey));
    const { document } = buildMeasuredProfile({
      plan: full,
      points: measured(full.points, 0.02),
      coldStarts: [],
      confidence: 0.95,
      fitOn: (point) => design.has(pointKey(point)),
    });
    const { fit, heldOut } = document.measurement.fitError;
    expect(fit.count + (heldOut?.count ?? 0)).toBe(full.points.length);
    expect(heldOut?.count).toBeGreaterThan(0);
    expect(heldOut?.maxAbs).toBeLessThan(0.06);
    expect(document.measurement.points.filter((p) => p.role === 'held-out')).toHaveLength(
      heldOut!.count,
    );
  });

  it('counts a point within its own confidence interval apart from the strict 10 %', () => {
    const grid = { memoriesMb: [1024], batchSizes: [1, 2, 8, 16], classSizes: [100] };
    const plan = planProfile(grid, { full: true });
    // Fitted on B 1 and 2 (t = 10 B); B 8 and 16 held out, both 25 % above the line: B 8 with a
    // tight interval, B 16 with one wider than 25 % of its mean (half-width 4.30 x 28.9 ms).
    const samples: Record<number, number[]> = {
      1: [10, 10, 10],
      2: [20, 20, 20],
      8: [99.5, 100, 100.5],
      16: [150, 250, 200],
    };
    const { document } = buildMeasuredProfile({
      plan,
      points: plan.points.map((point) => ({
        ...point,
        functionName: 'f',
        size: 100,
        durationsMs: samples[point.batchSize]!,
        billedDurationsMs: [],
        warmUpDurationsMs: [],
        coldStarts: 0,
        retries: 0,
        stop: 'confidence',
      })),
      coldStarts: [],
      confidence: 0.95,
      fitOn: (point) => point.batchSize <= 2,
    });
    const { fit, heldOut } = document.measurement.fitError;
    expect(fit).toMatchObject({ count: 2, within10Percent: 2, within10PercentOrInterval: 2 });
    expect(heldOut).toMatchObject({ count: 2, within10Percent: 0, within10PercentOrInterval: 1 });
    expect(heldOut!.maxAbs).toBeCloseTo(0.2, 6);
  });

  it('refuses to write a table for a memory with no measured point', () => {
    const plan = planProfile(GRID);
    try {
      buildMeasuredProfile({
        plan,
        points: measured(plan.points.filter((point) => point.memoryMb === 1769)),
        coldStarts: [],
        confidence: 0.95,
      });
      expect.unreachable();
    } catch (error) {
      expect(isMbsError(error, 'FIT_FAILED')).toBe(true);
      expect((error as Error).message).toMatch(
        /memory 512 MB has no measured point to fit; \d+ of \d+ planned points are measured \(run again to resume\)/,
      );
    }
  });

  it('writes the file atomically, and readMbsProfile reads it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mbs-measured-'));
    try {
      const plan = planProfile(GRID);
      const { document } = buildMeasuredProfile({
        plan,
        points: measured(plan.points),
        coldStarts: [],
        confidence: 0.9,
      });
      const path = join(directory, 'measured.json');
      await writeMeasuredProfile(path, document);
      expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(document);
      expect((await readMbsProfile(path)).name).toBe('measured');
      await expect(
        writeMeasuredProfile(join(directory, 'missing', 'x.json'), document),
      ).rejects.toThrow(/cannot write the profile/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
