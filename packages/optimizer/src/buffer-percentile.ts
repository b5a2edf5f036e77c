import type { BufferOutcome } from './evaluator.js';
import { systemPercentile } from './evaluator.js';

/** The percentile of latency of one buffer's requests alone. */
export function bufferPercentile(
  outcome: BufferOutcome,
  percentile: number,
  upperBound: number,
): number {
  return systemPercentile(
    [{ ...outcome, requestShare: 1, fractionWithin: (limit) => outcome.fractionWithin(limit) }],
    percentile,
    upperBound,
  );
}
