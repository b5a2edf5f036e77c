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
 * A pricing model (objective plugin): what an invocation costs.
 *
 * @example
 * ```ts
 * const usd = pricing.invocationCostUsd({ durationMs: 812.4, memoryMb: 2048 });
 * ```
 */
export interface PricingModel extends PluginBase {
  readonly architecture: Architecture;
  /** Fee per invocation in USD, independent of its duration. */
  readonly requestFeeUsd: number;
  /** Price of one GB-second in USD. */
  readonly priceUsdPerGbSecond: number;
  /** Billing granularity in milliseconds (1 on Lambda since 2020). */
  readonly billingGranularityMs: number;
  /** Whether the init phase of cold starts is billed (Lambda does since August 2025). */
  readonly billsInitPhase: boolean;
  /** Billed milliseconds of one invocation (rounded up to the granularity). */
  billedDurationMs(usage: InvocationUsage): number;
  /** Total cost in USD of one invocation: billed duration x GB x price + request fee. */
  invocationCostUsd(usage: InvocationUsage): number;
}
