import type { MarkovianArrivalProcess } from '@mbs/core';
import fc from 'fast-check';

/**
 * Random valid MAPs of order 1..maxOrder for property tests: d0 off-diagonal rates in [0, 5]
 * (a third of them zero), d1 rates in [0.01, 5] (so the phase process is irreducible), all
 * scaled by 10^[-2, 3] per second, and the diagonal set so rows of d0 + d1 sum to 0.
 */
export function arbitraryMap(maxOrder = 4): fc.Arbitrary<MarkovianArrivalProcess> {
  return fc.integer({ min: 1, max: maxOrder }).chain((order) =>
    fc
      .record({
        hidden: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 5, noNaN: true })), {
          minLength: order * order,
          maxLength: order * order,
        }),
        arrivals: fc.array(fc.double({ min: 0.01, max: 5, noNaN: true }), {
          minLength: order * order,
          maxLength: order * order,
        }),
        logScale: fc.double({ min: -2, max: 3, noNaN: true }),
      })
      .map(({ hidden, arrivals, logScale }) => buildMap(order, hidden, arrivals, 10 ** logScale)),
  );
}

function buildMap(
  order: number,
  hidden: readonly number[],
  arrivals: readonly number[],
  scale: number,
): MarkovianArrivalProcess {
  const d0: number[][] = [];
  const d1: number[][] = [];
  for (let row = 0; row < order; row++) {
    const hiddenRow: number[] = [];
    const arrivalRow: number[] = [];
    let outflow = 0;
    for (let column = 0; column < order; column++) {
      const hiddenRate = row === column ? 0 : hidden[row * order + column]! * scale;
      const arrivalRate = arrivals[row * order + column]! * scale;
      hiddenRow.push(hiddenRate);
      arrivalRow.push(arrivalRate);
      outflow += hiddenRate + arrivalRate;
    }
    hiddenRow[row] = -outflow;
    d0.push(hiddenRow);
    d1.push(arrivalRow);
  }
  return { d0, d1 };
}

/**
 * A MAP(2) in the canonical form of Bodrog et al. (2008) with a positive correlation decay
 * γ = a b: d0 = [[-λ1, (1-a)λ1], [0, -λ2]], d1 = [[aλ1, 0], [(1-b)λ2, bλ2]].
 */
export function canonicalMap2(
  rate1: number,
  rate2: number,
  a: number,
  b: number,
): MarkovianArrivalProcess {
  return {
    d0: [
      [-rate1, (1 - a) * rate1],
      [0, -rate2],
    ],
    d1: [
      [a * rate1, 0],
      [(1 - b) * rate2, b * rate2],
    ],
  };
}
