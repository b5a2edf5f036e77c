import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createModelEvaluator } from './model-evaluator.js';
import { hasRobustnessMargin, withRobustnessMargin } from './robustness-margin.js';
import { createFrontierStrategy } from './strategies/strategies.js';
import { randomProblem } from './testing/random-workload.js';

const strategy = createFrontierStrategy({ createEvaluator: createModelEvaluator });

describe('withRobustnessMargin', () => {
  it('solves for a higher percentile and a tighter SLO, at a price', async () => {
    const problem = randomProblem(4, 5);
    if (problem.constraint.mode !== 'latency') throw new Error('latency problem expected');
    const slo = problem.constraint.sloSeconds;
    const nominal = await strategy.search(problem);
    const robust = withRobustnessMargin(problem, { percentileMargin: 0.02, latencyMargin: 0.05 });
    expect(robust.percentile).toBe(0.97);
    expect(robust.constraint).toEqual({ mode: 'latency', sloSeconds: slo * 0.95 });
    const solution = await strategy.search(robust);
    expect(solution.feasible).toBe(true);
    expect(solution.percentile).toBe(0.97);
    expect(solution.latencyPercentile).toBeLessThanOrEqual(slo * 0.95 * (1 + 1e-9));
    // The margin costs at least as much, up to the frontier's 0.5 % distance from the optimum.
    expect(solution.costPerRequestUsd).toBeGreaterThan(nominal.costPerRequestUsd * 0.995);
  }, 60_000);

  it('leaves the problem alone without a margin and rejects bad margins', () => {
    const problem = randomProblem(4, 5);
    expect(hasRobustnessMargin({})).toBe(false);
    expect(withRobustnessMargin(problem, { percentileMargin: 0 })).toBe(problem);
    const error = (() => {
      try {
        withRobustnessMargin(problem, { percentileMargin: 0.05 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    expect(String((error as Error).message)).toContain('percentileMargin is 0.05');
    expect(() => withRobustnessMargin(problem, { latencyMargin: 1 })).toThrow(/latencyMargin is 1/);
    expect(() =>
      withRobustnessMargin(problem, { slack: 1 } as unknown as { latencyMargin: number }),
    ).toThrow(/slack is 1; unknown/);
    const costProblem = {
      ...problem,
      constraint: { mode: 'cost', budgetUsdPerRequest: 1e-5 } as const,
    };
    expect(() => withRobustnessMargin(costProblem, { latencyMargin: 0.1 })).toThrow(
      /needs a latency constraint/,
    );
  });
});
