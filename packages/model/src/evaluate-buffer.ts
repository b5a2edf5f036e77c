import type { MarkovianArrivalProcess, PricingModel, ServiceTimeProfile } from '@mbs/core';
import { MbsError } from '@mbs/core';
import { type BufferCost, bufferCost } from './buffer-cost.js';
import { type BufferLatency, combineLatency } from './combine-latency.js';
import type { LatencyDistribution } from './latency-distribution.js';
import { computeWaitLaw, type ModelApproximation, type WaitLaw } from './wait-law.js';

/** Options of {@link evaluateBuffer}. */
export interface EvaluateBufferOptions {
  /** Arrivals into this buffer, per second. */
  readonly map: MarkovianArrivalProcess;
  /** Share of each class among the buffer's requests, indexed by class id; sums to 1. */
  readonly classShares: readonly number[];
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  /** B. */
  readonly batchSize: number;
  /** T in seconds. */
  readonly timeoutSeconds: number;
  /** M in MB. */
  readonly memoryMb: number;
  /** Size each class pads to, indexed by class id; needed for the padding share. */
  readonly classRepresentativeSizes?: readonly number[];
  /** `exact` (default) or the MBS paper's `mbs` approximations. */
  readonly approximation?: ModelApproximation;
  /** A wait law already computed for (map, B, T, approximation), to skip that step. */
  readonly waitLaw?: WaitLaw;
}

/** What the model predicts for one buffer. */
export interface BufferEvaluation extends BufferCost {
  readonly waitLaw: WaitLaw;
  /** P(N = n) at index n − 1. */
  readonly batchSizeProbabilities: readonly number[];
  readonly meanBatchSize: number;
  /** Latency of an arbitrary request of the buffer. */
  readonly latency: LatencyDistribution;
  readonly meanLatencySeconds: number;
  /** Latency of one class's requests. */
  latencyOfClass(classId: number): LatencyDistribution;
  readonly bufferLatency: BufferLatency;
}

/**
 * Predicts batch sizes, latency distributions, cost per request, invocations per second and
 * padding of one buffer (dispatch at B requests or T seconds after the first).
 *
 * @example
 * ```ts
 * const result = evaluateBuffer({ map, classShares: [0.7, 0.3], profile, pricing,
 *   batchSize: 10, timeoutSeconds: 0.2, memoryMb: 2048 });
 * result.latency.percentile(0.95); // seconds
 * result.costPerRequestUsd;
 * ```
 */
export function evaluateBuffer(options: EvaluateBufferOptions): BufferEvaluation {
  const approximation = options.approximation ?? 'exact';
  const given = options.waitLaw;
  if (
    given &&
    (given.batchSize !== options.batchSize ||
      given.timeoutSeconds !== options.timeoutSeconds ||
      given.approximation !== approximation)
  ) {
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/model] option waitLaw: computed for B=${given.batchSize}, T=${given.timeoutSeconds} s, ${given.approximation}; the buffer asks B=${options.batchSize}, T=${options.timeoutSeconds} s, ${approximation}`,
    );
  }
  const law =
    options.waitLaw ??
    computeWaitLaw(options.map, options.batchSize, options.timeoutSeconds, { approximation });
  const latency = combineLatency(law, options);
  const cost = bufferCost(
    law,
    latency.mix,
    latency.serviceSeconds,
    options.pricing,
    options.memoryMb,
    options.classRepresentativeSizes,
  );
  return {
    ...cost,
    waitLaw: law,
    batchSizeProbabilities: law.batchSizeProbabilities,
    meanBatchSize: law.meanBatchSize,
    latency: latency.overall,
    meanLatencySeconds: latency.overall.meanSeconds,
    latencyOfClass: (classId) => latency.byClass(classId),
    bufferLatency: latency,
  };
}
