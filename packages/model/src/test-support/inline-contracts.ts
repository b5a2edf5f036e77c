import type { PricingModel, ServiceTimeProfile } from '@mbs/core';
import { billedMilliseconds, megabytesToGigabytes } from '@mbs/core';

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

/** Lambda-like pricing for tests: 1 ms granularity, GB-second price and a request fee. */
export function createTestPricing(): PricingModel {
  const priceUsdPerGbSecond = 0.0000166667;
  const requestFeeUsd = 0.0000002;
  return {
    specificationVersion: 'v1',
    name: 'test-pricing',
    architecture: 'x86_64',
    requestFeeUsd,
    priceUsdPerGbSecond,
    billingGranularityMs: 1,
    billsInitPhase: false,
    billedDurationMs: (usage) => billedMilliseconds(usage.durationMs, 1),
    invocationCostUsd: (usage) =>
      (billedMilliseconds(usage.durationMs, 1) / 1000) *
        megabytesToGigabytes(usage.memoryMb) *
        priceUsdPerGbSecond +
      requestFeeUsd,
  };
}
