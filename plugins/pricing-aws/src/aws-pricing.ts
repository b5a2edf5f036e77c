import type { Architecture, InvocationUsage, LambdaPricingModel } from '@mbs/core';
import { billedMilliseconds, megabytesToGigabytes } from '@mbs/core';
import { errors } from './errors.js';

/** Lambda's on-demand price of one GB-second in USD (us-east-1, first tier), per architecture. */
export const AWS_LAMBDA_PRICE_USD_PER_GB_SECOND: Readonly<Record<Architecture, number>> = {
  x86_64: 0.0000166667,
  arm64: 0.0000133334,
};

/** Lambda's fee per invocation in USD: $0.20 per million requests. */
export const AWS_LAMBDA_REQUEST_FEE_USD = 0.2 / 1e6;

/** Options of {@link createAwsPricing}. */
export interface AwsPricingOptions {
  readonly architecture: Architecture;
  /**
   * Bill the init phase of cold starts: billed = ceil(duration + init), as Lambda does for
   * on-demand ZIP functions since 1 August 2025. Default true.
   */
  readonly billInitPhase?: boolean;
  /** Price of one GB-second in USD; defaults to Lambda's price for the architecture. */
  readonly priceUsdPerGbSecond?: number;
  /** Fee per invocation in USD; defaults to $0.0000002 ($0.20 per million). */
  readonly requestFeeUsd?: number;
}

const OPTION_KEYS = ['architecture', 'billInitPhase', 'priceUsdPerGbSecond', 'requestFeeUsd'];

function invalid(option: string, value: unknown, accepted: string): never {
  throw errors.error(
    'OPTION_INVALID',
    `option ${option} is ${JSON.stringify(value)}; accepted: ${accepted}`,
    { details: { option, value } },
  );
}

function checkOptions(options: AwsPricingOptions): Required<AwsPricingOptions> {
  if (typeof options !== 'object' || options === null) {
    invalid('(options)', options, 'an object with architecture "x86_64" or "arm64"');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) invalid(key, 'unknown', OPTION_KEYS.join(', '));
  }
  const { architecture, billInitPhase = true } = options;
  if (architecture !== 'x86_64' && architecture !== 'arm64') {
    invalid('architecture', architecture, '"x86_64" or "arm64"');
  }
  if (typeof billInitPhase !== 'boolean') invalid('billInitPhase', billInitPhase, 'true or false');
  const {
    priceUsdPerGbSecond = AWS_LAMBDA_PRICE_USD_PER_GB_SECOND[architecture],
    requestFeeUsd = AWS_LAMBDA_REQUEST_FEE_USD,
  } = options;
  if (!Number.isFinite(priceUsdPerGbSecond) || !(priceUsdPerGbSecond > 0)) {
    invalid('priceUsdPerGbSecond', priceUsdPerGbSecond, 'a finite number > 0');
  }
  if (typeof requestFeeUsd !== 'number' || !Number.isFinite(requestFeeUsd) || requestFeeUsd < 0) {
    invalid('requestFeeUsd', requestFeeUsd, 'a finite number >= 0');
  }
  return { architecture, billInitPhase, priceUsdPerGbSecond, requestFeeUsd };
}

/**
 * AWS Lambda pricing as a pricing plugin (`aws-x86` or `aws-arm64`): duration rounded up to 1 ms,
 * plus the init phase of cold starts when billed, times GB (MB / 1024) times the GB-second price,
 * plus the request fee.
 *
 * @example
 * ```ts
 * const pricing = createAwsPricing({ architecture: 'arm64' });
 * pricing.billedDurationMs({ durationMs: 395.99, initDurationMs: 265.72, memoryMb: 1024 }); // 662
 * pricing.invocationCostUsd({ durationMs: 812.4, memoryMb: 2048 }); // 813 ms x 2 GB x price + fee
 * ```
 */
export function createAwsPricing(options: AwsPricingOptions): LambdaPricingModel {
  const { architecture, billInitPhase, priceUsdPerGbSecond, requestFeeUsd } = checkOptions(options);
  const billingGranularityMs = 1;
  const billedDurationMs = (usage: InvocationUsage): number =>
    billedMilliseconds(
      usage.durationMs + (billInitPhase ? (usage.initDurationMs ?? 0) : 0),
      billingGranularityMs,
    );
  return {
    specificationVersion: 'v1',
    name: architecture === 'x86_64' ? 'aws-x86' : 'aws-arm64',
    description: `AWS Lambda ${architecture}: $${priceUsdPerGbSecond} per GB-s, $${requestFeeUsd * 1e6} per 1M requests, 1 ms billing${billInitPhase ? ', init billed' : ''}`,
    architecture,
    requestFeeUsd,
    priceUsdPerGbSecond,
    billingGranularityMs,
    billsInitPhase: billInitPhase,
    billedDurationMs,
    invocationCostUsd(usage) {
      return (
        (billedDurationMs(usage) / 1000) *
          megabytesToGigabytes(usage.memoryMb) *
          priceUsdPerGbSecond +
        requestFeeUsd
      );
    },
  };
}
