import type { InvocationRecord, PricingModel } from '@mbs/core';

/**
 * Share of a padded batch's input that is padding: 1 - sum(sizes) / (count x largest size).
 * A batch of empty requests has no padding (0).
 */
export function paddingShare(sizes: readonly number[]): number {
  let total = 0;
  let largest = 0;
  for (const size of sizes) {
    total += size;
    if (size > largest) largest = size;
  }
  if (largest <= 0) return 0;
  return 1 - total / (sizes.length * largest);
}

/** The billing fields of a batch record. */
export interface InvocationBilling {
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memoryMb: number;
  readonly cold: boolean;
  readonly costUsd: number;
  readonly invocationId?: string;
}

/**
 * What an invocation cost, from the platform's record and the pricing plugin. Without a record
 * (the provider refused every attempt) nothing ran and nothing is billed; without pricing the
 * cost is unknown (NaN, written as null in JSON).
 *
 * @param configuredMemoryMb the buffer's memory, used when the platform reported none
 */
export function invocationBilling(
  record: InvocationRecord | undefined,
  configuredMemoryMb: number,
  pricing: PricingModel | undefined,
): InvocationBilling {
  if (record === undefined) {
    return {
      durationMs: 0,
      billedDurationMs: 0,
      memoryMb: configuredMemoryMb,
      cold: false,
      costUsd: 0,
    };
  }
  const memoryMb = record.memorySizeMb > 0 ? record.memorySizeMb : configuredMemoryMb;
  const usage =
    record.initDurationMs === undefined
      ? { durationMs: record.durationMs, memoryMb }
      : { durationMs: record.durationMs, memoryMb, initDurationMs: record.initDurationMs };
  return {
    durationMs: record.durationMs,
    billedDurationMs: record.billedDurationMs,
    memoryMb,
    cold: record.initDurationMs !== undefined,
    costUsd: pricing ? pricing.invocationCostUsd(usage) : Number.NaN,
    invocationId: record.requestId,
  };
}
