import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile } from './student-t.js';

// Two-sided 95 % and 99 % critical values from the standard tables (e.g. NIST/SEMATECH e-Handbook,
// table 1.3.6.7.2), to 3 decimals.
const TABLE_975: readonly [number, number][] = [
  [1, 12.706],
  [2, 4.303],
  [3, 3.182],
  [4, 2.776],
  [5, 2.571],
  [9, 2.262],
  [10, 2.228],
  [19, 2.093],
  [29, 2.045],
  [100, 1.984],
];
const TABLE_995: readonly [number, number][] = [
  [1, 63.657],
  [4, 4.604],
  [10, 3.169],
  [30, 2.75],
];

// The t density integrated by Simpson's rule from 0: an independent route to the CDF.
function simpsonCdf(t: number, nu: number): number {
  const logNormalizer =
    lgammaBySum((nu + 1) / 2) - lgammaBySum(nu / 2) - 0.5 * Math.log(nu * Math.PI);
  const density = (x: number) =>
    Math.exp(logNormalizer - ((nu + 1) / 2) * Math.log(1 + (x * x) / nu));
  const steps = 20_000;
  const h = t / steps;
  let sum = density(0) + density(t);
  for (let index = 1; index < steps; index++) sum += (index % 2 === 1 ? 4 : 2) * density(index * h);
  return 0.5 + (sum * h) / 3;
}

// ln Γ for integers and half-integers by its recurrence (exact arithmetic route, no Lanczos).
function lgammaBySum(x: number): number {
  let value = Number.isInteger(x) ? 0 : 0.5 * Math.log(Math.PI); // Γ(1) = 1, Γ(1/2) = √π
  for (let y = Number.isInteger(x) ? 1 : 0.5; y < x - 1e-9; y += 1) value += Math.log(y);
  return value;
}

describe('studentTQuantile', () => {
  it('matches the printed tables', () => {
    for (const [nu, value] of TABLE_975) {
      expect(studentTQuantile(0.975, nu)).toBeCloseTo(value, 2);
    }
    for (const [nu, value] of TABLE_995) {
      expect(studentTQuantile(0.995, nu)).toBeCloseTo(value, 2);
    }
  });

  it('has the closed forms of 1 and 2 degrees of freedom', () => {
    // ν = 1 is Cauchy: tan(π (p - 1/2)); ν = 2: (2p - 1) √(2 / (4 p (1 - p))).
    for (const p of [0.6, 0.9, 0.975, 0.999]) {
      expect(studentTQuantile(p, 1)).toBeCloseTo(Math.tan(Math.PI * (p - 0.5)), 8);
      expect(studentTQuantile(p, 2)).toBeCloseTo((2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 8);
    }
  });

  it('inverts a CDF integrated independently, and is odd', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.55, max: 0.995, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (p, nu) => {
          const t = studentTQuantile(p, nu);
          expect(simpsonCdf(t, nu)).toBeCloseTo(p, 6);
          expect(studentTQuantile(1 - p, nu)).toBeCloseTo(-t, 9);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('tends to the normal quantile and refuses bad arguments with NaN', () => {
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4);
    expect(studentTCdf(0, 7)).toBe(0.5);
    expect(studentTQuantile(1, 5)).toBeNaN();
    expect(studentTQuantile(0.9, 0)).toBeNaN();
  });
});
