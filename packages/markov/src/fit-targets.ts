import { errors } from './errors.js';
import type { InterArrivalStatisticsResult } from './inter-arrival-statistics.js';

/** The statistics a fit tries to match. */
export interface FitTargets {
  /** Arrivals per second, > 0. */
  readonly rate: number;
  /** Squared coefficient of variation of inter-arrival times, > 0. */
  readonly scv: number;
  /** Third raw moment of inter-arrival times in seconds^3, > 0. */
  readonly thirdMoment?: number;
  /** Lag-1 autocorrelation of consecutive inter-arrival times, in (-1, 1). */
  readonly lag1Autocorrelation?: number;
}

/**
 * Fit targets from measured statistics: rate, SCV, third moment and the lag-1 autocorrelation
 * (left out when it is NaN, i.e. fewer than 3 inter-arrivals were seen; clamped into (-1, 1),
 * since the sample estimate of a strictly alternating sequence can fall a hair outside).
 *
 * @example
 * ```ts
 * const { map, report } = fitMap2(fitTargetsFromStatistics(statistics.result()));
 * ```
 */
export function fitTargetsFromStatistics(statistics: InterArrivalStatisticsResult): FitTargets {
  const lag1 = statistics.autocorrelations[0];
  return {
    rate: statistics.rate,
    scv: statistics.scv,
    thirdMoment: statistics.moments[2],
    ...(lag1 === undefined || Number.isNaN(lag1)
      ? {}
      : { lag1Autocorrelation: Math.max(-LAG1_LIMIT, Math.min(LAG1_LIMIT, lag1)) }),
  };
}

/** The largest |lag-1 autocorrelation| a target takes from a sample. */
const LAG1_LIMIT = 0.999999;

/** Targets from either targets or statistics, checked. */
export function checkFitTargets(
  input: FitTargets | InterArrivalStatisticsResult,
  caller: string,
): FitTargets {
  const targets = 'moments' in input ? fitTargetsFromStatistics(input) : input;
  const fail = (name: string, value: unknown, accepted: string): never => {
    throw errors.error(
      'OPTION_INVALID',
      `${caller} target ${name} = ${String(value)}; must be ${accepted}`,
      { details: { target: name, value } },
    );
  };
  if (!(targets.rate > 0) || !Number.isFinite(targets.rate))
    fail('rate', targets.rate, 'finite and > 0 (arrivals per second)');
  if (!(targets.scv > 0) || !Number.isFinite(targets.scv))
    fail('scv', targets.scv, 'finite and > 0');
  const { thirdMoment, lag1Autocorrelation } = targets;
  if (thirdMoment !== undefined && (!(thirdMoment > 0) || !Number.isFinite(thirdMoment))) {
    fail('thirdMoment', thirdMoment, 'finite and > 0 (seconds^3)');
  }
  if (lag1Autocorrelation !== undefined && !(Math.abs(lag1Autocorrelation) < 1)) {
    fail('lag1Autocorrelation', lag1Autocorrelation, 'in (-1, 1)');
  }
  return targets;
}
