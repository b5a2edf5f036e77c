import type { PricingModel } from '@mbs/core';

/** Options of {@link createCloudRunPricing}; every price in USD. */
export interface CloudRunPricingOptions {
  readonly usdPerVcpuSecond?: number;
  readonly usdPerGibSecond?: number;
  readonly usdPerRequest?: number;
  /** Memory per vCPU in MB (default 2048). */
  readonly mbPerVcpu?: number;
  /** Billing step in ms (default 100). */
  readonly billingStepMs?: number;
}

/** A cost model `cloud-run`: vCPU-seconds and GiB-seconds in 100 ms steps plus a request fee. */
export declare function createCloudRunPricing(options?: CloudRunPricingOptions): PricingModel;
