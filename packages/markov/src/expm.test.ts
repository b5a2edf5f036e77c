import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expm } from './expm.js';
import { taylorExponential } from './testing/taylor-reference.js';

function relativeError(actual: Float64Array, expected: Float64Array): number {
  let difference = 0;
  let size = 0;
  for (let index = 0; index < expected.length; index++) {
    difference = Math.max(difference, Math.abs(actual[index]! - expected[index]!));
    size = Math.max(size, Math.abs(expected[index]!));
  }
  return difference / size;
}

/** A random generator of the given order with rates in [0, maxRate]. */
function randomGenerator(order: number, maxRate: number, seed: number): Float64Array {
  let state = seed;
  const uniform = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const values = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    let outflow = 0;
    for (let column = 0; column < order; column++) {
      if (row === column) continue;
      const rate = uniform() < 0.3 ? 0 : uniform() * maxRate;
      values[row * order + column] = rate;
      outflow += rate;
    }
    values[row * order + row] = -outflow;
  }
  return values;
}

describe('expm', () => {
  it('exponentiates a diagonal matrix entrywise', () => {
    const diagonal = [-30, -1, 0, 0.5, 4];
    const order = diagonal.length;
    const matrix = diagonal.map((value, row) =>
      diagonal.map((_, column) => (row === column ? value : 0)),
    );
    const result = expm(matrix);
    diagonal.forEach((value, index) => {
      expect(result[index * order + index]! / Math.exp(value)).toBeCloseTo(1, 13);
    });
    expect(result.filter((_, index) => index % (order + 1) !== 0).every((v) => v === 0)).toBe(true);
  });

  it('matches the closed form of a two-state generator for small and large t', () => {
    for (const [a, b, t] of [
      [1, 2, 0.001],
      [1, 2, 0.7],
      [0.3, 5, 40],
      [200, 3, 1.5],
    ] as const) {
      const decay = Math.exp(-(a + b) * t);
      const expected = Float64Array.from([
        (b + a * decay) / (a + b),
        (a - a * decay) / (a + b),
        (b - b * decay) / (a + b),
        (a + b * decay) / (a + b),
      ]);
      const result = expm([
        [-a * t, a * t],
        [b * t, -b * t],
      ]);
      expect(relativeError(result, expected)).toBeLessThan(1e-13);
    }
  });

  it('sums a nilpotent matrix series exactly (exp N = I + N + N^2 / 2)', () => {
    const [p, q, r] = [3, -2, 7];
    const result = expm([
      [0, p, q],
      [0, 0, r],
      [0, 0, 0],
    ]);
    const expected = Float64Array.from([1, p, q + (p * r) / 2, 0, 1, r, 0, 0, 1]);
    expect(relativeError(result, expected)).toBeLessThan(1e-14);
  });

  it('agrees with a high-order Taylor reference on random matrices of norm up to 40', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 1e-4, max: 40, noNaN: true }),
        fc.integer(),
        (order, norm, seed) => {
          const generator = randomGenerator(order, 1, seed);
          // A shifted, non-Metzler perturbation so the test is not only about generators.
          const matrix = generator.map((value, index) => value + (((index * 7919) % 13) - 6) / 13);
          let size = 0;
          for (const value of matrix) size = Math.max(size, Math.abs(value));
          const scaled = matrix.map((value) => (value / (size || 1)) * (norm / order));
          expect(relativeError(expm(scaled), taylorExponential(scaled, order))).toBeLessThan(1e-10);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps the rows of exp(Q t) stochastic for a generator of order 50', () => {
    const order = 50;
    const generator = randomGenerator(order, 4, 12345);
    const result = expm(generator);
    for (let row = 0; row < order; row++) {
      let sum = 0;
      for (let column = 0; column < order; column++) {
        expect(result[row * order + column]!).toBeGreaterThan(-1e-14);
        sum += result[row * order + column]!;
      }
      expect(sum).toBeCloseTo(1, 12);
    }
    expect(relativeError(result, taylorExponential(generator, order))).toBeLessThan(1e-11);
  });

  it('refuses non-finite entries', () => {
    expect(() => expm([[Number.POSITIVE_INFINITY]])).toThrow(/non-finite/);
  });
});
