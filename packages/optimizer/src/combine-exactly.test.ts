import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Candidate, paretoFront } from './candidates.js';
import { combineExactly } from './combine-exactly.js';
import { classRange } from './ranges.js';

const range = classRange({ classId: 0, share: 0 }, { classId: 1, share: 0 });

function candidate(cost: number, miss: number): Candidate {
  const outcome = {
    requestShare: 1,
    costPerRequestUsd: cost,
    invocationsPerSecond: 1,
    paddingShare: 0,
    meanLatencySeconds: 0,
    fractionWithin: () => 1 - miss,
  };
  return {
    range,
    settings: { batchSize: 1, timeoutSeconds: 0, memoryMb: 128 },
    outcome,
    cost,
    miss,
  };
}

function bruteForce(lists: Candidate[][], budget: number): number {
  let best = Number.POSITIVE_INFINITY;
  const visit = (index: number, cost: number, miss: number) => {
    if (index === lists.length) {
      if (miss <= budget + 1e-12) best = Math.min(best, cost);
      return;
    }
    for (const option of lists[index]!) visit(index + 1, cost + option.cost, miss + option.miss);
  };
  visit(0, 0, 0);
  return best;
}

describe('combineExactly', () => {
  it('finds the brute-force optimum over Pareto fronts', () => {
    const option = fc.tuple(
      fc.double({ min: 0.1, max: 10, noNaN: true }),
      fc.double({ min: 0, max: 0.05, noNaN: true }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(option, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 0, max: 0.1, noNaN: true }),
        (raw, budget) => {
          const lists = raw.map((list) => list.map(([cost, miss]) => candidate(cost, miss)));
          const expected = bruteForce(lists, budget);
          const found = combineExactly(lists.map(paretoFront), budget);
          if (expected === Number.POSITIVE_INFINITY) expect(found).toBeUndefined();
          else {
            expect(found?.cost).toBeCloseTo(expected, 9);
            expect(found!.miss).toBeLessThanOrEqual(budget + 1e-12);
          }
        },
      ),
    );
  });

  it('keeps only undominated candidates in a front', () => {
    const front = paretoFront([
      candidate(5, 0),
      candidate(6, 0.01),
      candidate(3, 0.02),
      candidate(3, 0.03),
    ]);
    expect(front.map((entry) => [entry.cost, entry.miss])).toEqual([
      [5, 0],
      [3, 0.02],
    ]);
  });
});
