import type { FlatArrivalProcess } from './arrival-process.js';
import { summariseBatchSizes } from './batch-size-summary.js';
import { arrivalCountProbabilities } from './counting-matrices.js';
import type { WaitLaw } from './wait-law-types.js';

/**
 * The MBS paper's approximations, kept to measure their error: a batch opens in the
 * time-stationary phase (instead of the embedded opening-phase law), so P(N = n) = π P_{n−1}(T) 1
 * for n < B; and every request of a batch of n waits T / n.
 */
export function mbsWaitLaw(
  flat: FlatArrivalProcess,
  batchSize: number,
  timeoutSeconds: number,
): WaitLaw {
  const { order, hidden, arrival, uniformizationRate, phaseStationary } = flat;
  const levels = batchSize - 1;
  const counts = arrivalCountProbabilities(
    phaseStationary,
    hidden,
    arrival,
    order,
    uniformizationRate,
    timeoutSeconds,
    levels,
  );
  const probabilities = new Array<number>(batchSize).fill(0);
  let belowFull = 0;
  for (let level = 0; level < levels; level++) {
    probabilities[level] = counts[level]!;
    belowFull += counts[level]!;
  }
  probabilities[batchSize - 1] = Math.max(0, 1 - belowFull);
  const { mean, requestShares } = summariseBatchSizes(probabilities);
  const meanWaits = probabilities.map((_, index) => timeoutSeconds / (index + 1));
  return {
    approximation: 'mbs',
    batchSize,
    timeoutSeconds,
    arrivalRatePerSecond: flat.ratePerSecond,
    openingPhaseDistribution: Array.from(phaseStationary),
    batchSizeProbabilities: probabilities,
    meanBatchSize: mean,
    requestShareByBatchSize: requestShares,
    meanWaitByBatchSize: meanWaits,
    meanWaitSeconds: requestShares.reduce(
      (sum, share, index) => sum + share * meanWaits[index]!,
      0,
    ),
    gridIntervals: 0,
    waitCdf: (size, waitSeconds) => (waitSeconds >= timeoutSeconds / size ? 1 : 0),
  };
}
