import { isMbsError, type SystemConfiguration } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createModelEvaluator } from '../model-evaluator.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import { createFrontierStrategy } from '../strategies/strategies.js';
import { randomProblem } from '../testing/random-workload.js';
import type { SystemReplay } from './replay-measurement.js';
import { verifySolution } from './verify-solution.js';

const strategy = createFrontierStrategy({ createEvaluator: createModelEvaluator });

/**
 * A solver that remembers what it solved, and a replay of a workload whose percentile is
 * `factor` times the model's at every configuration (a trace burstier than its MAP fit, reduced
 * to its effect), with the model's cost.
 */
function harness(factor: number, standardErrorShare = 0) {
  const solved = new Map<SystemConfiguration, Solution>();
  const problems: OptimizationProblem[] = [];
  const solve = async (problem: OptimizationProblem) => {
    problems.push(problem);
    const solution = await strategy.search(problem);
    solved.set(solution.system, solution);
    return solution;
  };
  const replay: SystemReplay = (system) => {
    const solution = solved.get(system);
    if (!solution) throw new Error('replayed a system the harness did not solve');
    return {
      percentileSeconds: solution.latencyPercentile * factor,
      costPerRequestUsd: solution.costPerRequestUsd,
      requests: 1000,
      ...(standardErrorShare > 0
        ? { standardErrorSeconds: solution.latencyPercentile * standardErrorShare }
        : {}),
    };
  };
  return { solve, replay, problems };
}

function sloOf(problem: OptimizationProblem): number {
  if (problem.constraint.mode !== 'latency') throw new Error('latency problem expected');
  return problem.constraint.sloSeconds;
}

const problem = randomProblem(3, 5);

describe('verifySolution', () => {
  it('re-solves once with the SLO scaled by SLO / replayed when the first replay misses', async () => {
    const { solve, replay, problems } = harness(1.05);
    const first = await solve(problem);
    const slo = sloOf(problem);
    expect(first.feasible).toBe(true);
    // The model spends its slack, so a replay 5 % slower misses.
    expect(first.latencyPercentile * 1.05).toBeGreaterThan(slo);
    const verification = await verifySolution({ problem, solution: first, solve, replay });
    expect(verification.verified).toBe(true);
    expect(verification.rounds).toBe(1);
    expect(verification.refinements).toBe(0);
    expect(verification.attempts.map((attempt) => attempt.phase)).toEqual(['first', 'tighten']);
    expect(verification.attempts[0]!.meets).toBe(false);
    expect(verification.internalSloSeconds).toBeCloseTo(
      (slo * slo) / (first.latencyPercentile * 1.05),
      9,
    );
    expect(sloOf(problems[1]!)).toBe(verification.internalSloSeconds);
    expect(verification.solution.latencyPercentile).toBeLessThanOrEqual(
      verification.internalSloSeconds * (1 + 1e-6),
    );
    expect(verification.replay.percentileSeconds).toBeLessThanOrEqual(slo);
    // A tighter SLO costs at least as much (frontier is within 0.5 % of the optimum).
    expect(verification.costPremiumShare).toBeGreaterThan(-0.005);
    expect(verification.costPremiumShare).toBe(
      verification.solution.costPerRequestUsd / first.costPerRequestUsd - 1,
    );
  }, 60_000);

  it('bisects back towards the SLO and keeps the cheapest configuration that meets', async () => {
    const { solve, replay } = harness(1.05);
    const first = await solve(problem);
    const verification = await verifySolution({
      problem,
      solution: first,
      solve,
      replay,
      refineRounds: 3,
    });
    expect(verification.refinements).toBe(3);
    const [, tightened, ...refined] = verification.attempts;
    expect(refined.map((attempt) => attempt.phase)).toEqual(['refine', 'refine', 'refine']);
    for (const attempt of refined) {
      expect(attempt.internalSloSeconds).toBeGreaterThan(tightened!.internalSloSeconds);
      expect(attempt.internalSloSeconds).toBeLessThan(sloOf(problem));
    }
    const meeting = verification.attempts.filter((attempt) => attempt.meets);
    const cheapest = Math.min(...meeting.map((attempt) => attempt.solution.costPerRequestUsd));
    expect(verification.verified).toBe(true);
    expect(verification.solution.costPerRequestUsd).toBe(cheapest);
    expect(verification.solution.costPerRequestUsd).toBeLessThanOrEqual(
      tightened!.solution.costPerRequestUsd,
    );
  }, 60_000);

  it('keeps the last feasible solution, unverified, when the tightened SLO is infeasible', async () => {
    // A replay 100 times slower asks for an SLO below any service time of the profile.
    const { solve, replay, problems } = harness(100);
    const first = await solve(problem);
    const verification = await verifySolution({ problem, solution: first, solve, replay });
    expect(problems).toHaveLength(2);
    expect(verification.verified).toBe(false);
    expect(verification.rounds).toBe(1);
    expect(verification.solution).toBe(first);
    expect(verification.internalSloSeconds).toBe(sloOf(problem));
    expect(verification.costPremiumShare).toBe(0);
    expect(verification.attempts).toHaveLength(1);
  }, 60_000);

  it('stops after maxRounds when every replay misses', async () => {
    // A trace that measures 1 % over the SLO whatever the configuration: no round can fix it.
    const { solve, replay } = harness(1);
    const first = await solve(problem);
    const verification = await verifySolution({
      problem,
      solution: first,
      solve,
      replay: (system, percentile) => {
        const measured = replay(system, percentile);
        return { ...measured, percentileSeconds: sloOf(problem) * 1.01 };
      },
      maxRounds: 2,
    });
    expect(verification.verified).toBe(false);
    expect(verification.rounds).toBe(2);
    expect(verification.attempts).toHaveLength(3);
    expect(verification.solution).toBe(verification.attempts[2]!.solution);
  }, 60_000);

  it('demands a margin of standard errors from a sampled replay', async () => {
    const { solve, replay } = harness(1, 0.01);
    const first = await solve(problem);
    const plain = await verifySolution({ problem, solution: first, solve, replay });
    expect(plain.verified).toBe(true);
    expect(plain.rounds).toBe(0);
    const margin = await verifySolution({
      problem,
      solution: first,
      solve,
      replay,
      standardErrors: 2,
    });
    expect(margin.attempts[0]!.meets).toBe(false);
    expect(margin.verified).toBe(true);
    expect(margin.rounds).toBeGreaterThanOrEqual(1);
    const kept = margin.replay;
    expect(kept.percentileSeconds + 2 * kept.standardErrorSeconds!).toBeLessThanOrEqual(
      sloOf(problem),
    );
  }, 60_000);

  it('replays once and never re-solves in cost mode', async () => {
    const { solve, replay, problems } = harness(2);
    const budget = { ...problem, constraint: { mode: 'cost', budgetUsdPerRequest: 1e-4 } as const };
    const first = await solve(budget);
    const verification = await verifySolution({ problem: budget, solution: first, solve, replay });
    expect(problems).toHaveLength(1);
    expect(verification.solution).toBe(first);
    expect(verification.rounds).toBe(0);
    expect(verification.verified).toBe(first.costPerRequestUsd <= 1e-4);
    expect(Number.isNaN(verification.internalSloSeconds)).toBe(true);
    expect(verification.attempts).toHaveLength(1);
  }, 60_000);

  it('rejects unknown options and negative rounds, naming the option', async () => {
    const { solve, replay } = harness(1);
    const first = await solve(problem);
    const base = { problem, solution: first, solve, replay };
    await expect(
      verifySolution({ ...base, rounds: 3 } as unknown as Parameters<typeof verifySolution>[0]),
    ).rejects.toThrow(/option rounds .*unknown; accepted: .*maxRounds/);
    const error = await verifySolution({ ...base, maxRounds: -1 }).catch((caught) => caught);
    expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    expect(String(error.message)).toContain('maxRounds is -1; give an integer >= 0');
    await expect(verifySolution({ ...base, standardErrors: -1 })).rejects.toThrow(
      /standardErrors is -1/,
    );
  }, 60_000);
});
