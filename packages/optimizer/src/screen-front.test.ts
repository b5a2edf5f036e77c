import { describe, expect, it } from 'vitest';
import { gridSettings, RangeOutcomeCache } from './candidates.js';
import type { BufferEvaluator } from './evaluator.js';
import { createModelEvaluator } from './model-evaluator.js';
import { classPositions, classRange } from './ranges.js';
import { randomProblem } from './testing/random-workload.js';

/** The same evaluator without its pruned path: every setting screened, then the Pareto front. */
function withoutPruning(evaluator: BufferEvaluator): BufferEvaluator {
  return {
    evaluate: (range, settings) => evaluator.evaluate(range, settings),
    screen: (range, settings, limit) => evaluator.screen!(range, settings, limit),
    get evaluations() {
      return evaluator.evaluations;
    },
  };
}

describe('screenFront', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`keeps the very front of screening every setting, within the miss cap (workload ${seed})`, () => {
      const problem = randomProblem(seed, 5);
      const settings = gridSettings(problem.bounds);
      const missCap = 1 - problem.percentile + 1e-9;
      const pruned = createModelEvaluator(problem);
      const full = createModelEvaluator(problem);
      const prunedCache = new RangeOutcomeCache(pruned, settings, missCap);
      const fullCache = new RangeOutcomeCache(withoutPruning(full), settings, missCap);
      const positions = classPositions(problem.classShares.length, problem.bounds.splitShares);
      let checked = 0;
      for (const limit of [0.05, 0.2, 0.6, 5]) {
        for (let from = 0; from + 1 < positions.length; from++) {
          for (let to = from + 1; to < positions.length; to++) {
            const range = classRange(positions[from]!, positions[to]!);
            const expected = fullCache.front(range, limit);
            const found = prunedCache.front(range, limit);
            expect(found.map((c) => [c.settings, c.cost, c.miss])).toEqual(
              expected.map((c) => [c.settings, c.cost, c.miss]),
            );
            checked += expected.length;
          }
        }
      }
      expect(checked).toBeGreaterThan(0);
      // Pruning is the point: fewer latency evaluations than screening all.
      expect(pruned.evaluations).toBeLessThan(full.evaluations);
    });
  }
});
