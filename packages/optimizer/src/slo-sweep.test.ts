import { MbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { sweepSlos } from './slo-sweep.js';
import { createFrontierStrategy } from './strategies/strategies.js';
import { randomProblem } from './testing/random-workload.js';

describe('sweepSlos', () => {
  it('gives, by ascending SLO, what solving each SLO alone gives, and cost falls as the SLO loosens', async () => {
    const problem = randomProblem(11, 5);
    const slos = [2, 0.3, 0.6, 0.3];
    const messages: string[] = [];
    const frontier = await sweepSlos(problem, slos, {
      onProgress: (update) => messages.push(update.message ?? ''),
    });
    expect(frontier.map((point) => point.sloSeconds)).toEqual([0.3, 0.6, 2]);
    for (const { sloSeconds, solution } of frontier) {
      const alone = await createFrontierStrategy().search({
        ...problem,
        constraint: { mode: 'latency', sloSeconds },
      });
      expect(solution.system).toEqual(alone.system);
      expect(solution.costPerRequestUsd).toBe(alone.costPerRequestUsd);
    }
    for (let index = 1; index < frontier.length; index++) {
      expect(frontier[index]!.solution.costPerRequestUsd).toBeLessThanOrEqual(
        frontier[index - 1]!.solution.costPerRequestUsd,
      );
    }
    expect(messages.some((message) => message.startsWith('SLO 0.6 s (2 of 3)'))).toBe(true);
  });

  it('equals solving alone where the partition search goes coarse to fine and refines T and M', async () => {
    // 10 classes split at halves: 21 boundary positions, past the exact program's 17.
    const base = randomProblem(12, 10);
    const problem = {
      ...base,
      bounds: { ...base.bounds, refineTimeoutResolutionSeconds: 0.005 },
    };
    const frontier = await sweepSlos(problem, [0.5, 0.8, 1.5]);
    for (const { sloSeconds, solution } of frontier) {
      const alone = await createFrontierStrategy().search({
        ...problem,
        constraint: { mode: 'latency', sloSeconds },
      });
      expect(solution.feasible).toBe(true);
      expect(solution.system).toEqual(alone.system);
      expect(solution.costPerRequestUsd).toBe(alone.costPerRequestUsd);
      expect(solution.latencyPercentile).toBe(alone.latencyPercentile);
    }
  });

  it('refuses an SLO that is not positive seconds', async () => {
    await expect(sweepSlos(randomProblem(1, 3), [1, -2])).rejects.toThrow(MbsError);
    await expect(sweepSlos(randomProblem(1, 3), [Number.NaN])).rejects.toThrow(/give positive/);
  });
});
