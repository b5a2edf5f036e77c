import type { ServiceTimeProfile } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { joinRecords } from './join-records.js';
import { serviceTimeAgreement } from './service-time-agreement.js';
import { summarizeRun } from './summarize-run.js';
import { TEST_PRICING, testBatch, testInvocation, testRequest } from './testing/records.js';

// 10 ms per request per class step, at any memory; batch sizes 1..8, classes 0..2.
const profile: ServiceTimeProfile = {
  specificationVersion: 'v1',
  name: 'ten-ms-steps',
  memorySizesMb: [1024, 2048],
  maxBatchSize: 8,
  classCount: 3,
  interpolation: 'inverse-memory',
  memoryRangeMb: { min: 1024, max: 2048 },
  serviceTimeSeconds: (_memoryMb, largestClass, batchSize) => 0.01 * batchSize * (largestClass + 1),
};

// Independent of the code under test: GB-ms priced per millisecond, plus the request fee.
const priced = (ms: number, memoryMb: number) =>
  ms * (memoryMb / 1024) * (TEST_PRICING.priceUsdPerGbSecond / 1000) + TEST_PRICING.requestFeeUsd;

// a: batch of 2 in class 0 at 1 GB, profile 20 ms, ran 30 ms (billed 31, rounded up);
// b: batch of 1 in class 1 at 2 GB, profile 20 ms, ran 50 ms; c: batch of 9, outside the profile;
// d: batch of 1 in class 2 at 1 GB, profile 30 ms, cold: ran 300 ms after a 500 ms init (billed 800).
const invocations = [
  testInvocation({ requestId: 'a', durationMs: 30, billedDurationMs: 31, memorySizeMb: 1024 }),
  testInvocation({ requestId: 'b', durationMs: 50, billedDurationMs: 50, memorySizeMb: 2048 }),
  testInvocation({ requestId: 'c', durationMs: 90, billedDurationMs: 90, memorySizeMb: 1024 }),
  testInvocation({
    requestId: 'd',
    durationMs: 300,
    initDurationMs: 500,
    billedDurationMs: 800,
    memorySizeMb: 1024,
  }),
];
const batches = [
  testBatch({ batchId: 'A', invocationId: 'a', size: 2, largestClass: 0, memoryMb: 1024 }),
  testBatch({ batchId: 'B', invocationId: 'b', size: 1, largestClass: 1, memoryMb: 2048 }),
  testBatch({ batchId: 'C', invocationId: 'c', size: 9, largestClass: 0, memoryMb: 1024 }),
  testBatch({ batchId: 'D', invocationId: 'd', size: 1, largestClass: 2, memoryMb: 1024 }),
];
const requests = [
  ...['A', 'A', 'B', 'D'].map((batchId, i) => testRequest({ requestId: `r${i}`, batchId })),
  ...Array.from({ length: 9 }, (_, i) => testRequest({ requestId: `c${i}`, batchId: 'C' })),
];

describe('serviceTimeAgreement', () => {
  it("sets each invocation's Duration and billed cost beside the profile's for its batch", () => {
    const { joined } = joinRecords(invocations, batches, requests);
    const agreement = serviceTimeAgreement(joined, profile, TEST_PRICING);
    expect(agreement.invocations).toBe(3);
    expect(agreement.uncovered).toBe(1);
    expect(agreement.coldStarts).toBe(1);
    // Durations of the warm ones only: a cold Duration is no service time.
    expect(agreement.measuredMeanMs).toBeCloseTo((30 + 50) / 2, 12);
    expect(agreement.profileMeanMs).toBeCloseTo((20 + 20) / 2, 12);
    expect(agreement.durationRatio).toBeCloseTo(2, 12);
    expect(agreement.measuredCostUsd).toBeCloseTo(
      priced(31, 1024) + priced(50, 2048) + priced(800, 1024),
      15,
    );
    expect(agreement.profileCostUsd).toBeCloseTo(
      priced(20, 1024) + priced(20, 2048) + priced(30, 1024),
      15,
    );
    expect(agreement.coldCostUsd).toBeCloseTo(priced(800, 1024), 15);
    expect(agreement.coldProfileCostUsd).toBeCloseTo(priced(30, 1024), 15);
  });

  it('sets the warm invocations in flight beside another batch apart from those that ran alone', () => {
    // [0, 10] holds [1, 2] and [3, 4] (not overlapping each other); [11, 12] runs alone.
    const spans = [
      [0, 10, 40],
      [1, 2, 30],
      [3, 4, 30],
      [11, 12, 10],
    ] as const;
    const pairs = spans.map(([dispatchedSeconds, endedSeconds, durationMs], i) => ({
      invocation: testInvocation({ requestId: `i${i}`, durationMs, memorySizeMb: 1024 }),
      batch: testBatch({ batchId: `b${i}`, dispatchedSeconds, endedSeconds, size: 1 }),
      requests: [],
    }));
    // Shuffled: the records need not be in dispatch order.
    const agreement = serviceTimeAgreement([...pairs].reverse(), profile, TEST_PRICING);
    expect(agreement.overlapped).toEqual({
      invocations: 3,
      measuredMeanMs: (40 + 30 + 30) / 3,
      profileMeanMs: 10,
    });
    expect(agreement.alone).toEqual({ invocations: 1, measuredMeanMs: 10, profileMeanMs: 10 });
  });

  it('gives NaN ratios, not a division by zero, when nothing is covered', () => {
    const agreement = serviceTimeAgreement([], profile, TEST_PRICING);
    expect(agreement.invocations).toBe(0);
    expect(agreement.durationRatio).toBeNaN();
  });
});

describe('summarizeRun with the profile', () => {
  it('prices the run at the profile: the compared invocations at its times, the others as billed', () => {
    const summary = summarizeRun({
      invocations,
      batches,
      requests,
      pricing: TEST_PRICING,
      profile,
    });
    const atProfile = priced(20, 1024) + priced(20, 2048) + priced(90, 1024) + priced(30, 1024);
    expect(summary.serviceTime?.costPerRequestAtProfileUsd).toBeCloseTo(atProfile / 13, 15);
    const warmAsBilled = priced(31, 1024) + priced(50, 2048) + priced(90, 1024) + priced(30, 1024);
    expect(summary.serviceTime?.costPerRequestWarmAsBilledUsd).toBeCloseTo(warmAsBilled / 13, 15);
    expect(summary.cost.perRequestUsd).toBeCloseTo(
      (priced(31, 1024) + priced(50, 2048) + priced(90, 1024) + priced(800, 1024)) / 13,
      15,
    );
    expect(
      summarizeRun({ invocations, batches, requests, pricing: TEST_PRICING }).serviceTime,
    ).toBe(undefined);
  });
});
