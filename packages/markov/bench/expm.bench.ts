// Matrix exponential of a 50x50 generator (goal: thousands of evaluations per second), against a
// baseline measured in the same run: the naive Taylor series Σ A^k / k! summed until the next
// term is below 2^-53 of the sum. Cases at ‖A‖₁ ≈ 4 and ≈ 40; expmAction computes v exp(A).

import { createRandom } from '@mbs/core';
import { measure, printBenchTable } from '@mbs/test-utils';
import { expm, expmAction } from '../src/index.js';

const order = 50;

function generator(totalOutflow: number, seed: number): Float64Array {
  const random = createRandom(seed);
  const values = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    let outflow = 0;
    for (let column = 0; column < order; column++) {
      if (row === column || random.next() < 0.5) continue;
      const rate = random.next();
      values[row * order + column] = rate;
      outflow += rate;
    }
    for (let column = 0; column < order; column++)
      values[row * order + column]! *= totalOutflow / outflow;
    values[row * order + row] = -totalOutflow;
  }
  return values;
}

function naiveTaylor(matrix: Float64Array): Float64Array {
  const result = new Float64Array(order * order);
  let term = new Float64Array(order * order);
  let next = new Float64Array(order * order);
  for (let index = 0; index < order; index++) term[index * order + index] = 1;
  for (let k = 1; k < 500; k++) {
    result.set(result.map((value, index) => value + term[index]!));
    next.fill(0);
    for (let i = 0; i < order; i++) {
      for (let m = 0; m < order; m++) {
        const factor = term[i * order + m]! / k;
        if (factor === 0) continue;
        for (let j = 0; j < order; j++) next[i * order + j]! += factor * matrix[m * order + j]!;
      }
    }
    [term, next] = [next, term];
    let termSize = 0;
    let sumSize = 0;
    for (let index = 0; index < term.length; index++) {
      termSize += Math.abs(term[index]!);
      sumSize += Math.abs(result[index]!);
    }
    if (termSize < 2 ** -53 * sumSize) break;
  }
  return result;
}

const vector = new Float64Array(order).fill(1 / order);
let sink = 0;
const results = [];
for (const outflow of [2, 20]) {
  const matrix = generator(outflow, 7);
  const label = `‖A‖₁≈${2 * outflow}`;
  const reference = naiveTaylor(matrix);
  let largestGap = 0;
  const fast = expm(matrix);
  for (let index = 0; index < fast.length; index++) {
    largestGap = Math.max(largestGap, Math.abs(fast[index]! - reference[index]!));
  }
  console.log(`${label}: max |expm - naive Taylor| = ${largestGap.toExponential(2)}`);
  results.push(
    await measure(`naive Taylor 50x50 ${label}`, () => {
      sink += naiveTaylor(matrix)[0]!;
    }),
    await measure(`expm Padé 50x50 ${label}`, () => {
      sink += expm(matrix)[0]!;
    }),
    await measure(`expmAction v·exp(A) 50 ${label}`, () => {
      sink += expmAction(matrix, vector, 1)[0]!;
    }),
  );
}
printBenchTable('exp of a 50x50 generator (one evaluation per run)', results, results[0]!.name);
for (const result of results) {
  console.log(`${result.name}: ${(1000 / result.medianMs).toFixed(0)} evaluations per second`);
}
if (!Number.isFinite(sink)) console.log(sink);
