import { describe, expect, it } from 'vitest';
import { gridSearch } from './grid-search.js';
import type { OptimizationProblem } from './problem.js';
import { createPricingStub, createProfileStub } from './testing/contract-stubs.js';
import { createSyntheticEvaluator } from './testing/synthetic-evaluator.js';

function problem(
  classShares: number[],
  sloSeconds: number,
  splitShares: number[] = [],
): OptimizationProblem {
  return {
    map: { d0: [[-50]], d1: [[50]] },
    classShares,
    classRepresentativeSizes: classShares.map((_, classId) => 2 ** classId),
    profile: createProfileStub(classShares.length),
    pricing: createPricingStub(),
    percentile: 0.95,
    constraint: { mode: 'latency', sloSeconds },
    bounds: {
      maxBuffers: 3,
      batchSizes: [1, 2, 4, 8],
      timeoutsSeconds: [0.05, 0.1, 0.2, 0.4],
      memoriesMb: [1024, 2048, 3072],
      splitShares,
    },
  };
}

describe('gridSearch', () => {
  for (const [label, shares, slo, splits] of [
    ['uniform classes', [0.2, 0.2, 0.2, 0.2, 0.2], 0.5, []],
    ['skewed classes', [0.5, 0.2, 0.15, 0.1, 0.05], 0.35, []],
    ['with split boundaries', [0.4, 0.3, 0.2, 0.1], 0.4, [0.5]],
  ] as const) {
    it(`finds the enumerated optimum by dynamic programming (${label})`, () => {
      const base = problem([...shares], slo, [...splits]);
      const reference = gridSearch(base, {
        strategy: 'exhaustive',
        partitionSearch: { kind: 'enumerate' },
        evaluator: createSyntheticEvaluator(shares),
      });
      const found = gridSearch(base, {
        strategy: 'default',
        partitionSearch: { kind: 'dynamic-program' },
        evaluator: createSyntheticEvaluator(shares),
      });
      expect(reference.feasible).toBe(true);
      expect(found.feasible).toBe(true);
      expect(found.costPerRequestUsd).toBeLessThanOrEqual(reference.costPerRequestUsd * 1.001);
      expect(found.costPerRequestUsd).toBeGreaterThanOrEqual(
        reference.costPerRequestUsd * (1 - 1e-9),
      );
    });
  }

  it('refines T, M and B beyond the grid without breaking the SLO', () => {
    const base = problem([0.4, 0.3, 0.2, 0.1], 0.4);
    const options = { strategy: 'default', partitionSearch: { kind: 'dynamic-program' } } as const;
    const onGrid = gridSearch(base, {
      ...options,
      evaluator: createSyntheticEvaluator([0.4, 0.3, 0.2, 0.1]),
    });
    const refined = gridSearch(
      { ...base, bounds: { ...base.bounds, refineTimeoutResolutionSeconds: 0.001 } },
      { ...options, evaluator: createSyntheticEvaluator([0.4, 0.3, 0.2, 0.1]) },
    );
    expect(refined.feasible).toBe(true);
    expect(refined.latencyPercentile).toBeLessThanOrEqual(0.4 * (1 + 1e-6));
    expect(refined.costPerRequestUsd).toBeLessThan(onGrid.costPerRequestUsd);
    for (const buffer of refined.system.buffers) {
      expect(
        Math.abs(buffer.timeoutSeconds * 1000 - Math.round(buffer.timeoutSeconds * 1000)),
      ).toBeLessThan(1e-6);
    }
  });

  it('reports the best achievable percentile when the SLO cannot be met', () => {
    const solution = gridSearch(problem([0.5, 0.5], 0.001), {
      strategy: 'default',
      partitionSearch: { kind: 'dynamic-program' },
      evaluator: createSyntheticEvaluator([0.5, 0.5]),
    });
    expect(solution.feasible).toBe(false);
    expect(solution.latencyPercentile).toBeGreaterThan(0.001);
    expect(solution.system.buffers.length).toBeGreaterThan(0);
  });

  it('in cost mode finds the lowest percentile within the budget', () => {
    const latency = gridSearch(problem([0.5, 0.5], 0.3), {
      strategy: 'default',
      partitionSearch: { kind: 'dynamic-program' },
      evaluator: createSyntheticEvaluator([0.5, 0.5]),
    });
    const costMode: OptimizationProblem = {
      ...problem([0.5, 0.5], 0.3),
      constraint: { mode: 'cost', budgetUsdPerRequest: latency.costPerRequestUsd },
    };
    const solution = gridSearch(costMode, {
      strategy: 'default',
      partitionSearch: { kind: 'dynamic-program' },
      evaluator: createSyntheticEvaluator([0.5, 0.5]),
    });
    expect(solution.feasible).toBe(true);
    expect(solution.costPerRequestUsd).toBeLessThanOrEqual(latency.costPerRequestUsd * (1 + 1e-9));
    expect(solution.latencyPercentile).toBeLessThanOrEqual(latency.latencyPercentile * (1 + 1e-6));
  });
});
