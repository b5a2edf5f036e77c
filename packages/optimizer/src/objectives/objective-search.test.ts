import type { Objective, ObjectiveSettings } from '@mbs/core';
import { evaluateSystem } from '@mbs/model';
import { describe, expect, it } from 'vitest';
import { createFrontierStrategy } from '../strategies/strategies.js';
import { randomProblem } from '../testing/random-workload.js';
import { createCostBudgetObjective, createLatencySloObjective } from './builtin-objectives.js';
import { searchObjective } from './objective-search.js';
import { predictConfiguration } from './predicted-configuration.js';

const strategy = createFrontierStrategy();

// A small grid: each latency-limited search takes milliseconds.
function smallProblem(seed: number) {
  const problem = randomProblem(seed, 6);
  return {
    ...problem,
    bounds: { ...problem.bounds, maxBuffers: 3, memoriesMb: [1024, 3072], splitShares: [] },
  };
}

/** "Cheapest with p99 <= p99Seconds and p50 <= p50Seconds", as a plugin author writes it. */
function twoPercentiles(p99Seconds: number, p50Seconds: number): Objective {
  return {
    specificationVersion: 'v1',
    name: 'p99-and-p50',
    searchPercentiles: () => [0.99, 0.5],
    assess: ({ latency, costPerRequestUsd }) => {
      const excess =
        Math.max(
          latency.quantileSeconds(0.99) / p99Seconds,
          latency.quantileSeconds(0.5) / p50Seconds,
        ) - 1;
      return { feasible: excess <= 0, score: costPerRequestUsd, violation: Math.max(0, excess) };
    },
  };
}

describe('searchObjective', () => {
  it('solves a built-in objective through its standard form, as the strategy does', async () => {
    const problem = smallProblem(3);
    const settings: ObjectiveSettings = { percentile: 0.95, sloSeconds: 0.5 };
    const direct = await strategy.search({
      ...problem,
      constraint: { mode: 'latency', sloSeconds: 0.5 },
    });
    const { solution, assessment } = await searchObjective(
      problem,
      createLatencySloObjective(),
      settings,
      { strategy },
    );
    expect(solution.costPerRequestUsd).toBe(direct.costPerRequestUsd);
    expect(assessment.feasible).toBe(direct.feasible);
    if (direct.feasible) expect(assessment.score).toBe(direct.costPerRequestUsd);
  });

  it('finds, without the standard form, a configuration within 2 % of the exact latency-SLO optimum', async () => {
    const builtin = createLatencySloObjective();
    // The same objective with the fast path removed: only assess and the sweep remain.
    const generic: Objective = {
      specificationVersion: 'v1',
      name: 'generic-slo',
      assess: (prediction, settings) => builtin.assess(prediction, settings),
    };
    for (const seed of [1, 2, 5]) {
      const problem = smallProblem(seed);
      const settings = { percentile: 0.95, sloSeconds: 0.6 };
      const exact = await strategy.search({
        ...problem,
        percentile: 0.95,
        constraint: { mode: 'latency', sloSeconds: 0.6 },
      });
      const found = await searchObjective(problem, generic, settings, { strategy });
      expect(found.assessment.feasible).toBe(exact.feasible);
      if (!exact.feasible) continue;
      expect(found.solution.latencyPercentile).toBeLessThanOrEqual(0.6 * (1 + 1e-6));
      expect(found.solution.costPerRequestUsd).toBeGreaterThanOrEqual(
        exact.costPerRequestUsd * (1 - 1e-9),
      );
      expect(found.solution.costPerRequestUsd).toBeLessThanOrEqual(exact.costPerRequestUsd * 1.02);
    }
  }, 60_000);

  it('meets both percentiles of a two-percentile objective, checked by the system model', async () => {
    const problem = smallProblem(4);
    const one = await strategy.search({
      ...problem,
      percentile: 0.99,
      constraint: { mode: 'latency', sloSeconds: 0.8 },
    });
    // A p50 limit below what the p99-only optimum gives, so that both constraints matter.
    const p50Only = predictConfiguration(problem, one).latency.quantileSeconds(0.5);
    const p50Seconds = p50Only * 0.6;
    const { solution, assessment } = await searchObjective(
      problem,
      twoPercentiles(0.8, p50Seconds),
      { percentile: 0.99 },
      { strategy },
    );
    expect(assessment.feasible).toBe(true);
    const independent = evaluateSystem({
      map: problem.map,
      classShares: problem.classShares,
      system: solution.system,
      profile: problem.profile,
      pricing: problem.pricing,
      percentile: 0.99,
    });
    expect(independent.latency.percentile(0.99)).toBeLessThanOrEqual(0.8 * 1.001);
    expect(independent.latency.percentile(0.5)).toBeLessThanOrEqual(p50Seconds * 1.001);
    // Meeting p99 and p50 can cost no less than meeting p99 alone.
    expect(solution.costPerRequestUsd).toBeGreaterThan(one.costPerRequestUsd);
  }, 60_000);

  it('gives per-class latencies that merge, by class share, into the system latency', async () => {
    const problem = smallProblem(6);
    const solution = await strategy.search(problem);
    const prediction = predictConfiguration(problem, solution);
    for (const limit of [0.05, 0.2, 0.5, 1]) {
      const merged = problem.classShares.reduce(
        (sum, share, classId) =>
          sum + share * (prediction.classLatency(classId)?.fractionWithin(limit) ?? 0),
        0,
      );
      expect(merged).toBeCloseTo(prediction.latency.fractionWithin(limit), 6);
    }
    expect(prediction.classLatency(problem.classShares.length)).toBeUndefined();
  });

  it('reports the least violation, marked infeasible, when nothing meets the objective', async () => {
    const problem = smallProblem(2);
    const { solution, assessment } = await searchObjective(
      problem,
      twoPercentiles(1e-6, 1e-6),
      { percentile: 0.99 },
      { strategy },
    );
    expect(assessment.feasible).toBe(false);
    expect(solution.feasible).toBe(false);
    expect(assessment.violation).toBeGreaterThan(0);
  }, 60_000);

  it('refuses an assess() that returns NaN, an objective with per-size latency, and a missing budget', async () => {
    const problem = smallProblem(1);
    const broken: Objective = {
      specificationVersion: 'v1',
      name: 'broken',
      assess: () => ({ feasible: true, score: Number.NaN, violation: 0 }),
    };
    await expect(
      searchObjective(problem, broken, { percentile: 0.95 }, { strategy }),
    ).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
    });
    await expect(
      searchObjective({ ...problem, perSize: true }, broken, { percentile: 0.95 }, { strategy }),
    ).rejects.toMatchObject({ code: 'OPTION_INVALID' });
    expect(() => createCostBudgetObjective().standardForm!({ percentile: 0.95 })).toThrow(
      /--budget/,
    );
  });
});
