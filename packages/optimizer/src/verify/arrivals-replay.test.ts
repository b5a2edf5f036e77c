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
    expect(measured.latencyStretches).toBeUndefined();
  });

  it('measures how the percentile moves between stretches of the traffic with stretches', () => {
    const profile = createProfileStub(5);
    const pricing = createPricingStub();
    // 20 requests of class 0, then 20 of class 4, one per second: the two stretches' p95 are
    // the two classes' service times.
    const arrivals = Array.from({ length: 40 }, (_, index) => ({
      timeSeconds: index,
      size: index < 20 ? 1 : 5,
      classId: index < 20 ? 0 : 4,
    }));
    const system = {
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
    };
    const measured = createArrivalsReplay(arrivals, { profile, pricing, stretches: 2 })(
      system,
      0.95,
    );
    const gap = profile.serviceTimeSeconds(1024, 4, 1) - profile.serviceTimeSeconds(1024, 0, 1);
    expect(measured.standardErrorSeconds).toBeCloseTo(gap / 2, 12);
    // Half the requests are over a latency between the classes' service times: 0 and 1 by stretch.
    const between = profile.serviceTimeSeconds(1024, 0, 1) + gap / 2;
    const overBetween = measured.latencyStretches!.exceedance(between);
    expect(overBetween.share).toBe(0.5);
    expect(overBetween.standardError).toBeCloseTo(0.5, 12);
    expect(measured.latencyStretches!.quantile(0.95)).toBe(measured.percentileSeconds);
    expect(() => createArrivalsReplay(arrivals, { profile, pricing, stretches: 3 })).toThrow(
      /option stretches: 3; give an integer >= 2 with at least 20 of the 40 arrivals/,
    );
  });
});
