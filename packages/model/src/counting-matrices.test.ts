import { describe, expect, it } from 'vitest';
import { flattenArrivalProcess } from './arrival-process.js';
import { arrivalCountProbabilities, countingMatricesOverStep } from './counting-matrices.js';
import { burstyMap } from './reference-maps.js';

function poisson(k: number, mean: number): number {
  let value = Math.exp(-mean);
  for (let i = 1; i <= k; i++) value *= mean / i;
  return value;
}

/** e^{D0 t} by a many-step Taylor series on small steps: an independent check of P_0(t). */
function expmBySquaring(matrix: number[][], seconds: number): number[][] {
  const order = matrix.length;
  const steps = 1024;
  const h = seconds / steps;
  let step: number[][] = matrix.map((row, i) => row.map((_, j) => (i === j ? 1 : 0)));
  let term = step.map((row) => [...row]);
  for (let k = 1; k < 20; k++) {
    term = term.map((row) =>
      row.map((_, j) =>
        row.reduce((sum, value, inner) => sum + (value * matrix[inner]![j]! * h) / k, 0),
      ),
    );
    step = step.map((row, i) => row.map((value, j) => value + term[i]![j]!));
  }
  let result = step;
  for (let power = 1; power < steps; power *= 2) {
    result = result.map((row) =>
      row.map((_, j) => row.reduce((sum, value, inner) => sum + value * result[inner]![j]!, 0)),
    );
  }
  return result.map((row) => row.slice(0, order));
}

describe('countingMatricesOverStep', () => {
  it('on a Poisson stream gives Poisson probabilities and their integrals', () => {
    const rate = 7;
    const seconds = 0.4;
    const { probabilities, integrals } = countingMatricesOverStep(
      Float64Array.of(-rate),
      Float64Array.of(rate),
      1,
      rate,
      seconds,
      6,
    );
    for (let d = 0; d < 6; d++) {
      expect(probabilities[d]).toBeCloseTo(poisson(d, rate * seconds), 14);
      // ∫_0^t Pois(d; λu) du = P(Pois(λt) > d) / λ.
      let above = 1;
      for (let k = 0; k <= d; k++) above -= poisson(k, rate * seconds);
      expect(integrals[d]).toBeCloseTo(above / rate, 13);
    }
  });

  it('P_0(t) = e^{D0 t} and the levels of a MAP(2) carry all the mass', () => {
    const flat = flattenArrivalProcess(burstyMap);
    const seconds = 0.3;
    const levels = 100;
    const { probabilities } = countingMatricesOverStep(
      flat.hidden,
      flat.arrival,
      2,
      flat.uniformizationRate,
      seconds,
      levels,
    );
    const expected = expmBySquaring(burstyMap.d0 as number[][], seconds);
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 2; j++)
        expect(probabilities[i * 2 + j]).toBeCloseTo(expected[i]![j]!, 10);
      let rowMass = 0;
      for (let level = 0; level < levels; level++) {
        rowMass += probabilities[level * 4 + i * 2]! + probabilities[level * 4 + i * 2 + 1]!;
      }
      expect(rowMass).toBeCloseTo(1, 12);
    }
  });

  it('arrivalCountProbabilities agrees with the matrices contracted by α', () => {
    const flat = flattenArrivalProcess(burstyMap);
    const alpha = Float64Array.of(0.3, 0.7);
    const { probabilities } = countingMatricesOverStep(
      flat.hidden,
      flat.arrival,
      2,
      flat.uniformizationRate,
      0.2,
      10,
    );
    const counts = arrivalCountProbabilities(
      alpha,
      flat.hidden,
      flat.arrival,
      2,
      flat.uniformizationRate,
      0.2,
      10,
    );
    for (let level = 0; level < 10; level++) {
      let expected = 0;
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 2; j++) expected += alpha[i]! * probabilities[level * 4 + i * 2 + j]!;
      }
      expect(counts[level]).toBeCloseTo(expected, 14);
    }
  });
});
