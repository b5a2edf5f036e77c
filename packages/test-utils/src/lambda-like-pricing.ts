import type { Architecture, InvocationUsage, LambdaPricingModel } from '@mbs/core';
import { billedMilliseconds, megabytesToGigabytes } from '@mbs/core';

/** Options of {@link createLambdaLikePricing}. */
export interface LambdaLikePricingOptions {
  /** Default x86_64 (USD 0.0000166667 per GB-second); arm64 costs USD 0.0000133334. */
  readonly architecture?: Architecture;
  /** Bill the init phase of cold starts with the duration; default true, as Lambda does. */
  readonly billsInitPhase?: boolean;
}

const PRICE_USD_PER_GB_SECOND: Readonly<Record<Architecture, number>> = {
  x86_64: 0.0000166667,
  arm64: 0.0000133334,
};

/**
 * Lambda-like pricing for the tests of packages, which may not depend on the pricing plugins:
 * 1 ms granularity, a GB-second price per architecture and a USD 0.0000002 request fee.
 *
 * @example
 * ```ts
 * const pricing = createLambdaLikePricing({ architecture: 'arm64' });
 * pricing.invocationCostUsd({ durationMs: 100, memoryMb: 1024 });
 * ```
 */
export function createLambdaLikePricing(
  options: LambdaLikePricingOptions = {},
): LambdaPricingModel {
  const { architecture = 'x86_64', billsInitPhase = true } = options;
  const priceUsdPerGbSecond = PRICE_USD_PER_GB_SECOND[architecture];
  const requestFeeUsd = 0.0000002;
  const billedDurationMs = (usage: InvocationUsage): number =>
    billedMilliseconds(usage.durationMs + (billsInitPhase ? (usage.initDurationMs ?? 0) : 0), 1);
  return {
    specificationVersion: 'v1',
    name: architecture === 'x86_64' ? 'test-lambda-x86' : 'test-lambda-arm64',
    architecture,
    requestFeeUsd,
    priceUsdPerGbSecond,
    billingGranularityMs: 1,
    billsInitPhase,
    billedDurationMs,
    invocationCostUsd: (usage) =>
      (billedDurationMs(usage) / 1000) *
        megabytesToGigabytes(usage.memoryMb) *
        priceUsdPerGbSecond +
      requestFeeUsd,
  };
}
