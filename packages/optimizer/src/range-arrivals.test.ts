import type { MarkovianArrivalProcess } from '@mbs/core';
import { arrivalRate, fitMap2 } from '@mbs/markov';
import { thinArrivalProcess } from '@mbs/model';
import { describe, expect, it } from 'vitest';
import { gridSettings } from './candidates.js';
import { systemPercentile } from './evaluator.js';
import { createModelEvaluator } from './model-evaluator.js';
import type { OptimizationProblem } from './problem.js';
import { type ClassRange, classPositions, classRange } from './ranges.js';
import { createExhaustiveStrategy, createFrontierStrategy } from './strategies/strategies.js';
import { randomProblem } from './testing/random-workload.js';

/** The stream the default evaluator gives a range: the MAP thinned to the range's share. */
function thinnedStream(problem: OptimizationProblem) {
  return (range: ClassRange): MarkovianArrivalProcess => {
    const share = range.portions.reduce(
      (sum, portion, offset) => sum + portion * problem.classShares[range.firstClass + offset]!,
      0,
    );
    // Rounded as the evaluator rounds shares, so both build the very same MAP.
    const rounded = Math.min(1, Number(share.toPrecision(12)));
    return rounded >= 1 ? problem.map : thinArrivalProcess(problem.map, rounded);
  };
}

function rangesOf(problem: OptimizationProblem): ClassRange[] {
  const positions = classPositions(problem.classShares.length, problem.bounds.splitShares);
  return [
    classRange(positions[0]!, positions[positions.length - 1]!),
    classRange(positions[0]!, positions[3]!),
    classRange(positions[3]!, positions[positions.length - 1]!),
    classRange(positions[2]!, positions[5]!),
  ];
}

describe('OptimizationProblem.rangeArrivals', () => {
  it('gives the default results when it returns the thinned MAP', async () => {
    for (const seed of [2, 5]) {
      const base = randomProblem(seed);
      const problem = { ...base, rangeArrivals: thinnedStream(base) };
      const reference = createModelEvaluator(base);
      const evaluator = createModelEvaluator(problem);
      const settings = gridSettings(base.bounds).filter((_, index) => index % 7 === 0);
      const limit = base.constraint.mode === 'latency' ? base.constraint.sloSeconds : 1;
      for (const range of rangesOf(base)) {
        const expected = reference.screen!(range, settings, limit);
        const screened = evaluator.screen!(range, settings, limit);
        screened.forEach((value, index) => {
          expect(Math.abs(value - expected[index]!)).toBeLessThanOrEqual(1e-12);
        });
        for (const setting of settings.slice(0, 6)) {
          const outcome = evaluator.evaluate(range, setting);
          const expectedOutcome = reference.evaluate(range, setting);
          expect(Math.abs(outcome.costPerRequestUsd - expectedOutcome.costPerRequestUsd)).toBe(0);
          expect(outcome.fractionWithin(limit)).toBe(expectedOutcome.fractionWithin(limit));
        }
      }
      for (const createStrategy of [createFrontierStrategy, createExhaustiveStrategy]) {
        const strategy = createStrategy({ createEvaluator: createModelEvaluator });
        const expected = await strategy.search(base);
        const solution = await strategy.search(problem);
        expect(
          Math.abs(solution.costPerRequestUsd - expected.costPerRequestUsd),
        ).toBeLessThanOrEqual(1e-12 * expected.costPerRequestUsd);
        expect(Math.abs(solution.latencyPercentile - expected.latencyPercentile)).toBeLessThan(
          1e-12 + 1e-9 * expected.latencyPercentile,
        );
        expect(solution.system).toEqual(expected.system);
      }
    }
  });

  it("raises a range's percentile when its own stream is burstier than the thinned MAP", () => {
    const base = randomProblem(3);
    const [, bursty, other] = rangesOf(base) as [ClassRange, ClassRange, ClassRange];
    const thinned = thinnedStream(base);
    const burstyMap = fitMap2({
      rate: arrivalRate(thinned(bursty)),
      scv: 4,
      lag1Autocorrelation: 0.3,
    }).map;
    const problem: OptimizationProblem = {
      ...base,
      rangeArrivals: (range) => (range.key === bursty.key ? burstyMap : thinned(range)),
    };
    const reference = createModelEvaluator(base);
    const evaluator = createModelEvaluator(problem);
    const setting = { batchSize: 8, timeoutSeconds: 0.2, memoryMb: 2048 };
    const percentileOf = (outcome: ReturnType<typeof evaluator.evaluate>) =>
      systemPercentile([{ ...outcome, requestShare: 1 }], 0.95, 1);
    const before = percentileOf(reference.evaluate(bursty, setting));
    const after = percentileOf(evaluator.evaluate(bursty, setting));
    expect(after).toBeGreaterThan(before * 1.05);
    expect(percentileOf(evaluator.evaluate(other, setting))).toBe(
      percentileOf(reference.evaluate(other, setting)),
    );
  });
});
