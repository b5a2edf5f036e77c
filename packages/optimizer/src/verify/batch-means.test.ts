import { createRandom, studentTQuantile } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createLatencyStretches, exceedancePredictionMargin } from './batch-means.js';

describe('createLatencyStretches', () => {
  it('gives the share over a latency with the batch-means standard error of the stretch shares', () => {
    // Three stretches of four: 1, 2 and 0 latencies over 0.5 s; a remainder of one over 0.5 s.
    const latencies = Float64Array.from([
      0.1, 0.9, 0.2, 0.3, 0.6, 0.4, 0.7, 0.1, 0.2, 0.3, 0.4, 0.1, 0.8,
    ]);
    const stretches = createLatencyStretches(latencies, 3);
    const estimate = stretches.exceedance(0.5);
    expect(estimate.share).toBeCloseTo(4 / 13, 12);
    // Stretch shares 0.25, 0.5, 0: mean 0.25, sample variance 0.0625, over 3 stretches.
    expect(estimate.standardError).toBeCloseTo(Math.sqrt(0.0625 / 3), 12);
    expect(estimate.stretches).toBe(3);
    // A latency equal to the bound is not over it.
    expect(stretches.exceedance(0.9).share).toBe(0);
    expect(stretches.quantile(0.5)).toBe(0.3);
    expect(stretches.quantile(1)).toBe(0.9);
    // The input is copied, not reordered.
    expect(latencies[1]).toBe(0.9);
  });

  it('has no spread when every stretch has the same share', () => {
    const latencies = Float64Array.from({ length: 48 }, (_, index) => (index % 4 === 0 ? 2 : 1));
    const estimate = createLatencyStretches(latencies, 4).exceedance(1.5);
    expect(estimate.share).toBe(0.25);
    expect(estimate.standardError).toBe(0);
  });
});

/**
 * Latencies with a step and bursts: a hidden on/off state (stays with probability 0.95), and a
 * latency of 2 (over the bound 1.5) with probability 0.2 when on, 0.01 when off; else 1.
 */
function burstyLatencies(random: { next(): number }, length: number): Float64Array {
  let on = random.next() < 0.5;
  const latencies = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    if (random.next() < 0.05) on = !on;
    latencies[index] = random.next() < (on ? 0.2 : 0.01) ? 2 : 1;
  }
  return latencies;
}

describe('exceedancePredictionMargin', () => {
  it('is t(confidence, stretches - 1) x standard error x sqrt(1 + 1 / length ratio)', () => {
    const estimate = { share: 0.04, standardError: 0.003, stretches: 10 };
    expect(exceedancePredictionMargin(estimate, 0.9)).toBeCloseTo(1.383 * 0.003 * Math.SQRT2, 5);
    expect(exceedancePredictionMargin(estimate, 0.5)).toBe(0);
    // A later stretch a quarter as long: its own variance is 4x the replayed share's.
    expect(exceedancePredictionMargin(estimate, 0.9, 0.25)).toBeCloseTo(
      1.383 * 0.003 * Math.sqrt(5),
      5,
    );
  });

  it('covers the share of a later stretch of correlated traffic at its nominal confidence', () => {
    // Latencies with a step and bursts (see burstyLatencies). A first half is replayed in 10
    // stretches; the second half's share must stay under the first's plus the margin in about
    // 90 % of the runs (binomial noise over 2,000 runs: about ±0.7 %).
    const random = createRandom(11);
    const half = 2000;
    const runs = 2000;
    const confidence = 0.9;
    let covered = 0;
    let coveredWithoutFutureError = 0;
    for (let run = 0; run < runs; run++) {
      const latencies = burstyLatencies(random, 2 * half);
      const estimate = createLatencyStretches(latencies.subarray(0, half), 10).exceedance(1.5);
      const later = createLatencyStretches(latencies.subarray(half), 10).exceedance(1.5).share;
      if (later <= estimate.share + exceedancePredictionMargin(estimate, confidence)) covered++;
      const confidenceOnly = studentTQuantile(confidence, 9) * estimate.standardError;
      if (later <= estimate.share + confidenceOnly) coveredWithoutFutureError++;
    }
    expect(covered / runs).toBeGreaterThan(0.875);
    expect(covered / runs).toBeLessThan(0.925);
    // Without the later stretch's own error (no sqrt(2)) the bound covers far less often.
    expect(coveredWithoutFutureError / runs).toBeLessThan(0.84);
  });

  it('covers a shorter later stretch at its nominal confidence given the length ratio', () => {
    // The same bursty latencies; 4/5 replayed, the last fifth later (length ratio 1/4). The
    // sqrt(2) of equal lengths is too narrow for the short, noisier later stretch.
    const random = createRandom(12);
    const replayed = 3200;
    const later = 800;
    const runs = 2000;
    const confidence = 0.9;
    let covered = 0;
    let coveredAsIfEqual = 0;
    for (let run = 0; run < runs; run++) {
      const latencies = burstyLatencies(random, replayed + later);
      const estimate = createLatencyStretches(latencies.subarray(0, replayed), 10).exceedance(1.5);
      const share = createLatencyStretches(latencies.subarray(replayed), 10).exceedance(1.5).share;
      const margin = exceedancePredictionMargin(estimate, confidence, later / replayed);
      if (share <= estimate.share + margin) covered++;
      if (share <= estimate.share + exceedancePredictionMargin(estimate, confidence)) {
        coveredAsIfEqual++;
      }
    }
    expect(covered / runs).toBeGreaterThan(0.875);
    expect(covered / runs).toBeLessThan(0.925);
    expect(coveredAsIfEqual / runs).toBeLessThan(0.86);
  });
});
