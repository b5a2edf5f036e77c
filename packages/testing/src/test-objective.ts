import type {
  Objective,
  ObjectiveSettings,
  PredictedConfiguration,
  PredictedLatency,
} from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectRegistrable } from './assert-registrable.js';

/**
 * A predicted configuration for objective tests: every request's latency (and each class's) is
 * exponential with the given mean, so quantiles have a closed form, at `costPerRequestUsd`.
 *
 * @example
 * ```ts
 * objective.assess(exponentialPrediction({ costPerRequestUsd: 8e-6, meanLatencySeconds: 0.3 }), { percentile: 0.95 });
 * ```
 */
export function exponentialPrediction(figures: {
  readonly costPerRequestUsd: number;
  readonly meanLatencySeconds: number;
  readonly classCount?: number;
}): PredictedConfiguration {
  const mean = figures.meanLatencySeconds;
  const latency: PredictedLatency = {
    fractionWithin: (seconds) => (seconds <= 0 ? 0 : 1 - Math.exp(-seconds / mean)),
    quantileSeconds: (probability) => -mean * Math.log(1 - probability),
  };
  const classCount = figures.classCount ?? 4;
  return {
    costPerRequestUsd: figures.costPerRequestUsd,
    invocationsPerSecond: 10,
    latency,
    classShares: Array.from({ length: classCount }, () => 1 / classCount),
    classLatency: (classId) => (classId >= 0 && classId < classCount ? latency : undefined),
  };
}

/**
 * The contract every objective plugin passes, on predictions with exponential latency: `assess`
 * returns a boolean `feasible`, a finite `score` and a finite `violation` >= 0 that is 0 exactly
 * when feasible; it is deterministic; `searchPercentiles` (when present) lists numbers in (0, 1);
 * and `standardForm` (when present) is a latency or cost form at a percentile in (0, 1).
 *
 * @example
 * ```ts
 * testObjective('latency-slo', () => createLatencySloObjective(), { percentile: 0.95, sloSeconds: 1 });
 * ```
 */
export function testObjective(
  label: string,
  create: () => Objective,
  settings: ObjectiveSettings,
): void {
  describe(`objective contract: ${label}`, () => {
    it('is a registrable v1 objective plugin', () => {
      expectRegistrable('objective', create());
    });

    it('assesses any prediction with a boolean verdict, a finite score and a violation that is 0 exactly when feasible', () => {
      const objective = create();
      fc.assert(
        fc.property(
          fc.double({ min: 1e-9, max: 1e-3, noNaN: true }),
          fc.double({ min: 1e-3, max: 100, noNaN: true }),
          (costPerRequestUsd, meanLatencySeconds) => {
            const prediction = exponentialPrediction({ costPerRequestUsd, meanLatencySeconds });
            const verdict = objective.assess(prediction, settings);
            expect(typeof verdict.feasible).toBe('boolean');
            expect(Number.isFinite(verdict.score)).toBe(true);
            expect(Number.isFinite(verdict.violation)).toBe(true);
            expect(verdict.violation).toBeGreaterThanOrEqual(0);
            if (verdict.feasible) expect(verdict.violation).toBe(0);
            else expect(verdict.violation).toBeGreaterThan(0);
            expect(objective.assess(prediction, settings)).toEqual(verdict);
          },
        ),
      );
    });

    it('names search percentiles and a standard form, when it has them, that the optimizer accepts', () => {
      const objective = create();
      const percentiles = objective.searchPercentiles?.(settings) ?? [settings.percentile];
      expect(percentiles.length).toBeGreaterThan(0);
      for (const percentile of percentiles) {
        expect(percentile).toBeGreaterThan(0);
        expect(percentile).toBeLessThan(1);
      }
      if (!objective.standardForm) return;
      const form = objective.standardForm(settings);
      expect(form.percentile).toBeGreaterThan(0);
      expect(form.percentile).toBeLessThan(1);
      if (form.mode === 'latency') expect(form.sloSeconds).toBeGreaterThan(0);
      else expect(form.budgetUsdPerRequest).toBeGreaterThan(0);
    });
  });
}
