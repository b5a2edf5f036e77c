import { describe, expect, it } from 'vitest';
import { gridSettings, toCandidate } from './candidates.js';
import { createModelEvaluator } from './model-evaluator.js';
import { classPositions, classRange } from './ranges.js';
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

  it('shares one evaluator per problem, so baselines and strategies reuse its caches', () => {
    const problem = randomProblem(1);
    expect(createModelEvaluator(problem)).toBe(createModelEvaluator(problem));
    expect(createModelEvaluator(problem, { approximation: 'mbs' })).not.toBe(
      createModelEvaluator(problem),
    );
  });
});
