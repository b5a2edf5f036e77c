import { createRandom } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { batchCostBound } from './batch-cost-bound.js';

describe('batchCostBound', () => {
  it('never exceeds E[c(N)] / E[N] for batch-size laws within the mean cap', () => {
    const random = createRandom(7);
    for (let trial = 0; trial < 500; trial++) {
      const sizes = 1 + Math.floor(random.next() * 25);
      // Costs with a fee and a rising, uneven per-size part (not linear, not always convex).
      const fee = random.next() * 5;
      let running = fee;
      const bySize = Float64Array.from({ length: sizes }, () => {
        running += 0.2 + random.next() * 3;
        return running;
      });
      const bound = batchCostBound(bySize);
      const batchSize = 1 + Math.floor(random.next() * sizes);
      const weights = Array.from({ length: batchSize }, () => random.next() ** 3);
      const total = weights.reduce((sum, weight) => sum + weight, 0);
      const law = weights.map((weight) => weight / total);
      const mean = law.reduce((sum, p, index) => sum + p * (index + 1), 0);
      const cost = law.reduce((sum, p, index) => sum + p * bySize[index]!, 0) / mean;
      // Any cap at or above the true mean gives a bound under the cost.
      for (const cap of [mean, mean * 1.5, batchSize, Number.POSITIVE_INFINITY])
        expect(bound.perRequest(batchSize, cap)).toBeLessThanOrEqual(cost * (1 + 1e-12));
    }
  });

  it('is tight for linear costs when batches hold one request', () => {
    const bySize = Float64Array.from({ length: 10 }, (_, index) => 4 + 0.5 * (index + 1));
    // The naive bound min c(n)/n = c(10)/10 = 0.9; batches of one cost c(1) = 4.5.
    expect(batchCostBound(bySize).perRequest(10, 1)).toBeCloseTo(4.5, 12);
    expect(batchCostBound(bySize).perRequest(10, 10)).toBeCloseTo(0.9, 12);
  });
});
