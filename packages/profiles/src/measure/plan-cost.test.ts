import { createLambdaLikePricing } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { estimatePlanCost } from './plan-cost.js';
import { planProfile } from './profile-plan.js';

describe('estimatePlanCost', () => {
  it('counts warm-ups, repetitions and one cold start per memory, and prices them', () => {
    const plan = planProfile({
      memoriesMb: [1024, 2048],
      batchSizes: [1, 8],
      classSizes: [10, 20],
    });
    const pricing = createLambdaLikePricing();
    const rule = { minRepetitions: 3, maxRepetitions: 10, relativeWidth: 0.1, confidence: 0.95 };
    const cost = estimatePlanCost(plan, {
      pricing,
      rule,
      warmUpInvocations: 1,
      expectedDurationMs: () => 100,
    });
    // Both memories are references here: every one of the 2 x 2 x 2 points is planned.
    expect(plan.points).toHaveLength(8);
    expect(cost.invocations).toEqual({ min: 8 * 4 + 2, max: 8 * 11 + 2 });
    expect(cost.durationSeconds.min).toBeCloseTo(34 * 0.1, 12);
    // 100 ms at 1 GB and 2 GB: 0.1 and 0.2 GB-s at USD 0.0000166667, plus USD 0.0000002 each.
    const perInvocation = (gb: number) => 0.1 * gb * 0.0000166667 + 0.0000002;
    expect(cost.priceUsd.min).toBeCloseTo(17 * perInvocation(1) + 17 * perInvocation(2), 12);
    const resumed = estimatePlanCost(plan, {
      pricing,
      rule,
      warmUpInvocations: 1,
      expectedDurationMs: () => 100,
      skip: (point) => point.memoryMb === 1024,
    });
    expect(resumed.invocations.min).toBe(4 * 4 + 1);
  });
});
