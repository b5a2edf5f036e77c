import { evaluateBuffer, type ModelApproximation, WaitLawCache } from '@mbs/model';
import type { BufferEvaluator, BufferOutcome } from './evaluator.js';
import type { OptimizationProblem } from './problem.js';

/** Options of {@link createModelEvaluator}. */
export interface ModelEvaluatorOptions {
  /** `exact` (default) or MBS's published approximations. */
  readonly approximation?: ModelApproximation;
}

const evaluators = new WeakMap<OptimizationProblem, BufferEvaluator>();

/**
 * The analytical model (`@mbs/model`) as the search's evaluator. A range receives the MAP thinned
 * to its share of requests (exact: classes are independent marks); wait laws depend only on
 * (share, B, T) and are cached, so sweeping M or reusing a range across partitions costs only the
 * latency and cost combination. One evaluator per problem object, so baselines and strategies
 * solving the same problem share the cache.
 *
 * @example
 * ```ts
 * const evaluator = createModelEvaluator(problem);
 * evaluator.evaluate(range, { batchSize: 8, timeoutSeconds: 0.1, memoryMb: 2048 }).costPerRequestUsd;
 * ```
 */
export function createModelEvaluator(
  problem: OptimizationProblem,
  options: ModelEvaluatorOptions = {},
): BufferEvaluator {
  const shared = options.approximation === undefined ? evaluators.get(problem) : undefined;
  if (shared) return shared;
  const approximation = options.approximation ?? 'exact';
  const laws = new WaitLawCache(problem.map);
  const outcomes = new Map<string, BufferOutcome>();
  const classCount = problem.classShares.length;
  let evaluations = 0;
  const evaluator: BufferEvaluator = {
    get evaluations() {
      return evaluations;
    },
    evaluate(range, settings) {
      const key = `${range.key}|${settings.batchSize}|${settings.timeoutSeconds}|${settings.memoryMb}`;
      const cached = outcomes.get(key);
      if (cached) return cached;
      evaluations++;
      const classShares = new Array<number>(classCount).fill(0);
      range.portions.forEach((portion, offset) => {
        classShares[range.firstClass + offset] =
          portion * problem.classShares[range.firstClass + offset]!;
      });
      const requestShare = classShares.reduce((sum, share) => sum + share, 0);
      const outcome = requestShare <= 0 ? emptyOutcome() : modelOutcome();
      outcomes.set(key, outcome);
      return outcome;

      function modelOutcome(): BufferOutcome {
        const shares = classShares.map((share) => share / requestShare);
        // Shares are rounded so that equal ranges reached by different float sums share a law.
        const share = Math.min(1, Number(requestShare.toPrecision(12)));
        const waitLaw = laws.get(share, settings.batchSize, settings.timeoutSeconds, approximation);
        const evaluation = evaluateBuffer({
          map: problem.map,
          classShares: shares,
          profile: problem.profile,
          pricing: problem.pricing,
          batchSize: settings.batchSize,
          timeoutSeconds: settings.timeoutSeconds,
          memoryMb: settings.memoryMb,
          classRepresentativeSizes: problem.classRepresentativeSizes,
          approximation,
          waitLaw,
        });
        const classes = shares.flatMap((classShare, classId) =>
          classShare > 0 ? [{ classId, classShare }] : [],
        );
        const perClass = problem.perSize
          ? classes.map(({ classId, classShare }) => ({
              classShare,
              scale: problem.classRepresentativeSizes[classId]!,
              latency: evaluation.latencyOfClass(classId),
            }))
          : [];
        return {
          requestShare,
          costPerRequestUsd: evaluation.costPerRequestUsd,
          invocationsPerSecond: evaluation.invocationsPerSecond,
          paddingShare: evaluation.paddingShare ?? 0,
          meanLatencySeconds: evaluation.meanLatencySeconds,
          fractionWithin: problem.perSize
            ? (limit) =>
                perClass.reduce(
                  (sum, entry) => sum + entry.classShare * entry.latency.cdf(limit * entry.scale),
                  0,
                )
            : (limit) => evaluation.latency.cdf(limit),
        };
      }
    },
  };
  if (options.approximation === undefined) evaluators.set(problem, evaluator);
  return evaluator;
}

function emptyOutcome(): BufferOutcome {
  return {
    requestShare: 0,
    costPerRequestUsd: 0,
    invocationsPerSecond: 0,
    paddingShare: 0,
    meanLatencySeconds: 0,
    fractionWithin: () => 1,
  };
}
