import type { LambdaPricingModel, ServiceTimeProfile } from '@mbs/core';
import { billedMilliseconds, megabytesToGigabytes } from '@mbs/core';

/** A linear profile implementing the contract, for search tests that do not read its numbers. */
export function createProfileStub(classCount: number): ServiceTimeProfile {
  return {
    specificationVersion: 'v1',
    name: 'linear-stub',
    memorySizesMb: [1024, 2048, 3072],
    maxBatchSize: 32,
    classCount,
    interpolation: 'inverse-memory',
    memoryRangeMb: { min: 128, max: 10_240 },
    serviceTimeSeconds: (memoryMb, largestClass, batchSize) =>
      (0.02 + 0.01 * (largestClass + 1) * batchSize) / (Math.min(memoryMb, 4096) / 1769),
  };
}

/** Lambda x86 prices, implementing the contract. */
export function createPricingStub(): LambdaPricingModel {
  const pricing: LambdaPricingModel = {
    specificationVersion: 'v1',
    name: 'x86-stub',
    architecture: 'x86_64',
    requestFeeUsd: 2e-7,
    priceUsdPerGbSecond: 1.66667e-5,
    billingGranularityMs: 1,
    billsInitPhase: false,
    billedDurationMs: ({ durationMs }) => billedMilliseconds(durationMs),
    invocationCostUsd: (usage) =>
      (pricing.billedDurationMs(usage) / 1000) *
        megabytesToGigabytes(usage.memoryMb) *
        pricing.priceUsdPerGbSecond +
      pricing.requestFeeUsd,
  };
  return pricing;
}
