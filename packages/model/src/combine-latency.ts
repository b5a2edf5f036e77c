import type { ServiceTimeProfile } from '@mbs/core';
import { MbsError } from '@mbs/core';
import {
  type ClassMix,
  classMixFromShares,
  largestClassProbabilities,
  serviceTimeTable,
} from './class-mix.js';
import { type LatencyComponent, LatencyDistribution } from './latency-distribution.js';
import type { WaitLaw } from './wait-law.js';

/** What fixes a buffer's service times besides its wait law. */
export interface ServiceOptions {
  /** Share of each class among the buffer's requests, indexed by class id; sums to 1. */
  readonly classShares: readonly number[];
  readonly profile: ServiceTimeProfile;
  /** M: memory of the buffer's function in MB. */
  readonly memoryMb: number;
}

/** Latency of one buffer's requests: over all of them and per class. */
export interface BufferLatency {
  readonly mix: ClassMix;
  /** `serviceSeconds[i][n - 1]`: service time with the mix's i-th class largest, batch of n. */
  readonly serviceSeconds: readonly (readonly number[])[];
  /** Latency of an arbitrary request of the buffer. */
  readonly overall: LatencyDistribution;
  /** Latency of a request of `classId` (computed on first use). */
  byClass(classId: number): LatencyDistribution;
}

/**
 * Combines a wait law with the class mix and the profile into latency distributions. Given its
 * batch size n, a request's wait is independent of the classes in its batch (classes are
 * independent marks), and the other n − 1 classes are iid from the mix, so for a request of class
 * k, P(largest = c) = 1{c ≥ k} (F(c)^{n−1} − F(c⁻)^{n−1}) with F(k⁻) read as 0 at c = k.
 *
 * @example
 * ```ts
 * const latency = combineLatency(computeWaitLaw(map, 10, 0.2), { classShares, profile, memoryMb: 2048 });
 * latency.overall.percentile(0.95);
 * ```
 */
export function combineLatency(law: WaitLaw, options: ServiceOptions): BufferLatency {
  const mix = classMixFromShares(options.classShares);
  const service = serviceTimeTable(options.profile, mix, options.memoryMb, law.batchSize);
  // One component per (batch size n, largest class): the wait law of n shifted by the service time.
  const latencyOf = (largestOfSize: (size: number) => readonly number[]) => {
    const components: LatencyComponent[] = [];
    for (let size = 1; size <= law.batchSize; size++) {
      const requestShare = law.requestShareByBatchSize[size - 1]!;
      if (requestShare <= 0) continue;
      largestOfSize(size).forEach((probability, index) => {
        if (probability > 0) {
          components.push({
            law,
            batchSize: size,
            shiftSeconds: service[index]![size - 1]!,
            weight: requestShare * probability,
          });
        }
      });
    }
    return new LatencyDistribution(components);
  };
  const overall = latencyOf((size) => largestClassProbabilities(mix, size));
  const perClass = new Map<number, LatencyDistribution>();
  return {
    mix,
    serviceSeconds: service,
    overall,
    byClass(classId: number): LatencyDistribution {
      const cached = perClass.get(classId);
      if (cached) return cached;
      const own = mix.classIds.indexOf(classId);
      if (own < 0) {
        throw new MbsError(
          'OPTION_INVALID',
          `[@mbs/model] class ${classId} has no share in this buffer; classes present: ${mix.classIds.join(', ')}`,
          { details: { classId } },
        );
      }
      // The request itself is of class k; the other n − 1 are draws from the mix.
      const distribution = latencyOf((size) => largestClassProbabilities(mix, size - 1, own));
      perClass.set(classId, distribution);
      return distribution;
    },
  };
}
