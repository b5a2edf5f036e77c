import type { WaitLaw } from './wait-law-types.js';

/**
 * P(N = n) for n in 1..B from its values below B (index n − 1): a batch that did not leave at
 * its timeout left full, so P(N = B) is the rest, clamped at 0 against rounding.
 */
export function completeBatchSizeProbabilities(
  belowFull: ArrayLike<number>,
  batchSize: number,
): number[] {
  const probabilities = new Array<number>(batchSize).fill(0);
  let total = 0;
  for (let level = 0; level < batchSize - 1; level++) {
    probabilities[level] = belowFull[level]!;
    total += belowFull[level]!;
  }
  probabilities[batchSize - 1] = Math.max(0, 1 - total);
  return probabilities;
}

/** E[N] and the share of requests in batches of each size, n P(N = n) / E[N], from P(N = n). */
function summariseBatchSizes(probabilities: readonly number[]): {
  readonly mean: number;
  readonly requestShares: number[];
} {
  let mean = 0;
  probabilities.forEach((probability, index) => {
    mean += (index + 1) * probability;
  });
  return { mean, requestShares: probabilities.map((p, index) => ((index + 1) * p) / mean) };
}

/**
 * The batch-size part of a wait law from P(N = n) and E[W | N = n] (both at index n − 1): E[N],
 * the request shares by batch size, and E[W] over requests.
 */
export function batchSizeLaw(
  probabilities: number[],
  meanWaits: number[],
): Pick<
  WaitLaw,
  | 'batchSizeProbabilities'
  | 'meanBatchSize'
  | 'requestShareByBatchSize'
  | 'meanWaitByBatchSize'
  | 'meanWaitSeconds'
> {
  const { mean, requestShares } = summariseBatchSizes(probabilities);
  return {
    batchSizeProbabilities: probabilities,
    meanBatchSize: mean,
    requestShareByBatchSize: requestShares,
    meanWaitByBatchSize: meanWaits,
    meanWaitSeconds: requestShares.reduce(
      (sum, share, index) => sum + share * meanWaits[index]!,
      0,
    ),
  };
}
