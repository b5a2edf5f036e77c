import type { InvocationReport, PricingModel } from '@mbs/core';

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
  /** Absent when the provider reported no billed duration (an in-process function). */
  readonly billedDurationMs?: number;
  readonly memoryMb: number;
  readonly cold: boolean;
  readonly costUsd: number;
  readonly invocationId?: string;
}

/**
 * What an invocation cost, from the platform's record and the pricing plugin. Without a record
 * (the provider refused every attempt) nothing ran and nothing is billed; without pricing the
 * cost is unknown (NaN, written as null in JSON). A provider that reports no memory size (an
 * in-process function) is priced at the buffer's configured memory: the cost of the measured
 * duration on the priced platform.
 *
 * @param configuredMemoryMb the buffer's memory, used when the platform reported none
 */
export function invocationBilling(
  record: InvocationReport | undefined,
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
  const reportedMemoryMb = record.memorySizeMb;
  const memoryMb =
    reportedMemoryMb !== undefined && reportedMemoryMb > 0 ? reportedMemoryMb : configuredMemoryMb;
  const usage =
    record.initDurationMs === undefined
      ? { durationMs: record.durationMs, memoryMb }
      : { durationMs: record.durationMs, memoryMb, initDurationMs: record.initDurationMs };
  return {
    durationMs: record.durationMs,
    ...(record.billedDurationMs === undefined ? {} : { billedDurationMs: record.billedDurationMs }),
    memoryMb,
    cold: record.initDurationMs !== undefined,
    costUsd: pricing ? pricing.invocationCostUsd(usage) : Number.NaN,
    ...(record.requestId === undefined ? {} : { invocationId: record.requestId }),
  };
}
