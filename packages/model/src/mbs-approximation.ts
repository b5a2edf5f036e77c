import type { FlatArrivalProcess } from './arrival-process.js';
import { batchSizeLaw, completeBatchSizeProbabilities } from './batch-size-summary.js';
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
  const probabilities = completeBatchSizeProbabilities(counts, batchSize);
  const meanWaits = probabilities.map((_, index) => timeoutSeconds / (index + 1));
  return {
    approximation: 'mbs',
    batchSize,
    timeoutSeconds,
    arrivalRatePerSecond: flat.ratePerSecond,
    openingPhaseDistribution: Array.from(phaseStationary),
    ...batchSizeLaw(probabilities, meanWaits),
    gridIntervals: 0,
    waitCdf: (size, waitSeconds) => (waitSeconds >= timeoutSeconds / size ? 1 : 0),
  };
}
