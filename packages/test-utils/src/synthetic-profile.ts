import type { ServiceTimeProfile } from '@mbs/core';

/** Options of {@link createSyntheticProfile}. */
export interface SyntheticProfileOptions {
  /** Plugin name; default `test-profile`. */
  readonly name?: string;
  /** Classes 0..classCount − 1; default 4. */
  readonly classCount?: number;
  /** Largest batch size answered; default 32. */
  readonly maxBatchSize?: number;
  /** Seconds each class step adds per batch size^0.8 at 2048 MB; default 0.015. */
  readonly secondsPerClass?: number;
}

/**
 * A synthetic service-time profile for tests and validation runs, which may not depend on the
 * profile packages: (0.02 + secondsPerClass × (class + 1) × batch^0.8) × 2048 / memory seconds,
 * so time grows with the largest class, sub-linearly with the batch, and falls as 1 / memory.
 *
 * @example
 * ```ts
 * const profile = createSyntheticProfile({ classCount: 8, secondsPerClass: 0.008 });
 * profile.serviceTimeSeconds(2048, 3, 10);
 * ```
 */
export function createSyntheticProfile(options: SyntheticProfileOptions = {}): ServiceTimeProfile {
  const { name = 'test-profile', classCount = 4, maxBatchSize = 32 } = options;
  const secondsPerClass = options.secondsPerClass ?? 0.015;
  return {
    specificationVersion: 'v1',
    name,
    memorySizesMb: [1024, 2048, 4096],
    maxBatchSize,
    classCount,
    interpolation: 'inverse-memory',
    memoryRangeMb: { min: 128, max: 10_240 },
    serviceTimeSeconds(memoryMb, largestClass, batchSize) {
      return (0.02 + secondsPerClass * (largestClass + 1) * batchSize ** 0.8) * (2048 / memoryMb);
    },
  };
}
