import { describe, expect, it } from 'vitest';
import {
  fitWorkResponse,
  identityResponse,
  isotonic,
  type ResponseTarget,
  responseAt,
  responseSlopeAt,
} from './work-response.js';

const WORKS = [166, 332, 664, 1328, 2656, 5312, 4096, 8192, 16384, 32768, 65536, 131072];

function targets(f: (work: number) => number, noise = 0): ResponseTarget[] {
  return WORKS.map((work, index) => ({
    work,
    logValue: Math.log(f(work)) + (index % 2 === 0 ? noise : -noise),
    weight: 1,
  }));
}

describe('work response', () => {
  it('is the identity, inside and beyond its knots, with slope 1', () => {
    const response = identityResponse(100, 5000);
    for (const work of [50, 100, 333, 5000, 20_000]) {
      expect(responseAt(response, work)).toBeCloseTo(work, 6);
      expect(responseSlopeAt(response, work)).toBeCloseTo(1, 9);
    }
  });

  it('keeps f(w) = w for targets of a proportional cost', () => {
    const fitted = fitWorkResponse(targets((work) => 3 * work))!;
    for (const work of WORKS) expect(responseAt(fitted.response, work) / work).toBeCloseTo(1, 6);
  });

  it('follows a regime change that no power law fits, and stays non-decreasing', () => {
    // 1.2 per unit below 2,500 units, 3.5 above (a runtime that changes regime), as measured.
    const knee = (work: number) => (work < 2500 ? 1.2 * work : 3.5 * work);
    const fitted = fitWorkResponse(targets(knee))!;
    const scale = responseAt(fitted.response, 131072) / knee(131072);
    for (const work of WORKS.filter((w) => w <= 1328 || w >= 5312)) {
      expect(responseAt(fitted.response, work) / (scale * knee(work))).toBeGreaterThan(0.93);
      expect(responseAt(fitted.response, work) / (scale * knee(work))).toBeLessThan(1.07);
    }
    const values = fitted.response.values;
    for (let index = 1; index < values.length; index++) {
      expect(values[index]!).toBeGreaterThanOrEqual(values[index - 1]!);
    }
    expect(fitted.freedom).toBeGreaterThan(2);
  });

  it('does not chase noise: alternating ±3 % stays near the line', () => {
    const fitted = fitWorkResponse(targets((work) => work, 0.03))!;
    for (const work of WORKS) {
      expect(Math.abs(responseAt(fitted.response, work) / work - 1)).toBeLessThan(0.06);
    }
  });

  it('needs three distinct works', () => {
    expect(
      fitWorkResponse([
        { work: 10, logValue: 1, weight: 1 },
        { work: 20, logValue: 2, weight: 1 },
        { work: 20, logValue: 2.1, weight: 1 },
      ]),
    ).toBeUndefined();
    expect(isotonic([3, 1, 2], [1, 1, 1])).toEqual([2, 2, 2]);
  });
});
