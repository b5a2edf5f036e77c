import { describe, expect, it } from 'vitest';
import { gridSettings, RangeOutcomeCache } from './candidates.js';
import type { BufferEvaluator } from './evaluator.js';
import { gridBoundsReached } from './grid-bounds.js';
import { gridSearch } from './grid-search.js';
import { latencyFloor, rangeMissCaps, sureMissShares, underFloor } from './latency-floor.js';
import { createModelEvaluator } from './model-evaluator.js';
import type { OptimizationProblem } from './problem.js';
import { classPositions, classRange } from './ranges.js';
import { randomProblem } from './testing/random-workload.js';

const withSlo = (problem: OptimizationProblem, sloSeconds: number): OptimizationProblem => ({
  ...problem,
  constraint: { mode: 'latency', sloSeconds },
});

const search = (problem: OptimizationProblem, kind: 'dynamic-program' | 'enumerate') =>
  gridSearch(problem, {
    strategy: kind,
    partitionSearch: { kind },
    evaluator: createModelEvaluator(problem),
    refine: false,
  });

describe('latencyFloor', () => {
  for (const seed of [5, 6, 7]) {
    it(`bounds every solution's percentile from below (workload ${seed})`, () => {
      const problem = randomProblem(seed, 6);
      const floor = latencyFloor(problem);
      expect(floor.classSeconds).toHaveLength(6);
      for (const seconds of floor.classSeconds) expect(seconds).toBeGreaterThan(0);
      const solution = search(problem, 'dynamic-program');
      expect(solution.latencyPercentile).toBeGreaterThanOrEqual(
        floor.percentileSeconds * (1 - 1e-9),
      );
      expect(underFloor(problem, floor, floor.percentileSeconds * 0.99)).toBe(true);
      expect(underFloor(problem, floor, floor.percentileSeconds)).toBe(false);
    });

    it(`answers an SLO under the floor as the exhaustive bisection does (workload ${seed})`, () => {
      const problem = withSlo(randomProblem(seed, 6), 1e-4);
      const fast = search(problem, 'dynamic-program');
      // The reference: `enumerate` takes no shortcut and bisects the limit over full searches.
      const reference = search(problem, 'enumerate');
      expect(fast.feasible).toBe(false);
      expect(reference.feasible).toBe(false);
      expect(fast.latencyPercentile).toBeCloseTo(reference.latencyPercentile, 5);
      expect(fast.latencyPercentile).toBeCloseTo(latencyFloor(problem).percentileSeconds, 5);
      expect(fast.costPerRequestUsd).toBeLessThanOrEqual(reference.costPerRequestUsd * (1 + 1e-9));
    });

    it(`names batches of one that reach the floor, with their memories (workload ${seed})`, () => {
      const problem = randomProblem(seed, 6);
      const { batchesOfOne, percentileSeconds } = latencyFloor(problem);
      expect(batchesOfOne.percentileSeconds).toBeCloseTo(percentileSeconds, 9);
      expect(batchesOfOne.memoriesMb).toHaveLength(6);
      for (const memoryMb of batchesOfOne.memoriesMb) {
        expect(problem.bounds.memoriesMb).toContain(memoryMb);
      }
      // Without the arrival model: the floor reads neither the MAP nor the constraint.
      const { map: _map, constraint: _constraint, ...serviceOnly } = problem;
      expect(latencyFloor(serviceOnly).percentileSeconds).toBe(percentileSeconds);
    });
  }
});

describe('gridBoundsReached', () => {
  it('names the batching buffers on the largest T, and on the largest B while the profile allows more', () => {
    const base = randomProblem(9, 4);
    const loose = withSlo(base, 100);
    const solution = search(loose, 'dynamic-program');
    const hits = gridBoundsReached(loose, solution.buffers);
    const timeout = hits.find((hit) => hit.parameter === 'timeout');
    expect(timeout?.value).toBe(Math.max(...base.bounds.timeoutsSeconds));
    for (const index of timeout?.buffers ?? []) {
      expect(solution.buffers[index]!.settings.timeoutSeconds).toBe(timeout!.value);
    }
    expect(hits.length).toBeGreaterThan(0);
    expect(solution.gridBoundsReached).toEqual(hits);
    const capped = { ...loose, profile: { ...loose.profile, maxBatchSize: 16 } };
    expect(gridBoundsReached(capped, solution.buffers).map((hit) => hit.parameter)).not.toContain(
      'batchSize',
    );
  });
});

/** Screens every setting (no pruning), so fronts hold every candidate within the cap. */
function screeningAll(evaluator: BufferEvaluator): BufferEvaluator {
  return {
    evaluate: (range, settings) => evaluator.evaluate(range, settings),
    screen: (range, settings, limit) => evaluator.screen!(range, settings, limit),
    get evaluations() {
      return evaluator.evaluations;
    },
  };
}

describe('rangeMissCaps', () => {
  for (const seed of [3, 4]) {
    it(`caps a range by what the other classes surely miss, and drops only what fits no system (workload ${seed})`, () => {
      const problem = { ...randomProblem(seed, 5), percentile: 0.7 };
      const floor = latencyFloor(problem);
      // Just under the largest class's floor: that class misses in every configuration.
      const limit = floor.classSeconds[4]! * 0.999;
      const sure = sureMissShares(floor, problem.classShares, limit);
      expect(sure[4]).toBe(problem.classShares[4]);
      expect(sure[0]).toBe(0);
      const missCap = 1 - problem.percentile + 1e-9;
      const capOf = rangeMissCaps(problem, floor, missCap);
      const settings = gridSettings(problem.bounds);
      const all = new RangeOutcomeCache(screeningAll(createModelEvaluator(problem)), settings);
      const capped = new RangeOutcomeCache(createModelEvaluator(problem), settings, missCap, capOf);
      const positions = classPositions(5, problem.bounds.splitShares);
      let dropped = 0;
      for (let from = 0; from + 1 < positions.length; from++) {
        for (let to = from + 1; to < positions.length; to++) {
          const range = classRange(positions[from]!, positions[to]!);
          const every = all.front(range, limit);
          const own = range.portions.reduce(
            (sum, portion, offset) => sum + portion * sure[range.firstClass + offset]!,
            0,
          );
          // The bound holds: no setting of the range misses less than its own sure misses.
          expect(Math.min(...every.map((c) => c.miss))).toBeGreaterThanOrEqual(own - 1e-12);
          const cap = capOf(range, limit);
          expect(cap).toBeLessThanOrEqual(missCap);
          const kept = every.filter((c) => c.miss <= cap);
          dropped += every.filter((c) => c.miss <= missCap).length - kept.length;
          expect(capped.front(range, limit).map((c) => [c.settings, c.cost, c.miss])).toEqual(
            kept.map((c) => [c.settings, c.cost, c.miss]),
          );
        }
      }
      // The caps bite: some candidates within the budget fit no system.
      expect(dropped).toBeGreaterThan(0);
    });
  }
});
