/**
 * Which model of the buffer to use: `exact` (the embedded opening-phase law and the exact wait
 * distribution) or `mbs` (the MBS paper's approximations: the stationary phase at a batch's
 * opening, and every request of a batch of n waiting T / n).
 */
export type ModelApproximation = 'exact' | 'mbs';

/**
 * The law of a request's wait in the buffer jointly with the size of its batch, for one buffer
 * fed by a MAP with batch size B and timeout T. It depends on (map, B, T) only, so the optimizer
 * reuses it across memory sizes and class mixes.
 */
export interface WaitLaw {
  readonly approximation: ModelApproximation;
  /** B. */
  readonly batchSize: number;
  /** T in seconds. */
  readonly timeoutSeconds: number;
  /** Requests per second into the buffer. */
  readonly arrivalRatePerSecond: number;
  /** Phase distribution just after the arrival that opens a batch. */
  readonly openingPhaseDistribution: readonly number[];
  /** P(N = n) over batches, at index n - 1. */
  readonly batchSizeProbabilities: readonly number[];
  /** E[N], requests per batch. */
  readonly meanBatchSize: number;
  /** Share of requests that travel in a batch of size n, n P(N = n) / E[N], at index n - 1. */
  readonly requestShareByBatchSize: readonly number[];
  /** E[W | the request's batch has size n] in seconds, at index n - 1. */
  readonly meanWaitByBatchSize: readonly number[];
  /** E[W] over requests, in seconds. */
  readonly meanWaitSeconds: number;
  /** Intervals of the grid on [0, T] the exact wait law is tabulated on (0 when not tabulated). */
  readonly gridIntervals: number;
  /** P(W ≤ waitSeconds | the request's batch has size n), for n in 1..B. */
  waitCdf(batchSize: number, waitSeconds: number): number;
}
