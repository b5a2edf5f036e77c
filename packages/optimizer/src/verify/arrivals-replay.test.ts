import { describe, expect, it } from 'vitest';
import { createPricingStub, createProfileStub } from '../testing/contract-stubs.js';
import { createArrivalsReplay } from './arrivals-replay.js';

describe('createArrivalsReplay', () => {
  it('measures the percentile and mean cost of fixed arrivals, without a standard error', () => {
    const profile = createProfileStub(5);
    const pricing = createPricingStub();
    const arrivals = [0, 2, 4].map((classId, index) => ({
      timeSeconds: index,
      size: classId + 1,
      classId,
    }));
    const replay = createArrivalsReplay(arrivals, { profile, pricing });
    // B = 1: every request is its own batch, dispatched on arrival, so its latency is the
    // service time of its class; the nearest-rank p95 of three requests is the largest.
    const measured = replay(
      {
        buffers: [
          {
            firstClass: 0,
            firstClassShare: 1,
            lastClass: 4,
            lastClassShare: 1,
            batchSize: 1,
            timeoutSeconds: 0.01,
            memoryMb: 1024,
          },
        ],
      },
      0.95,
    );
    const serviceSeconds = (classId: number) => profile.serviceTimeSeconds(1024, classId, 1);
    expect(measured.requests).toBe(3);
    expect(measured.percentileSeconds).toBeCloseTo(serviceSeconds(4), 9);
    const meanCost =
      [0, 2, 4]
        .map((classId) =>
          pricing.invocationCostUsd({ durationMs: serviceSeconds(classId) * 1000, memoryMb: 1024 }),
        )
        .reduce((sum, cost) => sum + cost, 0) / 3;
    expect(measured.costPerRequestUsd).toBeCloseTo(meanCost, 15);
    expect(measured.standardErrorSeconds).toBeUndefined();
  });
});
