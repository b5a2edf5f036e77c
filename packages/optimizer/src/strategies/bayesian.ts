import { createRandom, type SearchProgress } from '@mbs/core';
import { assembleSolution, latencyUpperBound } from '../assemble-solution.js';
import { bufferPercentile } from '../buffer-percentile.js';
import { type Candidate, toCandidate } from '../candidates.js';
import { errors } from '../errors.js';
import type { BufferEvaluator, BufferSettings } from '../evaluator.js';
import { createGaussianProcess, expectedImprovement } from '../gaussian-process.js';
import type { OptimizationProblem } from '../problem.js';
import { type ClassRange, equalLoadPartition } from '../ranges.js';
import type { Solution } from '../solution.js';

/** Options of {@link bayesianSearch}; the defaults are MBS's budget. */
export interface BayesianSearchOptions {
  readonly evaluator: BufferEvaluator;
  /** Random points before the first model-guided one, per buffer. Default 30. */
  readonly initialPoints?: number;
  /** Expected-improvement iterations per buffer. Default 30. */
  readonly iterations?: number;
  /** Random candidates scored by expected improvement per iteration. Default 500. */
  readonly acquisitionCandidates?: number;
  readonly seed?: number;
  readonly onProgress?: (progress: SearchProgress) => void;
}

interface Space {
  decode(point: readonly number[]): BufferSettings;
  encode(settings: BufferSettings): number[];
}

function searchSpace(problem: OptimizationProblem): Space {
  const { batchSizes, timeoutsSeconds, memoriesMb } = problem.bounds;
  const resolution = problem.bounds.refineTimeoutResolutionSeconds || 0.001;
  const batchLow = Math.min(...batchSizes);
  const batchHigh = Math.max(...batchSizes);
  const timeLow = Math.min(...timeoutsSeconds);
  const timeHigh = Math.max(...timeoutsSeconds);
  const pick = (values: readonly number[], unit: number) =>
    values[Math.min(values.length - 1, Math.floor(unit * values.length))]!;
  return {
    decode: ([b = 0, t = 0, m = 0]) => ({
      batchSize: Math.round(batchLow + b * (batchHigh - batchLow)),
      timeoutSeconds: Number(
        (Math.round((timeLow + t * (timeHigh - timeLow)) / resolution) * resolution).toFixed(9),
      ),
      memoryMb: pick(memoriesMb, m),
    }),
    encode: (settings) => [
      batchHigh === batchLow ? 0 : (settings.batchSize - batchLow) / (batchHigh - batchLow),
      timeHigh === timeLow ? 0 : (settings.timeoutSeconds - timeLow) / (timeHigh - timeLow),
      (memoriesMb.indexOf(settings.memoryMb) + 0.5) / memoriesMb.length,
    ],
  };
}

/**
 * MBS's per-buffer objective: in latency mode the log cost, with a penalty that grows with the
 * buffer's own percentile over the SLO (MBS constrained each buffer, not the system); in cost mode
 * the log percentile, penalised over the budget.
 */
function objective(
  problem: OptimizationProblem,
  candidate: Candidate,
  upper: number,
): { value: number; feasible: boolean } {
  const latency = bufferPercentile(candidate.outcome, problem.percentile, upper);
  const cost = candidate.outcome.costPerRequestUsd;
  if (problem.constraint.mode === 'latency') {
    const over = Math.max(0, latency / problem.constraint.sloSeconds - 1);
    return { value: Math.log(cost) + 10 * Math.min(over, 10), feasible: over === 0 };
  }
  const over = Math.max(0, cost / problem.constraint.budgetUsdPerRequest - 1);
  return {
    value: Math.log(Math.max(latency, 1e-12)) + 10 * Math.min(over, 10),
    feasible: over === 0,
  };
}

function optimiseBuffer(
  problem: OptimizationProblem,
  range: ClassRange,
  options: BayesianSearchOptions,
  uniform: () => number,
  limit: number,
): Candidate {
  const space = searchSpace(problem);
  const upper = latencyUpperBound(problem);
  const process = createGaussianProcess();
  const seen = new Map<string, { candidate: Candidate; value: number; feasible: boolean }>();
  const evaluate = (settings: BufferSettings) => {
    const key = `${settings.batchSize}/${settings.timeoutSeconds}/${settings.memoryMb}`;
    let entry = seen.get(key);
    if (!entry) {
      const candidate = toCandidate(
        range,
        settings,
        options.evaluator.evaluate(range, settings),
        limit,
      );
      entry = { candidate, ...objective(problem, candidate, upper) };
      seen.set(key, entry);
      process.observe(space.encode(settings), entry.value);
    }
    return entry;
  };
  const initial = options.initialPoints ?? 30;
  for (let index = 0; index < initial; index++)
    evaluate(space.decode([uniform(), uniform(), uniform()]));
  const iterations = options.iterations ?? 30;
  for (let iteration = 0; iteration < iterations; iteration++) {
    const best = Math.min(...[...seen.values()].map((entry) => entry.value));
    let chosen: BufferSettings | undefined;
    let chosenScore = -1;
    for (let index = 0; index < (options.acquisitionCandidates ?? 500); index++) {
      const settings = space.decode([uniform(), uniform(), uniform()]);
      const score = expectedImprovement(process.predict(space.encode(settings)), best);
      if (score > chosenScore) {
        chosenScore = score;
        chosen = settings;
      }
    }
    if (chosen) evaluate(chosen);
  }
  const entries = [...seen.values()];
  const feasible = entries.filter((entry) => entry.feasible);
  const pool = feasible.length > 0 ? feasible : entries;
  return pool.reduce((best, entry) => (entry.value < best.value ? entry : best)).candidate;
}

/**
 * The MBS anchor: for each number of buffers up to the bound, MBS's equal-load split, then per
 * buffer a Gaussian-process search with expected improvement over (B, T, M) under a per-buffer
 * constraint (30 random points and 30 iterations by default, MBS's budget). The reported system is
 * the best over buffer counts by the system's own constraint.
 */
export function bayesianSearch(
  problem: OptimizationProblem,
  options: BayesianSearchOptions,
): Solution {
  const startedMs = performance.now();
  const random = createRandom(options.seed ?? 1);
  const uniform = () => random.next();
  const limit =
    problem.constraint.mode === 'latency'
      ? problem.constraint.sloSeconds
      : latencyUpperBound(problem);
  const maxBuffers = Math.min(problem.bounds.maxBuffers, problem.classShares.length);
  let best: Solution | undefined;
  for (let buffers = 1; buffers <= maxBuffers; buffers++) {
    const ranges = equalLoadPartition(
      problem.classShares,
      problem.classRepresentativeSizes,
      buffers,
    );
    if (ranges.length < buffers) break;
    const choice = ranges.map((range) => optimiseBuffer(problem, range, options, uniform, limit));
    const missBudget = 1 - problem.percentile;
    const miss = choice.reduce((sum, candidate) => sum + candidate.miss, 0);
    const cost = choice.reduce((sum, candidate) => sum + candidate.cost, 0);
    const feasible =
      problem.constraint.mode === 'latency'
        ? miss <= missBudget + 1e-12
        : cost <= problem.constraint.budgetUsdPerRequest;
    const solution = assembleSolution(problem, 'bayesian', choice, {
      feasible,
      evaluations: options.evaluator.evaluations,
      startedMs,
    });
    options.onProgress?.({
      evaluations: options.evaluator.evaluations,
      fraction: buffers / maxBuffers,
      message: `bayesian: ${buffers} buffers`,
    });
    if (!best || better(problem, solution, best)) best = solution;
  }
  if (!best) throw errors.error('INTERNAL', 'the bayesian search produced no system');
  return {
    ...best,
    evaluations: options.evaluator.evaluations,
    elapsedSeconds: (performance.now() - startedMs) / 1000,
  };
}

/** Whether `a` beats `b`: feasible first, then by the mode's objective. */
export function better(problem: OptimizationProblem, a: Solution, b: Solution): boolean {
  if (a.feasible !== b.feasible) return a.feasible;
  if (!a.feasible) return a.latencyPercentile < b.latencyPercentile;
  return problem.constraint.mode === 'latency'
    ? a.costPerRequestUsd < b.costPerRequestUsd
    : a.latencyPercentile < b.latencyPercentile;
}
