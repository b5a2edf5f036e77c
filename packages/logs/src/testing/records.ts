import type { BatchRecord, InvocationRecord, RequestRecord } from '@mbs/core';

/** x86 us-east-1 first-tier prices, for tests. */
export const TEST_PRICING = {
  priceUsdPerGbSecond: 0.0000166667,
  requestFeeUsd: 0.2e-6,
  invocationCostUsd: ({ durationMs, memoryMb }: { durationMs: number; memoryMb: number }) =>
    (durationMs / 1000) * (memoryMb / 1024) * 0.0000166667 + 0.2e-6,
} as const;

/** A batch record with sensible defaults, for tests. */
export function testBatch(overrides: Partial<BatchRecord> & { batchId: string }): BatchRecord {
  return {
    buffer: 0,
    openedSeconds: 0,
    dispatchedSeconds: 0.1,
    endedSeconds: 0.2,
    size: 1,
    largestClass: 0,
    paddingShare: 0,
    durationMs: 100,
    billedDurationMs: 100,
    memoryMb: 1024,
    cold: false,
    costUsd: 0,
    reason: 'full',
    ...overrides,
  };
}

/** An invocation record with sensible defaults, for tests. */
export function testInvocation(
  overrides: Partial<InvocationRecord> & { requestId: string },
): InvocationRecord {
  return {
    functionName: 'fn',
    durationMs: 100,
    billedDurationMs: 100,
    memorySizeMb: 1024,
    maxMemoryUsedMb: 100,
    ...overrides,
  };
}

/** A request record with sensible defaults, for tests. */
export function testRequest(
  overrides: Partial<RequestRecord> & { requestId: string; batchId: string },
): RequestRecord {
  return {
    buffer: 0,
    classId: 0,
    size: 1,
    arrivalSeconds: 0,
    dispatchSeconds: 0,
    completionSeconds: 1,
    waitSeconds: 0,
    latencySeconds: 1,
    batchSize: 1,
    ...overrides,
  };
}
