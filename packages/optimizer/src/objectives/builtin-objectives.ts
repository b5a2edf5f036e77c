import {
  type Objective,
  type ObjectiveSettings,
  optionError,
  type StandardObjective,
} from '@mbs/core';

// A latency limit at the edge of what a bisection reports still counts as met.
const RELATIVE_TOLERANCE = 1e-6;

function checkPercentile(settings: ObjectiveSettings, name: string): number {
  const { percentile } = settings;
  if (!(percentile > 0 && percentile < 1)) {
    throw optionError(
      '@mbs/optimizer',
      `objective ${name}: percentile`,
      `is ${percentile}; give a number in (0, 1), e.g. 0.95`,
      percentile,
    );
  }
  return percentile;
}

/**
 * The `latency-slo` objective (the default of `mbs solve`): the cheapest mean cost per request
 * whose `percentile` of latency is at most `sloSeconds` (default 1 s). Its standard form is solved
 * by the optimizer's exact search.
 *
 * @example
 * ```ts
 * registry.register('objective', createLatencySloObjective());
 * ```
 */
export function createLatencySloObjective(): Objective {
  const name = 'latency-slo';
  const standardForm = (settings: ObjectiveSettings): StandardObjective => {
    const percentile = checkPercentile(settings, name);
    const sloSeconds = settings.sloSeconds ?? 1;
    if (!(sloSeconds > 0 && Number.isFinite(sloSeconds))) {
      throw optionError(
        '@mbs/optimizer',
        `objective ${name}: slo`,
        `is ${sloSeconds}; give the latency limit in seconds (> 0)`,
        sloSeconds,
      );
    }
    return { mode: 'latency', percentile, sloSeconds };
  };
  return {
    specificationVersion: 'v1',
    name,
    description: 'Cheapest mean cost per request whose latency percentile is within --slo',
    standardForm,
    assess(prediction, settings) {
      const { percentile, sloSeconds } = standardForm(settings) as {
        percentile: number;
        sloSeconds: number;
      };
      const excess = prediction.latency.quantileSeconds(percentile) / sloSeconds - 1;
      return {
        feasible: excess <= RELATIVE_TOLERANCE,
        score: prediction.costPerRequestUsd,
        violation: Math.max(0, excess),
      };
    },
  };
}

/**
 * The `cost-budget` objective (MBS's `--constraint cost`): the lowest `percentile` of latency
 * whose mean cost per request is at most `budgetUsdPerRequest` (required). Its standard form is
 * solved by the optimizer's exact search.
 *
 * @example
 * ```ts
 * registry.register('objective', createCostBudgetObjective());
 * ```
 */
export function createCostBudgetObjective(): Objective {
  const name = 'cost-budget';
  const standardForm = (settings: ObjectiveSettings): StandardObjective => {
    const percentile = checkPercentile(settings, name);
    const budget = settings.budgetUsdPerRequest;
    if (!(budget !== undefined && budget > 0 && Number.isFinite(budget))) {
      throw optionError(
        '@mbs/optimizer',
        `objective ${name}: budget`,
        `is ${budget}; give the mean cost per request in USD (> 0), e.g. --budget 2e-6`,
        budget,
      );
    }
    return { mode: 'cost', percentile, budgetUsdPerRequest: budget };
  };
  return {
    specificationVersion: 'v1',
    name,
    description: 'Lowest latency percentile whose mean cost per request is within --budget',
    standardForm,
    assess(prediction, settings) {
      const { percentile, budgetUsdPerRequest } = standardForm(settings) as {
        percentile: number;
        budgetUsdPerRequest: number;
      };
      const excess = prediction.costPerRequestUsd / budgetUsdPerRequest - 1;
      return {
        feasible: excess <= RELATIVE_TOLERANCE,
        score: prediction.latency.quantileSeconds(percentile),
        violation: Math.max(0, excess),
      };
    },
  };
}
