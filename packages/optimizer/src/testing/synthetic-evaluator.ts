import type { BufferEvaluator, BufferOutcome, BufferSettings } from '../evaluator.js';
import type { ClassRange } from '../ranges.js';

/**
 * A closed-form stand-in for the model, for testing the search alone: batches fill at
 * rate x share x T, service grows with the largest class and batch size and shrinks with memory,
 * latency spreads uniformly over [service, service + T]. Not a model of anything; it only has
 * the trade-offs the search must navigate.
 */
export function createSyntheticEvaluator(
  classShares: readonly number[],
  ratePerSecond = 50,
): BufferEvaluator {
  let evaluations = 0;
  return {
    get evaluations() {
      return evaluations;
    },
    evaluate(range: ClassRange, settings: BufferSettings): BufferOutcome {
      evaluations++;
      const requestShare = range.portions.reduce(
        (sum, portion, offset) => sum + portion * classShares[range.firstClass + offset]!,
        0,
      );
      const meanBatch = Math.min(
        settings.batchSize,
        1 + ratePerSecond * requestShare * settings.timeoutSeconds,
      );
      const cpu = Math.min(settings.memoryMb, 4096) / 1769;
      const service = (0.02 + 0.01 * (range.lastClass + 1) * meanBatch) / cpu;
      const billedSeconds = Math.ceil(service * 1000) / 1000;
      const costPerBatch = billedSeconds * (settings.memoryMb / 1024) * 1.66667e-5 + 2e-7;
      const spread = settings.timeoutSeconds;
      return {
        requestShare,
        costPerRequestUsd: costPerBatch / meanBatch,
        invocationsPerSecond: (ratePerSecond * requestShare) / meanBatch,
        paddingShare:
          range.lastClass === range.firstClass ? 0 : 0.1 * (range.lastClass - range.firstClass),
        meanLatencySeconds: service + spread / 2,
        fractionWithin(limit) {
          if (limit < service) return 0;
          if (spread === 0 || limit >= service + spread) return 1;
          return (limit - service) / spread;
        },
      };
    },
  };
}
