import type { BufferConfiguration, ServiceTimeProfile, SystemConfiguration } from '@mbs/core';

/**
 * A profile for hand computation: 0.1 s per request in the batch plus 0.01 s per class of the
 * largest request, the same at every memory.
 */
export function linearProfile(classCount = 4, maxBatchSize = 32): ServiceTimeProfile {
  return {
    specificationVersion: 'v1',
    name: 'linear-test',
    memorySizesMb: [1024, 2048],
    maxBatchSize,
    classCount,
    interpolation: 'inverse-memory',
    memoryRangeMb: { min: 128, max: 10_240 },
    serviceTimeSeconds: (_memoryMb, largestClass, batchSize) =>
      0.1 * batchSize + 0.01 * largestClass,
  };
}

/** A buffer over whole classes with the given B, T and M. */
export function bufferOf(
  firstClass: number,
  lastClass: number,
  batchSize: number,
  timeoutSeconds: number,
  memoryMb = 1024,
  shares: { first?: number; last?: number } = {},
): BufferConfiguration {
  return {
    firstClass,
    lastClass,
    firstClassShare: shares.first ?? 1,
    lastClassShare: shares.last ?? 1,
    batchSize,
    timeoutSeconds,
    memoryMb,
  };
}

/** A one-buffer system over classes 0..classCount-1. */
export function singleBuffer(
  classCount: number,
  batchSize: number,
  timeoutSeconds: number,
  memoryMb = 1024,
): SystemConfiguration {
  return { buffers: [bufferOf(0, classCount - 1, batchSize, timeoutSeconds, memoryMb)] };
}
