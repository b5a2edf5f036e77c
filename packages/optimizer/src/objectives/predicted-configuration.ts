import type { PredictedConfiguration, PredictedLatency } from '@mbs/core';
import { evaluateSystem, LatencyDistribution, type SystemEvaluation } from '@mbs/model';
import { latencyUpperBound } from '../assemble-solution.js';
import { systemFractionWithin, systemPercentile } from '../evaluator.js';
import type { OptimizationProblem } from '../problem.js';
import type { Solution } from '../solution.js';

function fromDistribution(distribution: LatencyDistribution): PredictedLatency {
  return {
    fractionWithin: (seconds) => distribution.cdf(seconds),
    quantileSeconds: (probability) => distribution.percentile(probability),
  };
}

/**
 * What the model predicts for a solution, as objectives see it. The figures of all requests are
 * the search's own (its buffer outcomes, with `rangeArrivals` when the problem has them); a class's
 * latency comes from `evaluateSystem` of `@mbs/model` on the window's MAP thinned to each buffer's
 * share (exact when classes are independent marks), merged over the buffers serving the class.
 *
 * @example
 * ```ts
 * const prediction = predictConfiguration(problem, solution);
 * prediction.latency.quantileSeconds(0.99); prediction.classLatency(7)?.quantileSeconds(0.95);
 * ```
 */
export function predictConfiguration(
  problem: OptimizationProblem,
  solution: Solution,
): PredictedConfiguration {
  const outcomes = solution.buffers.map((buffer) => buffer.outcome);
  const upper = latencyUpperBound(problem);
  let system: SystemEvaluation | undefined;
  const classLaws = new Map<number, PredictedLatency | undefined>();
  return {
    costPerRequestUsd: solution.costPerRequestUsd,
    invocationsPerSecond: solution.invocationsPerSecond,
    classShares: problem.classShares,
    latency: {
      fractionWithin: (seconds) => Math.min(1, systemFractionWithin(outcomes, seconds)),
      quantileSeconds: (probability) => systemPercentile(outcomes, probability, upper),
    },
    classLatency(classId) {
      if (classLaws.has(classId)) return classLaws.get(classId);
      system ??= evaluateSystem({
        map: problem.map,
        classShares: problem.classShares,
        system: solution.system,
        profile: problem.profile,
        pricing: problem.pricing,
        percentile: problem.percentile,
      });
      const serving = system.buffers.filter((buffer) => (buffer.classShares[classId] ?? 0) > 0);
      const law =
        serving.length === 0
          ? undefined
          : fromDistribution(
              LatencyDistribution.mixture(
                serving.map((buffer) => buffer.latencyOfClass(classId)),
                serving.map((buffer) => buffer.requestShare * buffer.classShares[classId]!),
              ),
            );
      classLaws.set(classId, law);
      return law;
    },
  };
}
