/**
 * Time to solve a 33-class problem (the DeepSpeech profile from ../shared/data when present,
 * else the parametric profile of @mbs/profiles over 33 classes) with the default `frontier`
 * strategy, against the `bayesian` strategy (MBS's anchor) measured in the same run; `exhaustive`
 * only on an 8-class problem (its partitions grow combinatorially): 8 of DeepSpeech's classes, or
 * the parametric profile over 8 classes without the data. Grid: buffers auto (up to 6),
 * B 1..25, T geometric to 1 s refined to 1 ms, every profile memory, no split classes.
 * Each run solves a fresh problem object, so no evaluator cache carries over between runs.
 * Run: `npm run bench -w @mbs/validation` after `npx turbo run build` (or `npm run bench` at the
 * root, which builds first).
 */
import { type ServiceTimeProfile, usdPerMillionRequests } from '@mbs/core';
import { twitterHourOneMap } from '@mbs/model';
import {
  createBayesianStrategy,
  createExhaustiveStrategy,
  createFrontierStrategy,
  type MbsSearchStrategy,
  type OptimizationProblem,
  type Solution,
} from '@mbs/optimizer';
import { createAwsPricing } from '@mbs/pricing-aws';
import { createParametricProfile, readMbsProfile } from '@mbs/profiles';
import { type BenchResult, measure, printBenchTable } from '@mbs/test-utils';
import { deepSpeechProfilePath, realCaseBounds, realDataPresent } from '../src/real-data.js';

const RUNS = Number(process.env.MBS_BENCH_RUNS ?? 3);
const dataPresent = realDataPresent();
const profile33 = dataPresent
  ? await readMbsProfile(deepSpeechProfilePath)
  : createParametricProfile({
      representativeSizes: Array.from({ length: 33 }, (_, classId) => classId + 1),
    });
const sloSeconds = dataPresent ? 9 : 1;
/** Classes of the 33-class profile kept for the 8-class problem: spread from small to largest. */
const EIGHT_OF_33 = [3, 7, 11, 15, 19, 23, 27, 32];

/** The profile restricted to some of its classes, renumbered 0..n-1 (for a smaller problem). */
function selectClasses(
  profile: ServiceTimeProfile,
  classes: readonly number[],
): ServiceTimeProfile {
  return {
    ...profile,
    name: `${profile.name}-${classes.length}-classes`,
    classCount: classes.length,
    serviceTimeSeconds: (memoryMb, largestClass, batchSize) =>
      profile.serviceTimeSeconds(memoryMb, classes[largestClass]!, batchSize),
  };
}
const profile8 = dataPresent
  ? selectClasses(profile33, EIGHT_OF_33)
  : createParametricProfile({
      representativeSizes: Array.from({ length: 8 }, (_, classId) => classId + 1),
    });
const pricing = createAwsPricing({ architecture: 'x86_64' });

function problemOf(profile: ServiceTimeProfile, slo: number): () => OptimizationProblem {
  const classCount = profile.classCount;
  const bounds = realCaseBounds(profile);
  // A new problem per run, as a new window would be (each search builds its own evaluator).
  return () => ({
    map: twitterHourOneMap,
    classShares: new Array<number>(classCount).fill(1 / classCount),
    classRepresentativeSizes: Array.from({ length: classCount }, (_, classId) => classId + 1),
    profile,
    pricing,
    percentile: 0.95,
    constraint: { mode: 'latency', sloSeconds: slo },
    bounds,
  });
}

const strategies: Record<string, () => MbsSearchStrategy> = {
  frontier: () => createFrontierStrategy(),
  bayesian: () => createBayesianStrategy(),
  exhaustive: () => createExhaustiveStrategy(),
};

interface Case {
  readonly name: string;
  readonly strategy: string;
  readonly problem: () => OptimizationProblem;
}

async function timeCases(
  cases: readonly Case[],
): Promise<{ results: BenchResult[]; solutions: Map<string, Solution> }> {
  const results: BenchResult[] = [];
  const solutions = new Map<string, Solution>();
  for (const benchCase of cases) {
    const strategy = strategies[benchCase.strategy]!();
    process.stderr.write(`timing ${benchCase.name} (${RUNS} runs)\n`);
    results.push(
      await measure(
        benchCase.name,
        async () => {
          solutions.set(benchCase.name, await strategy.search(benchCase.problem()));
        },
        { warmup: 1, runs: RUNS },
      ),
    );
  }
  return { results, solutions };
}

function printSolutions(solutions: Map<string, Solution>): void {
  for (const [name, solution] of solutions) {
    console.log(
      `${name}: ${solution.evaluations} evaluations, ${solution.buffers.length} buffer(s), ${usdPerMillionRequests(solution.costPerRequestUsd).toFixed(3)} $/1M requests, p95 ${solution.latencyPercentile.toFixed(3)} s (SLO ${solution.feasible ? 'met' : 'missed'})`,
    );
  }
}

const bounds33 = realCaseBounds(profile33);
console.log(
  `33-class problem: ${dataPresent ? `DeepSpeech profile (${deepSpeechProfilePath})` : 'parametric profile of @mbs/profiles (../shared/data absent)'}, Twitter hour-1 MAP, equal class shares, p95 <= ${sloSeconds} s; grid B ${bounds33.batchSizes.join(',')}, T ${bounds33.timeoutsSeconds.length} steps to 1 s refined to 1 ms, ${bounds33.memoriesMb.length} memories, up to ${bounds33.maxBuffers} buffers, no split classes. Goal: frontier <= 3 s.`,
);
const large = await timeCases([
  { name: 'bayesian 33 classes', strategy: 'bayesian', problem: problemOf(profile33, sloSeconds) },
  { name: 'frontier 33 classes', strategy: 'frontier', problem: problemOf(profile33, sloSeconds) },
]);
printBenchTable('Solve, 33 classes', large.results, 'bayesian 33 classes');
printSolutions(large.solutions);

console.log(
  `\n8-class problem: ${dataPresent ? `the DeepSpeech profile's classes ${EIGHT_OF_33.join(',')}` : 'parametric profile of @mbs/profiles over 8 classes'}, same MAP and grid (${realCaseBounds(profile8).memoriesMb.length} memories), p95 <= ${sloSeconds} s.`,
);
const small = await timeCases([
  { name: 'bayesian 8 classes', strategy: 'bayesian', problem: problemOf(profile8, sloSeconds) },
  { name: 'frontier 8 classes', strategy: 'frontier', problem: problemOf(profile8, sloSeconds) },
  {
    name: 'exhaustive 8 classes',
    strategy: 'exhaustive',
    problem: problemOf(profile8, sloSeconds),
  },
]);
printBenchTable('Solve, 8 classes', small.results, 'bayesian 8 classes');
printSolutions(small.solutions);
