import { createRandom, isMbsError, type SystemConfiguration } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createModelEvaluator } from '../model-evaluator.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';
import { createFrontierStrategy } from '../strategies/strategies.js';
import { randomProblem } from '../testing/random-workload.js';
import { createLatencyStretches } from './batch-means.js';
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

/**
 * A replay of 4,000 requests whose latencies are uniform up to the model's percentile x `factor`
 * / 0.95 (so their p95 is that), the same uniforms for every configuration, with stretches:
 * the share over the SLO has a standard error of about 0.35 %. `factor` can be set after the
 * first solve.
 */
function stretchedHarness() {
  let factor = 1;
  const { solve } = harness(1);
  const solved = new Map<SystemConfiguration, Solution>();
  // Evenly spaced in (0, 1), shuffled: the whole replay's quantiles are exact, its stretches vary.
  const uniforms = (() => {
    const random = createRandom(5);
    const values = Float64Array.from({ length: 4000 }, (_, index) => (index + 0.5) / 4000);
    for (let index = values.length - 1; index > 0; index--) {
      const other = Math.floor(random.next() * (index + 1));
      [values[index], values[other]] = [values[other]!, values[index]!];
    }
    return values;
  })();
  const replay: SystemReplay = (system, percentile) => {
    const solution = solved.get(system);
    if (!solution) throw new Error('replayed a system the harness did not solve');
    const top = (solution.latencyPercentile * factor) / 0.95;
    const latencyStretches = createLatencyStretches(
      uniforms.map((uniform) => uniform * top),
      10,
    );
    return {
      percentileSeconds: latencyStretches.quantile(percentile),
      costPerRequestUsd: solution.costPerRequestUsd,
      requests: uniforms.length,
      latencyStretches,
    };
  };
  return {
    solve: async (tightened: OptimizationProblem) => {
      const solution = await solve(tightened);
      solved.set(solution.system, solution);
      return solution;
    },
    replay,
    setFactor: (value: number) => {
      factor = value;
    },
  };
}

function sloOf(problem: OptimizationProblem): number {
  if (problem.constraint.mode !== 'latency') throw new Error('latency problem expected');
  return problem.constraint.sloSeconds;
}

const problem = randomProblem(3, 5);

/**
 * A harness whose replay factor depends on the internal SLO the configuration was solved for:
 * `factorAt(internal / SLO)`. Models a tightening that lands on a configuration with a cliff.
 */
function slopedHarness(factorAt: (relativeSlo: number) => number) {
  const solved = new Map<SystemConfiguration, { solution: Solution; slo: number }>();
  const solve = async (tightened: OptimizationProblem) => {
    const solution = await strategy.search(tightened);
    solved.set(solution.system, { solution, slo: sloOf(tightened) });
    return solution;
  };
  const replay: SystemReplay = (system) => {
    const entry = solved.get(system);
    if (!entry) throw new Error('replayed a system the harness did not solve');
    return {
      percentileSeconds: entry.solution.latencyPercentile * factorAt(entry.slo / sloOf(problem)),
      costPerRequestUsd: entry.solution.costPerRequestUsd,
      requests: 1000,
    };
  };
  return { solve, replay };
}

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

  it('keeps the first solution, unverified, when no SLO the model can meet replays within the SLO', async () => {
    // A replay 100 times slower asks for an SLO below any service time of the profile; each
    // round's bisections towards the last miss find feasible configurations that still miss.
    const { solve, replay, problems } = harness(100);
    const first = await solve(problem);
    const verification = await verifySolution({ problem, solution: first, solve, replay });
    expect(problems.length).toBeGreaterThan(2);
    expect(verification.verified).toBe(false);
    expect(verification.bisections).toBeGreaterThanOrEqual(1);
    expect(verification.attempts.every((attempt) => !attempt.meets)).toBe(true);
    expect(verification.solution).toBe(first);
    expect(verification.internalSloSeconds).toBe(sloOf(problem));
    expect(verification.costPremiumShare).toBe(0);
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
    // Nothing met: the first solution is kept, not the last miss.
    expect(verification.solution).toBe(first);
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

  it('with a confidence, bounds the share over the SLO by its prediction margin', async () => {
    const { solve, replay, setFactor } = stretchedHarness();
    const first = await solve(problem);
    const slo = sloOf(problem);
    // The first replay's p95 about 0.1 % under the SLO: without a margin, it meets.
    setFactor((0.999 * slo) / first.latencyPercentile);
    const plain = await verifySolution({ problem, solution: first, solve, replay });
    expect(plain.verified).toBe(true);
    expect(plain.rounds).toBe(0);
    expect(plain.attempts[0]!.requestsOverSlo).toBeUndefined();
    const confident = await verifySolution({
      problem,
      solution: first,
      solve,
      replay,
      confidence: 0.9,
    });
    const [head] = confident.attempts;
    // Its share over the SLO is under 5 %, but not by the margin.
    expect(head!.requestsOverSlo!.share).toBeLessThanOrEqual(0.05);
    expect(head!.requestsOverSlo!.marginShare).toBeGreaterThan(0.003);
    expect(head!.requestsOverSlo!.share + head!.requestsOverSlo!.marginShare).toBeGreaterThan(0.05);
    expect(head!.meets).toBe(false);
    expect(confident.verified).toBe(true);
    expect(confident.rounds).toBeGreaterThanOrEqual(1);
    const kept = confident.attempts.find((attempt) => attempt.solution === confident.solution)!;
    expect(kept.requestsOverSlo!.share + kept.requestsOverSlo!.marginShare).toBeLessThanOrEqual(
      0.05,
    );
    const estimate = confident.replay.latencyStretches!.exceedance(slo);
    expect(kept.requestsOverSlo!.share).toBe(estimate.share);
    expect(confident.replay.percentileSeconds).toBeLessThan(slo);
    // One round aims at the percentile raised by the margin, so it does not overshoot far.
    expect(confident.replay.percentileSeconds).toBeGreaterThan(slo * 0.97);
    expect(confident.costPremiumShare).toBeGreaterThan(-0.005);
  }, 60_000);

  it('refuses a confidence out of (0, 1), beside standardErrors, or with a replay without stretches', async () => {
    const { solve, replay } = harness(1.05);
    const first = await solve(problem);
    const base = { problem, solution: first, solve, replay };
    await expect(verifySolution({ ...base, confidence: 1 })).rejects.toThrow(
      /option confidence is 1; give a probability in \(0, 1\)/,
    );
    await expect(verifySolution({ ...base, confidence: 0.9, standardErrors: 2 })).rejects.toThrow(
      /confidence is 0.9; not with standardErrors \(2\)/,
    );
    const error = await verifySolution({ ...base, confidence: 0.9 }).catch((caught) => caught);
    expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    expect(String(error.message)).toContain(
      'confidence (0.9) needs a replay that reports latencyStretches',
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

  it('does not take a tightening step that jumps to a far worse replay: it bisects instead', async () => {
    // The first replay misses by 3.5 %; the tightened SLO (about 0.966 x) lands in a band of
    // configurations replaying 60 % slower; halfway back there is none.
    const { solve, replay } = slopedHarness((relative) =>
      relative >= 0.999 ? 1.035 : relative >= 0.955 && relative < 0.975 ? 1.6 : 1.02,
    );
    const first = await solve(problem);
    const verification = await verifySolution({ problem, solution: first, solve, replay });
    const phases = verification.attempts.map((attempt) => attempt.phase);
    expect(phases.slice(0, 3)).toEqual(['first', 'tighten', 'bisect']);
    expect(verification.attempts[1]!.jump).toBe(true);
    expect(verification.jumps).toBeGreaterThanOrEqual(1);
    expect(verification.bisections).toBeGreaterThanOrEqual(1);
    expect(verification.verified).toBe(true);
    expect(verification.replay.percentileSeconds).toBeLessThanOrEqual(sloOf(problem));
    const kept = verification.attempts.find(
      (attempt) => attempt.solution === verification.solution,
    )!;
    expect(kept.jump).toBe(false);
    expect(kept.meets).toBe(true);
  }, 60_000);
});

describe('verifySolution never returns a worse replay', () => {
  /**
   * A fast stand-in solver: every solve returns a new configuration whose model percentile is a
   * seeded share of the internal SLO and whose cost grows as the SLO tightens; infeasible below
   * `floor` x the SLO.
   */
  function fakeSolver(seed: number, floor: number) {
    const random = createRandom(seed);
    const template = (slo: number): Solution => ({
      strategy: 'fake',
      feasible: slo >= floor * sloOf(problem),
      system: { buffers: [] },
      buffers: [],
      percentile: problem.percentile,
      latencyPercentile: slo * (0.9 + 0.1 * random.next()),
      costPerRequestUsd: 1e-6 / slo,
      invocationsPerSecond: 1,
      paddingShare: 0,
      meanLatencySeconds: slo / 2,
      evaluations: 1,
      elapsedSeconds: 0,
    });
    return async (tightened: OptimizationProblem) => template(sloOf(tightened));
  }

  it('keeps the first solution or one that met, whatever the replays do', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0.5, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 3 }),
        async (seed, floor, refineRounds) => {
          const solve = fakeSolver(seed, floor);
          const random = createRandom(seed + 1);
          // Each configuration replays at a random factor of its model percentile, in 0.8..1.8.
          const factors = new Map<SystemConfiguration, number>();
          const replay: SystemReplay = (system) => {
            let factor = factors.get(system);
            if (factor === undefined) {
              factor = 0.8 + random.next();
              factors.set(system, factor);
            }
            return { percentileSeconds: factor, costPerRequestUsd: 1e-6, requests: 100 };
          };
          const first = await solve(problem);
          const timed: SystemReplay = (system, percentile) => {
            const measured = replay(system, percentile);
            return { ...measured, percentileSeconds: measured.percentileSeconds * sloOf(problem) };
          };
          const verification = await verifySolution({
            problem,
            solution: first,
            solve,
            replay: timed,
            refineRounds,
          });
          const firstReplay = verification.attempts[0]!.replay.percentileSeconds;
          if (verification.verified) {
            expect(verification.replay.percentileSeconds).toBeLessThanOrEqual(sloOf(problem));
          } else {
            expect(verification.solution).toBe(first);
          }
          expect(verification.replay.percentileSeconds).toBeLessThanOrEqual(firstReplay);
          const met = verification.attempts.filter((attempt) => attempt.meets);
          if (met.length > 0) {
            expect(verification.solution.costPerRequestUsd).toBe(
              Math.min(...met.map((attempt) => attempt.solution.costPerRequestUsd)),
            );
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
