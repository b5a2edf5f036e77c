import type { PluginBase } from './plugin.js';

/** CPU architecture of a function, as Lambda names it. */
export type Architecture = 'x86_64' | 'arm64';

/** What one invocation used, as the provider bills it. */
export interface InvocationUsage {
  /** Handler duration in milliseconds (unrounded). */
  readonly durationMs: number;
  /** Configured memory in MB. */
  readonly memoryMb: number;
  /** Init duration of a cold start in milliseconds, if the invocation was cold. */
  readonly initDurationMs?: number;
}

/**
 * A cost model (pricing plugin): what an invocation costs. `invocationCostUsd` is the whole
 * contract: the model, the replay, the run records and `mbs logs summarize` all price through it,
 * so a non-linear or non-Lambda cost model is optimised and summarised alike. The other members
 * describe Lambda-style pricing and are optional.
 *
 * @example
 * ```ts
 * const usd = pricing.invocationCostUsd({ durationMs: 812.4, memoryMb: 2048 });
 * // A cost model of another platform: per vCPU-second (1 vCPU per 2 GB) and per request.
 * const perVcpu: PricingModel = {
 *   specificationVersion: 'v1',
 *   name: 'per-vcpu',
 *   invocationCostUsd: ({ durationMs, memoryMb }) =>
 *     (durationMs / 1000) * (memoryMb / 2048) * 0.000024 + 0.0000004,
 * };
 * ```
 */
export interface PricingModel extends PluginBase {
  /** Total cost in USD of one invocation (the one required member). */
  invocationCostUsd(usage: InvocationUsage): number;
  /** Billed milliseconds of one invocation; absent: not billed by duration steps. */
  billedDurationMs?(usage: InvocationUsage): number;
  /** Lambda-style: the CPU architecture priced. */
  readonly architecture?: Architecture;
  /** Lambda-style: fee per invocation in USD, independent of its duration. */
  readonly requestFeeUsd?: number;
  /** Lambda-style: price of one GB-second in USD. */
  readonly priceUsdPerGbSecond?: number;
  /** Lambda-style: billing granularity in milliseconds (1 on Lambda since 2020). */
  readonly billingGranularityMs?: number;
  /** Lambda-style: whether the init phase of cold starts is billed (Lambda does since August 2025). */
  readonly billsInitPhase?: boolean;
}

/**
 * The billed milliseconds of one invocation under a cost model: its `billedDurationMs` when it
 * has one, else the duration plus any init duration (what ran, unrounded).
 *
 * @example
 * ```ts
 * billedDurationOf(pricing, { durationMs: 812.4, memoryMb: 2048 }); // 813 with aws-x86
 * ```
 */
export function billedDurationOf(pricing: PricingModel, usage: InvocationUsage): number {
  return pricing.billedDurationMs
    ? pricing.billedDurationMs(usage)
    : usage.durationMs + (usage.initDurationMs ?? 0);
}

/** A cost model with every Lambda-style member present (what `createAwsPricing` returns). */
export type LambdaPricingModel = PricingModel &
  Required<
    Pick<
      PricingModel,
      | 'billedDurationMs'
      | 'architecture'
      | 'requestFeeUsd'
      | 'priceUsdPerGbSecond'
      | 'billingGranularityMs'
      | 'billsInitPhase'
    >
  >;
