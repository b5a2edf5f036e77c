import { burstyMap, WaitLawCache } from '@mbs/model';
import { describe, expect, it } from 'vitest';
import { solveWithBaselines } from './baselines.js';
import { gridSettings, toCandidate } from './candidates.js';
import { createModelEvaluator } from './model-evaluator.js';
import { classPositions, classRange } from './ranges.js';
import { createFrontierStrategy } from './strategies/strategies.js';
import { randomProblem } from './testing/random-workload.js';

describe('createModelEvaluator', () => {
  it('screens settings to the same cost and misses as full evaluations', () => {
    for (const seed of [3, 4, 9]) {
      const problem = randomProblem(seed);
      const evaluator = createModelEvaluator(problem, { shareResolution: 0 });
      const positions = classPositions(problem.classShares.length, [0.5]);
      const range = classRange(positions[3]!, positions[10]!);
      const settings = gridSettings(problem.bounds);
      const limit = problem.constraint.mode === 'latency' ? problem.constraint.sloSeconds : 1;
      const screened = evaluator.screen!(range, settings, limit);
      settings.forEach((setting, index) => {
        const candidate = toCandidate(range, setting, evaluator.evaluate(range, setting), limit);
        expect(screened[2 * index]).toBeCloseTo(candidate.cost, 15);
        expect(screened[2 * index + 1]).toBeCloseTo(candidate.miss, 9);
      });
    }
  });

  it('shares caches only through the evaluator or wait-law cache the caller passes', async () => {
    const problem = randomProblem(1);
    expect(createModelEvaluator(problem)).not.toBe(createModelEvaluator(problem));
    const waitLaws = new WaitLawCache(problem.map);
    const range = classRange({ classId: 0, share: 0 }, { classId: 3, share: 0 });
    const setting = { batchSize: 4, timeoutSeconds: 0.1, memoryMb: 2048 };
    const first = createModelEvaluator(problem, { waitLaws }).evaluate(range, setting);
    expect(waitLaws.size).toBe(1);
    const second = createModelEvaluator(problem, { waitLaws }).evaluate(range, setting);
    expect(waitLaws.size).toBe(1);
    expect(second.costPerRequestUsd).toBe(first.costPerRequestUsd);
    expect(() => createModelEvaluator(problem, { waitLaws: new WaitLawCache(burstyMap) })).toThrow(
      /waitLaws/,
    );
    // The strategy searches with the baselines' evaluator: its count includes theirs.
    const evaluator = createModelEvaluator(problem);
    const report = await solveWithBaselines(problem, createFrontierStrategy(), { evaluator });
    expect(report.solution.evaluations).toBe(evaluator.evaluations);
    expect(report.baselines[0]!.solution.evaluations).toBeLessThan(evaluator.evaluations);
  });
});
