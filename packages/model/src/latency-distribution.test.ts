import { poissonMap } from '@mbs/markov';
import { describe, expect, it } from 'vitest';
import { LatencyDistribution } from './latency-distribution.js';
import { computeWaitLaw } from './wait-law.js';

describe('LatencyDistribution', () => {
  // Poisson, B = 2: a lone request waits exactly T; in a pair, waits follow the closed form.
  const rate = 20;
  const timeout = 0.1;
  const law = computeWaitLaw(poissonMap(rate), 2, timeout);
  const single = new LatencyDistribution([{ law, batchSize: 1, shiftSeconds: 0.05, weight: 1 }]);

  it('handles atoms: a lone request is always T + service', () => {
    expect(single.percentile(0.01)).toBeCloseTo(0.15, 6);
    expect(single.percentile(0.99)).toBeCloseTo(0.15, 6);
    expect(single.cdf(0.1499)).toBe(0);
    expect(single.meanSeconds).toBeCloseTo(0.15, 9);
  });

  it('inverts the closed-form CDF of a pair', () => {
    const pair = new LatencyDistribution([{ law, batchSize: 2, shiftSeconds: 0.02, weight: 1 }]);
    const full = 1 - Math.exp(-rate * timeout);
    for (const percentile of [0.6, 0.8, 0.95]) {
      // (1 − e^{−λw} + full) / (2 full) = p  →  w = −ln(1 + full − 2 p full) / λ.
      const wait = -Math.log(1 + full - 2 * percentile * full) / rate;
      expect(pair.percentile(percentile)).toBeCloseTo(0.02 + wait, 5);
    }
    expect(pair.percentile(0.3)).toBe(0.02);
  });

  it('mixes distributions by weight', () => {
    const other = new LatencyDistribution([{ law, batchSize: 1, shiftSeconds: 1, weight: 1 }]);
    const mixed = LatencyDistribution.mixture([single, other], [3, 1]);
    expect(mixed.cdf(0.5)).toBeCloseTo(0.75, 12);
    expect(mixed.percentile(0.7)).toBeCloseTo(0.15, 6);
    expect(mixed.percentile(0.8)).toBeCloseTo(1.1, 6);
    expect(() => mixed.percentile(1)).toThrow(/percentile/);
  });
});
