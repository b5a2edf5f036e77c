import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeRun } from './summarize-run.js';
import { TEST_PRICING, testBatch, testInvocation, testRequest } from './testing/records.js';

// Independent of the code under test: GB-ms priced per millisecond.
function expectedCostUsd(billedMs: number, memoryMb: number): number {
  return (
    billedMs * (memoryMb / 1024) * (TEST_PRICING.priceUsdPerGbSecond / 1000) +
    TEST_PRICING.requestFeeUsd
  );
}

describe('summarizeRun', () => {
  it('prices 1000 invocations of 100 ms at 1 GB at the closed-form total', () => {
    const invocations = Array.from({ length: 1000 }, (_, i) =>
      testInvocation({ requestId: `i${i}` }),
    );
    const summary = summarizeRun({ invocations, batches: [], requests: [], pricing: TEST_PRICING });
    expect(summary.cost.fromBilledDurationsUsd).toBeCloseTo(1000 * (0.1 * 0.0000166667 + 2e-7), 12);
    expect(summary.cost.gbSeconds).toBeCloseTo(100, 9);
  });

  it('prices through the cost model, so a non-Lambda, non-linear one is summarised as it bills', () => {
    // Per vCPU-second (1 vCPU per 2 GB) with a 100 ms minimum, plus a per-request fee.
    const perVcpu = {
      invocationCostUsd: ({ durationMs, memoryMb }: { durationMs: number; memoryMb: number }) =>
        (Math.max(100, durationMs) / 1000) * (memoryMb / 2048) * 0.000024 + 4e-7,
    };
    const invocations = [
      testInvocation({ requestId: 'a', billedDurationMs: 40, memorySizeMb: 2048 }),
      testInvocation({ requestId: 'b', billedDurationMs: 1000, memorySizeMb: 4096 }),
    ];
    const summary = summarizeRun({ invocations, batches: [], requests: [], pricing: perVcpu });
    expect(summary.cost.fromBilledDurationsUsd).toBeCloseTo(
      0.1 * 1 * 0.000024 + 4e-7 + 1 * 2 * 0.000024 + 4e-7,
      15,
    );
  });

  it('matches the per-batch costs within 0.1 % and flags a 1 % discrepancy', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            billedDurationMs: fc.integer({ min: 1, max: 60_000 }),
            memoryMb: fc.integer({ min: 128, max: 10_240 }),
            size: fc.integer({ min: 1, max: 16 }),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        (batchShapes) => {
          const invocations = batchShapes.map((shape, i) =>
            testInvocation({
              requestId: `i${i}`,
              billedDurationMs: shape.billedDurationMs,
              memorySizeMb: shape.memoryMb,
            }),
          );
          const batches = batchShapes.map((shape, i) =>
            testBatch({
              batchId: `b${i}`,
              invocationId: `i${i}`,
              size: shape.size,
              billedDurationMs: shape.billedDurationMs,
              memoryMb: shape.memoryMb,
              costUsd: expectedCostUsd(shape.billedDurationMs, shape.memoryMb),
            }),
          );
          const requests = batchShapes.flatMap((shape, i) =>
            Array.from({ length: shape.size }, (_, j) =>
              testRequest({ requestId: `r${i}-${j}`, batchId: `b${i}` }),
            ),
          );
          const summary = summarizeRun({ invocations, batches, requests, pricing: TEST_PRICING });
          expect(summary.cost.withinTolerance).toBe(true);
          expect(summary.cost.matchedRelativeDifference).toBeLessThan(1e-9);
          expect(summary.cost.perRequestUsd * requests.length).toBeCloseTo(
            summary.cost.fromBatchRecordsUsd,
            12,
          );
          expect(summary.join.matched).toBe(batchShapes.length);

          const skewed = batches.map((batch, i) =>
            i === 0 ? { ...batch, costUsd: batch.costUsd * 1.01 } : batch,
          );
          const total = batches.reduce((sum, batch) => sum + batch.costUsd, 0);
          const skewedSummary = summarizeRun({
            invocations,
            batches: skewed,
            requests,
            pricing: TEST_PRICING,
          });
          const expectedGap = (batches[0]!.costUsd * 0.01) / (total + batches[0]!.costUsd * 0.01);
          expect(skewedSummary.cost.matchedRelativeDifference).toBeCloseTo(expectedGap, 12);
          expect(skewedSummary.cost.withinTolerance).toBe(expectedGap <= 0.001);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('reports latency quantiles of succeeded requests, padding, rates and the prediction gap', () => {
    const requests = Array.from({ length: 200 }, (_, i) =>
      testRequest({
        requestId: `r${i}`,
        batchId: `b${Math.floor(i / 2)}`,
        arrivalSeconds: i * 0.5,
        latencySeconds: (i % 100) + 1,
        ...(i === 199 ? { error: { code: 'FUNCTION_ERROR', message: 'boom' } } : {}),
      }),
    );
    const batches = Array.from({ length: 100 }, (_, i) =>
      testBatch({
        batchId: `b${i}`,
        invocationId: `i${i}`,
        size: 2,
        paddingShare: i % 2 === 0 ? 0.5 : 0,
        costUsd: expectedCostUsd(100, 1024),
      }),
    );
    const invocations = Array.from({ length: 100 }, (_, i) =>
      testInvocation({ requestId: `i${i}`, ...(i < 3 ? { initDurationMs: 200 } : {}) }),
    );
    const summary = summarizeRun({
      invocations,
      batches,
      requests,
      pricing: TEST_PRICING,
      prediction: {
        percentile: 0.99,
        latencyPercentileSeconds: 90,
        meanLatencySeconds: 50,
        costPerRequestUsd: 1e-6,
        invocationsPerSecond: 1,
        paddingShare: 0.25,
      },
    });
    // 199 successes: latencies 1..100 once and 1..99 again.
    expect(summary.requests).toEqual({ total: 200, succeeded: 199, failed: 1 });
    expect(summary.latencySeconds.p50).toBe(50);
    expect(summary.latencySeconds.p99).toBe(99);
    expect(summary.latencySeconds.max).toBe(100);
    expect(summary.padding.byRequestSizesShare).toBeCloseTo(0.25, 12);
    // No class sizes given: nothing to measure padding by class with, and no padding row.
    expect(summary.padding.byClass).toBeUndefined();
    expect(summary.invocations.coldStarts).toBe(3);
    expect(summary.runSeconds).toBeCloseTo(99.5, 12);
    expect(summary.invocations.perSecond).toBeCloseTo(100 / 99.5, 12);
    const byMetric = Object.fromEntries(summary.comparison!.map((entry) => [entry.metric, entry]));
    expect(byMetric.latencyPercentileSeconds!.measured).toBe(99);
    expect(byMetric.latencyPercentileSeconds!.relativeError).toBeCloseTo(0.1, 12);
    expect(byMetric.paddingShare).toBeUndefined();
    expect(byMetric.costPerRequestUsd!.measured).toBeCloseTo(
      (100 * expectedCostUsd(100, 1024)) / 200,
      15,
    );
  });

  it('measures padding by request sizes and by class, and compares the class one with the model', () => {
    // Class edges 10 and 100, each class padded to its edge. Batch a: sizes 2 and 8, both class 0.
    // Batch b: sizes 10 (class 0), 100 and 60 (class 1).
    const shapes = [
      {
        batchId: 'a',
        requests: [
          { size: 2, classId: 0 },
          { size: 8, classId: 0 },
        ],
      },
      {
        batchId: 'b',
        requests: [
          { size: 10, classId: 0 },
          { size: 100, classId: 1 },
          { size: 60, classId: 1 },
        ],
      },
    ];
    const requests = shapes.flatMap((batch) =>
      batch.requests.map((request, index) =>
        testRequest({ requestId: `${batch.batchId}${index}`, batchId: batch.batchId, ...request }),
      ),
    );
    // As the batcher records them: a pads to 8, 1 - 10 / 16 = 0.375; b to 100, 1 - 170 / 300.
    const batches = [
      testBatch({ batchId: 'a', invocationId: 'ia', size: 2, paddingShare: 0.375 }),
      testBatch({ batchId: 'b', invocationId: 'ib', size: 3, paddingShare: 130 / 300 }),
    ];
    const summary = summarizeRun({
      invocations: [testInvocation({ requestId: 'ia' }), testInvocation({ requestId: 'ib' })],
      batches,
      requests,
      pricing: TEST_PRICING,
      classRepresentativeSizes: [10, 100],
      prediction: {
        percentile: 0.5,
        latencyPercentileSeconds: 1,
        meanLatencySeconds: 1,
        costPerRequestUsd: 1e-6,
        invocationsPerSecond: 1,
        paddingShare: 0.25,
      },
    });
    // (a) request-weighted: (2 x 0.375 + 3 x 130/300) / 5 = 2.05 / 5.
    expect(summary.padding.byRequestSizesShare).toBeCloseTo(0.41, 12);
    // (b) a: real 10 + 10, padded 2 x 10; b: real 10 + 100 + 100, padded 3 x 100.
    // 1 - 230 / 320: batch a, padded by size, is not padded by class at all.
    expect(summary.padding.byClass).toEqual({
      share: expect.closeTo(0.28125, 12),
      realElements: 230,
      paddedElements: 320,
      batches: 2,
    });
    const padding = summary.comparison!.find((entry) => entry.metric === 'paddingShare')!;
    expect(padding.measured).toBeCloseTo(0.28125, 12);
    expect(padding.relativeError).toBeCloseTo(0.28125 / 0.25 - 1, 12);
  });
});
