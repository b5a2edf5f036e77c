import { describe, expect, it } from 'vitest';
import { createModelEvaluator } from '../model-evaluator.js';
import { randomProblem } from '../testing/random-workload.js';
import {
  createBayesianStrategy,
  createExhaustiveStrategy,
  createFrontierStrategy,
} from './strategies.js';

const createEvaluator = createModelEvaluator;

describe('the default strategy against exhaustive search', () => {
  it('is within 0.5 % of the exhaustive optimum on 20 random 8-class workloads (up to 4 buffers)', async () => {
    const exhaustive = createExhaustiveStrategy({ createEvaluator });
    const frontier = createFrontierStrategy({ createEvaluator });
    let compared = 0;
    let worst = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const problem = randomProblem(seed);
      const reference = await exhaustive.search(problem);
      const found = await frontier.search(problem);
      expect(found.feasible).toBe(reference.feasible);
      if (!reference.feasible) continue;
      compared++;
      worst = Math.max(worst, found.costPerRequestUsd / reference.costPerRequestUsd);
      expect(found.costPerRequestUsd).toBeLessThanOrEqual(reference.costPerRequestUsd * 1.005);
      expect(found.latencyPercentile).toBeLessThanOrEqual(
        problem.constraint.mode === 'latency'
          ? problem.constraint.sloSeconds * (1 + 1e-6)
          : Number.POSITIVE_INFINITY,
      );
    }
    expect(compared).toBeGreaterThanOrEqual(15);
    console.log(`compared ${compared} feasible workloads; worst ratio ${worst.toFixed(5)}`);
  }, 120_000);
});

describe('the bayesian strategy', () => {
  it('returns a system that covers every class and is no better than exhaustive', async () => {
    const problem = randomProblem(7);
    const reference = await createExhaustiveStrategy({ createEvaluator }).search(problem);
    const mbs = await createBayesianStrategy({ createEvaluator }).search(problem);
    const covered = mbs.system.buffers.reduce(
      (sum, buffer) => sum + buffer.lastClass - buffer.firstClass + 1,
      0,
    );
    expect(covered).toBe(problem.classShares.length);
    if (mbs.feasible && reference.feasible)
      expect(mbs.costPerRequestUsd).toBeGreaterThanOrEqual(
        reference.costPerRequestUsd * (1 - 1e-9),
      );
  }, 60_000);
});
