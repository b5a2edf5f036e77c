import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createModelEvaluator } from '../model-evaluator.js';
import { createFrontierStrategy } from '../strategies/strategies.js';
import { randomProblem } from '../testing/random-workload.js';
import { createMapSampleReplay } from './map-sample-replay.js';

const problem = randomProblem(3, 5);
const workload = {
  map: problem.map,
  classShares: problem.classShares,
  representativeSizes: problem.classRepresentativeSizes,
};
const options = { profile: problem.profile, pricing: problem.pricing, requests: 40_000 };

describe('createMapSampleReplay', () => {
  it("replays the model's own MAP within a few standard errors of the model, the same for a seed", async () => {
    const solution = await createFrontierStrategy({
      createEvaluator: createModelEvaluator,
    }).search(problem);
    const replay = createMapSampleReplay(workload, { ...options, seed: 7 });
    const measured = replay(solution.system, 0.95);
    expect(measured.requests).toBe(40_000);
    const error = measured.standardErrorSeconds!;
    expect(error).toBeGreaterThan(0);
    // The p95 of 40,000 requests is good to a few per cent, not to a part in a thousand.
    expect(error).toBeLessThan(0.05 * solution.latencyPercentile);
    expect(Math.abs(measured.percentileSeconds - solution.latencyPercentile)).toBeLessThan(
      4 * error,
    );
    expect(measured.costPerRequestUsd).toBeCloseTo(solution.costPerRequestUsd, 6);
    expect(replay(solution.system, 0.95)).toEqual(measured);
    const other = createMapSampleReplay(workload, { ...options, seed: 8 })(solution.system, 0.95);
    expect(other.percentileSeconds).not.toBe(measured.percentileSeconds);
  }, 60_000);

  it('rejects batches too small to estimate a percentile, naming the option', () => {
    const error = (() => {
      try {
        createMapSampleReplay(workload, { ...options, seed: 7, batches: 50 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    expect(String((error as Error).message)).toContain(
      'option batches: 50; give an integer >= 2 with at least 1000 of the 40000 requests per batch',
    );
    expect(() => createMapSampleReplay(workload, { ...options, requests: 0, seed: 7 })).toThrow(
      /option requests: 0; give an integer >= 1/,
    );
  });
});
