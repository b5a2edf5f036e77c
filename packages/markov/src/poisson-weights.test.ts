import { describe, expect, it } from 'vitest';
import { MAX_UNIFORMIZATION_MEAN, poissonWeights } from './poisson-weights.js';

describe('poissonWeights', () => {
  it('matches e^{-m} m^k / k! and leaves less than the tolerance out', () => {
    for (const mean of [0.01, 0.25, 3, 40]) {
      const weights = poissonWeights(mean);
      let factorial = 1;
      for (let k = 0; k < Math.min(weights.probabilities.length, 20); k++) {
        if (k > 0) factorial *= k;
        expect(weights.probabilities[k]).toBeCloseTo((Math.exp(-mean) * mean ** k) / factorial, 14);
      }
      const total = weights.probabilities.reduce((sum, p) => sum + p, 0);
      expect(1 - total).toBeLessThan(1e-14);
      expect(weights.tails[0]).toBeCloseTo(1 - weights.probabilities[0]!, 14);
    }
  });

  it('does not underflow for large means (log space)', () => {
    const weights = poissonWeights(2000);
    const total = weights.probabilities.reduce((sum, p) => sum + p, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(weights.probabilities.length).toBeGreaterThan(2000);
  });
});

describe('poissonWeights bounds', () => {
  it('refuses means beyond MAX_UNIFORMIZATION_MEAN at once, with NUMERIC', () => {
    for (const mean of [
      MAX_UNIFORMIZATION_MEAN * 1.01,
      1e9,
      Number.POSITIVE_INFINITY,
      Number.NaN,
      -1,
    ]) {
      const started = performance.now();
      expect(() => poissonWeights(mean)).toThrow(/uniformization steps over one interval/);
      expect(performance.now() - started).toBeLessThan(1000);
    }
    expect(poissonWeights(MAX_UNIFORMIZATION_MEAN).truncatedMass).toBeLessThan(1e-15);
  });
});
