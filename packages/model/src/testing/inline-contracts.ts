import type { ServiceTimeProfile } from '@mbs/core';

/**
 * A small service-time profile for tests: time grows with the largest class and sub-linearly
 * with the batch size, and falls as 1 / memory.
 */
export function createTestProfile(classCount = 4, maxBatchSize = 32): ServiceTimeProfile {
  return {
    specificationVersion: 'v1',
    name: 'test-profile',
    memorySizesMb: [1024, 2048, 4096],
    maxBatchSize,
    classCount,
    interpolation: 'inverse-memory',
    memoryRangeMb: { min: 128, max: 10_240 },
    serviceTimeSeconds(memoryMb, largestClass, batchSize) {
      return (0.02 + 0.015 * (largestClass + 1) * batchSize ** 0.8) * (2048 / memoryMb);
    },
  };
}
