import type { PricingModel } from '@mbs/core';
import { MbsError, secondsToMilliseconds } from '@mbs/core';
import { type ClassMix, largestClassProbabilities } from './class-mix.js';
import type { WaitLaw } from './wait-law.js';

/** Cost, rate of invocations and padding of one buffer. */
export interface BufferCost {
  /** E[cost of one batch] in USD. */
  readonly costPerBatchUsd: number;
  /** E[cost per batch] / E[N], USD. */
  readonly costPerRequestUsd: number;
  /** Batches (invocations) per second: λ / E[N]. */
  readonly invocationsPerSecond: number;
  /** E[requests' real size per batch], in representative-size units (with sizes given). */
  readonly realElementsPerBatch?: number;
  /** E[n × representative size of the largest class] per batch (with sizes given). */
  readonly paddedElementsPerBatch?: number;
  /** Share of padded input elements: 1 − real / padded (with sizes given). */
  readonly paddingShare?: number;
}

/**
 * Expected cost per request, invocations per second and padding of one buffer. A batch of n
 * with largest class c costs `pricing.invocationCostUsd({ durationMs: s(c, n), memoryMb })`.
 */
export function bufferCost(
  law: WaitLaw,
  mix: ClassMix,
  serviceSeconds: readonly (readonly number[])[],
  pricing: PricingModel,
  memoryMb: number,
  classRepresentativeSizes?: readonly number[],
): BufferCost {
  let costPerBatchUsd = 0;
  let paddedElementsPerBatch = 0;
  for (let size = 1; size <= law.batchSize; size++) {
    const probability = law.batchSizeProbabilities[size - 1]!;
    if (probability <= 0) continue;
    largestClassProbabilities(mix, size).forEach((largest, index) => {
      if (largest <= 0) return;
      const durationMs = secondsToMilliseconds(serviceSeconds[index]![size - 1]!);
      costPerBatchUsd +=
        probability * largest * pricing.invocationCostUsd({ durationMs, memoryMb });
      const representative = classRepresentativeSizes?.[mix.classIds[index]!] ?? 0;
      paddedElementsPerBatch += probability * largest * size * representative;
    });
  }
  const base = {
    costPerBatchUsd,
    costPerRequestUsd: costPerBatchUsd / law.meanBatchSize,
    invocationsPerSecond: law.arrivalRatePerSecond / law.meanBatchSize,
  };
  if (classRepresentativeSizes === undefined) return base;
  let meanRepresentative = 0;
  mix.classIds.forEach((classId, index) => {
    const size = classRepresentativeSizes[classId];
    if (size === undefined || !Number.isFinite(size) || size <= 0) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/model] option classRepresentativeSizes[${classId}]: got ${size}; each class with a share needs a finite size > 0`,
        { details: { option: 'classRepresentativeSizes', classId } },
      );
    }
    meanRepresentative += mix.shares[index]! * size;
  });
  const realElementsPerBatch = law.meanBatchSize * meanRepresentative;
  return {
    ...base,
    realElementsPerBatch,
    paddedElementsPerBatch,
    paddingShare: 1 - realElementsPerBatch / paddedElementsPerBatch,
  };
}
