import type { MarkovianArrivalProcess, PricingModel, ServiceTimeProfile } from '@mbs/core';
import { type BatchServiceTable, createBatchServiceTable } from './batch-service-table.js';
import {
  type BatchComposition,
  type BufferCost,
  batchComposition,
  bufferCost,
  latencyDistribution,
} from './buffer-outcome.js';
import { type ClassMix, classMixFromShares } from './class-mix.js';
import { errors } from './errors.js';
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
  /** Latency of one class's requests (computed on first use). */
  latencyOfClass(classId: number): LatencyDistribution;
  /** Its batches: the wait law, the class mix and the law of a batch's largest class. */
  readonly composition: BatchComposition;
  /** Service time and cost of its batches at its memory. */
  readonly serviceTable: BatchServiceTable;
}

/** Checks that every class with a share has a finite representative size > 0. */
function checkRepresentativeSizes(mix: ClassMix, sizes: readonly number[]): void {
  for (const classId of mix.classIds) {
    const size = sizes[classId];
    if (size === undefined || !Number.isFinite(size) || size <= 0) {
      throw errors.error(
        'OPTION_INVALID',
        `option classRepresentativeSizes[${classId}]: got ${size}; each class with a share needs a finite size > 0`,
        { details: { option: 'classRepresentativeSizes', classId } },
      );
    }
  }
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
    throw errors.error(
      'OPTION_INVALID',
      `option waitLaw: computed for B=${given.batchSize}, T=${given.timeoutSeconds} s, ${given.approximation}; the buffer asks B=${options.batchSize}, T=${options.timeoutSeconds} s, ${approximation}`,
    );
  }
  const law =
    options.waitLaw ??
    computeWaitLaw(options.map, options.batchSize, options.timeoutSeconds, { approximation });
  const mix = classMixFromShares(options.classShares);
  const sizes = options.classRepresentativeSizes;
  if (sizes !== undefined) checkRepresentativeSizes(mix, sizes);
  const table = createBatchServiceTable(
    options.profile,
    options.pricing,
    options.memoryMb,
    law.batchSize,
  );
  const composition = batchComposition(law, mix);
  const latency = latencyDistribution(composition, table);
  const byClass = new Map<number, LatencyDistribution>();
  return {
    ...bufferCost(composition, table, sizes),
    waitLaw: law,
    batchSizeProbabilities: law.batchSizeProbabilities,
    meanBatchSize: law.meanBatchSize,
    latency,
    meanLatencySeconds: latency.meanSeconds,
    latencyOfClass(classId) {
      let distribution = byClass.get(classId);
      if (!distribution) {
        distribution = latencyDistribution(composition, table, classId);
        byClass.set(classId, distribution);
      }
      return distribution;
    },
    composition,
    serviceTable: table,
  };
}
