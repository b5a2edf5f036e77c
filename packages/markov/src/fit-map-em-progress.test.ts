import { createRandom } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { fitMapEm } from './fit-map-em.js';
import type { EmProgress } from './fit-map-em-options.js';

describe('fitMapEm onIteration', () => {
  it('reports every iteration by stage, counts within their totals, the likelihood of the result', () => {
    const random = createRandom(3);
    // Bursty gaps: runs of short and long exponential gaps.
    const gaps = Array.from(
      { length: 600 },
      (_, index) => -Math.log(1 - random.next()) * (Math.floor(index / 50) % 2 === 0 ? 0.1 : 1),
    );
    const seen: EmProgress[] = [];
    const fit = fitMapEm(gaps, { phases: 2, onIteration: (progress) => seen.push(progress) });
    const screening = seen.filter((progress) => progress.stage === 'screening');
    const fitting = seen.filter((progress) => progress.stage === 'fitting');
    expect(screening.length).toBeGreaterThan(0);
    expect(screening.at(-1)!.iteration).toBe(screening[0]!.iterations);
    for (const progress of seen) {
      expect(progress.iteration).toBeGreaterThanOrEqual(1);
      expect(progress.iteration).toBeLessThanOrEqual(progress.iterations);
      expect(Number.isFinite(progress.logLikelihood)).toBe(true);
    }
    // EM never lowers the likelihood while it continues the best structure.
    for (let index = 1; index < fitting.length; index++) {
      expect(fitting[index]!.logLikelihood).toBeGreaterThanOrEqual(
        fitting[index - 1]!.logLikelihood - 1e-6,
      );
    }
    expect(fit.logLikelihoodHistory).toContain(fitting.at(-1)?.logLikelihood);
  });
});
