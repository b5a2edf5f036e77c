import type { InvocationRecord, PricingModel } from '@mbs/core';

/**
 * Cost in USD of one invocation record under a cost model: its `invocationCostUsd` of the
 * platform's billed duration (which already holds any billed init phase, so no init duration is
 * passed again) at the record's memory.
 */
export function billedInvocationCostUsd(
  invocation: Pick<InvocationRecord, 'billedDurationMs' | 'memorySizeMb'>,
  pricing: Pick<PricingModel, 'invocationCostUsd'>,
): number {
  return pricing.invocationCostUsd({
    durationMs: invocation.billedDurationMs,
    memoryMb: invocation.memorySizeMb,
  });
}
