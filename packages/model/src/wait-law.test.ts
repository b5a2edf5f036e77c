import { poissonMap } from '@mbs/markov';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { burstyMap, twitterHourOneMap } from './reference-maps.js';
import { computeWaitLaw } from './wait-law.js';

function poissonProbability(k: number, mean: number): number {
  let logProbability = -mean;
  for (let i = 1; i <= k; i++) logProbability += Math.log(mean / i);
  return Math.exp(logProbability);
}

/** ∫_0^upper f(x) dx by composite Simpson with many panels: an independent quadrature. */
function integrate(f: (x: number) => number, upper: number, panels = 4000): number {
  const h = upper / panels;
  let sum = f(0) + f(upper);
  for (let i = 1; i < panels; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}

function gammaDensity(shape: number, rate: number, x: number): number {
  if (shape === 0) return 0;
  return poissonProbability(shape - 1, rate * x) * rate;
}

function gammaCdf(shape: number, rate: number, x: number): number {
  if (shape === 0) return x >= 0 ? 1 : 0;
  if (x <= 0) return 0;
  let below = 0;
  for (let k = 0; k < shape; k++) below += poissonProbability(k, rate * x);
  return 1 - below;
}

describe('computeWaitLaw on Poisson arrivals (closed forms)', () => {
  it('B = 2: P(N = 2) = 1 − e^{−λT} and the wait CDF of a full batch', () => {
    const rate = 20;
    const timeout = 0.2;
    const law = computeWaitLaw(poissonMap(rate), 2, timeout);
    const full = 1 - Math.exp(-rate * timeout);
    expect(law.batchSizeProbabilities[1]).toBeCloseTo(full, 12);
    for (const wait of [0, 0.003, 0.01, 0.05, 0.12, 0.199]) {
      // Opening waits τ ~ Exp(λ) given τ < T; the second waits 0.
      const expected = (1 - Math.exp(-rate * wait) + full) / (2 * full);
      expect(law.waitCdf(2, wait)).toBeCloseTo(expected, 5);
    }
    // A lone request waited exactly T.
    expect(law.waitCdf(1, timeout * 0.999)).toBe(0);
    expect(law.waitCdf(1, timeout)).toBe(1);
  });

  it('general B: N − 1 is Poisson(λT) truncated at B − 1', () => {
    const rate = 35;
    const timeout = 0.3;
    const batchSize = 12;
    const law = computeWaitLaw(poissonMap(rate), batchSize, timeout);
    let belowFull = 0;
    for (let size = 1; size < batchSize; size++) {
      const expected = poissonProbability(size - 1, rate * timeout);
      expect(law.batchSizeProbabilities[size - 1]).toBeCloseTo(expected, 12);
      belowFull += expected;
    }
    expect(law.batchSizeProbabilities[batchSize - 1]).toBeCloseTo(1 - belowFull, 12);
  });

  it('timed-out batches: the late requests arrived uniformly, so W | n < B is T·U w.p. (n−1)/n, T w.p. 1/n', () => {
    const timeout = 0.3;
    const law = computeWaitLaw(poissonMap(35), 12, timeout);
    for (let size = 1; size < 12; size++) {
      for (const wait of [0, 0.01, 0.1, 0.25, 0.2999]) {
        expect(law.waitCdf(size, wait)).toBeCloseTo(((size - 1) * wait) / (size * timeout), 7);
      }
      expect(law.meanWaitByBatchSize[size - 1]).toBeCloseTo(
        timeout * ((size - 1) / size / 2 + 1 / size),
        8,
      );
    }
  });

  it('full batches: the k-th request waits Gamma(B − k) given the batch filled by T', () => {
    const rate = 35;
    const timeout = 0.3;
    const batchSize = 6;
    const law = computeWaitLaw(poissonMap(rate), batchSize, timeout);
    const filled = law.batchSizeProbabilities[batchSize - 1]!;
    for (const wait of [0, 0.02, 0.08, 0.15, 0.29]) {
      // τ_k ~ Gamma(k − 1), the rest of the fill Y ~ Gamma(B − k) independent:
      // P(Y ≤ w, τ_k + Y ≤ T) = ∫_0^w f_Y(y) F_{τ_k}(T − y) dy (+ the atom of Y at 0 when k = B).
      let expected = filled; // the last request waits 0
      for (let request = 1; request < batchSize; request++) {
        const shapeBefore = request - 1;
        const shapeAfter = batchSize - request;
        expected += integrate(
          (y) => gammaDensity(shapeAfter, rate, y) * gammaCdf(shapeBefore, rate, timeout - y),
          wait,
        );
      }
      expect(law.waitCdf(batchSize, wait)).toBeCloseTo(expected / (batchSize * filled), 5);
    }
  });
});

describe('computeWaitLaw invariants', () => {
  const cases = [
    { name: 'Twitter hour 1', map: twitterHourOneMap, batchSize: 25, timeout: 0.5 },
    { name: 'bursty', map: burstyMap, batchSize: 10, timeout: 0.2 },
    { name: 'bursty small B', map: burstyMap, batchSize: 2, timeout: 0.05 },
  ];
  for (const { name, map, batchSize, timeout } of cases) {
    it(`${name}: probabilities sum to 1 and each conditional wait law ends at 1`, () => {
      const law = computeWaitLaw(map, batchSize, timeout);
      const total = law.batchSizeProbabilities.reduce((sum, p) => sum + p, 0);
      expect(total).toBeCloseTo(1, 12);
      expect(law.requestShareByBatchSize.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
      for (const p of law.batchSizeProbabilities) expect(p).toBeGreaterThanOrEqual(0);
      expect(law.openingPhaseDistribution.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 12);
      for (let size = 1; size <= batchSize; size++) {
        if (law.batchSizeProbabilities[size - 1]! < 1e-12) continue;
        // Just below T every request but a timed-out batch's opening one has waited less than T.
        const justBelow = law.waitCdf(size, timeout * (1 - 1e-12));
        expect(justBelow).toBeCloseTo(size < batchSize ? (size - 1) / size : 1, 6);
        expect(law.waitCdf(size, timeout)).toBe(1);
        let previous = -1;
        for (let step = 0; step <= 200; step++) {
          const value = law.waitCdf(size, (timeout * step) / 200);
          expect(value).toBeGreaterThanOrEqual(previous);
          previous = value;
        }
      }
    });
  }

  it('without batching (B = 1 or T = 0) every batch has one request and no wait', () => {
    for (const law of [computeWaitLaw(burstyMap, 1, 0.3), computeWaitLaw(burstyMap, 8, 0)]) {
      expect(law.batchSizeProbabilities[0]).toBe(1);
      expect(law.meanBatchSize).toBe(1);
      expect(law.meanWaitSeconds).toBe(0);
      expect(law.waitCdf(1, 0)).toBe(1);
    }
  });

  it('the table converges: doubling the grid moves the wait CDF by less than 1e-5', () => {
    for (const map of [twitterHourOneMap, burstyMap]) {
      const coarse = computeWaitLaw(map, 25, 0.5);
      const fine = computeWaitLaw(map, 25, 0.5, { gridIntervals: coarse.gridIntervals * 2 });
      let largest = 0;
      for (let size = 1; size <= 25; size++) {
        if (coarse.requestShareByBatchSize[size - 1]! < 1e-9) continue;
        for (let step = 0; step < 500; step++) {
          const wait = (0.5 * (step + 0.5)) / 500;
          largest = Math.max(
            largest,
            Math.abs(coarse.waitCdf(size, wait) - fine.waitCdf(size, wait)),
          );
        }
      }
      expect(largest).toBeLessThan(1e-5);
      expect(Math.abs(coarse.meanWaitSeconds - fine.meanWaitSeconds)).toBeLessThan(1e-7);
    }
  });

  it('the opening phase of a Poisson stream is its only phase', () => {
    expect(computeWaitLaw(poissonMap(5), 4, 0.1).openingPhaseDistribution).toEqual([1]);
  });

  it('rejects B < 1, T < 0 and an odd grid with OPTION_INVALID', () => {
    expect(() => computeWaitLaw(burstyMap, 0, 0.1)).toThrow(/batchSize/);
    expect(() => computeWaitLaw(burstyMap, 2, -1)).toThrow(/timeoutSeconds/);
    expect(() => computeWaitLaw(burstyMap, 2, 0.1, { gridIntervals: 33 })).toThrow(/gridIntervals/);
  });
});

describe('computeWaitLaw monotonicity (property)', () => {
  it('on Poisson arrivals, E[N] and E[W] grow with T and E[N] with B', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 200, noNaN: true }),
        fc.integer({ min: 2, max: 30 }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        (rate, batchSize, timeout) => {
          const map = poissonMap(rate);
          const base = computeWaitLaw(map, batchSize, timeout);
          const longer = computeWaitLaw(map, batchSize, timeout * 1.5);
          const larger = computeWaitLaw(map, batchSize + 1, timeout);
          expect(longer.meanBatchSize).toBeGreaterThanOrEqual(base.meanBatchSize - 1e-9);
          // Mean waits come from quadrature on the grid (relative error below 1e-6).
          const slack = 1e-6 * base.meanWaitSeconds;
          expect(longer.meanWaitSeconds).toBeGreaterThanOrEqual(base.meanWaitSeconds - slack);
          expect(larger.meanBatchSize).toBeGreaterThanOrEqual(base.meanBatchSize - 1e-9);
          expect(larger.meanWaitSeconds).toBeGreaterThanOrEqual(base.meanWaitSeconds - slack);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('on random MAP(2)s, E[N] grows with B and T', () => {
    const rate = fc.double({ min: 0.1, max: 50, noNaN: true });
    fc.assert(
      fc.property(
        fc.tuple(rate, rate, rate, rate, rate, rate),
        fc.integer({ min: 2, max: 20 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        ([switch01, switch10, arrive00, arrive01, arrive10, arrive11], batchSize, timeout) => {
          const map = {
            d0: [
              [-(switch01 + arrive00 + arrive01), switch01],
              [switch10, -(switch10 + arrive10 + arrive11)],
            ],
            d1: [
              [arrive00, arrive01],
              [arrive10, arrive11],
            ],
          };
          const base = computeWaitLaw(map, batchSize, timeout);
          expect(computeWaitLaw(map, batchSize + 1, timeout).meanBatchSize).toBeGreaterThanOrEqual(
            base.meanBatchSize - 1e-9,
          );
          expect(
            computeWaitLaw(map, batchSize, timeout * 1.5).meanBatchSize,
          ).toBeGreaterThanOrEqual(base.meanBatchSize - 1e-9);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('a batch of one under B > 1', () => {
  it('timed out: its request waited exactly T (CDF 0 below T, 1 at T; mean wait T)', () => {
    const law = computeWaitLaw(burstyMap, 6, 0.2);
    for (const wait of [0, 0.05, 0.1999]) expect(law.waitCdf(1, wait)).toBe(0);
    expect(law.waitCdf(1, 0.2)).toBe(1);
    expect(law.meanWaitByBatchSize[0]).toBeCloseTo(0.2, 9);
  });
});
