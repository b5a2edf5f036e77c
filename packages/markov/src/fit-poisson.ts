import type { FitReport, MarkovianArrivalProcess } from '@mbs/core';
import { checkFitTargets, type FitTargets } from './fit-targets.js';
import type { InterArrivalStatisticsResult } from './inter-arrival-statistics.js';
import { poissonMap } from './validate-map.js';

/** A fitted MAP with its report (target vs fitted statistics and warnings). */
export interface MapFit {
  readonly map: MarkovianArrivalProcess;
  readonly report: FitReport;
}

/** Relative SCV gap beyond which a Poisson fit warns. */
const SCV_WARNING_GAP = 0.1;
/** Absolute lag-1 autocorrelation beyond which a Poisson fit warns. */
const LAG1_WARNING_GAP = 0.05;

/**
 * The Poisson process with the measured rate. Its SCV is 1, its third moment 6 / rate^3 and it
 * has no autocorrelation; the report warns when the targets depart from those by more than 10 %
 * (SCV) or 0.05 (lag-1 autocorrelation).
 *
 * @example
 * ```ts
 * const { map, report } = fitPoisson(statistics.result());
 * ```
 */
export function fitPoisson(statistics: FitTargets | InterArrivalStatisticsResult): MapFit {
  const targets = checkFitTargets(statistics, 'fitPoisson');
  const { rate, scv, thirdMoment, lag1Autocorrelation } = targets;
  const warnings: string[] = [];
  if (Math.abs(scv - 1) > SCV_WARNING_GAP) {
    warnings.push(
      `SCV target ${scv.toPrecision(4)} but a Poisson process has SCV 1 (gap ${(1 - scv).toPrecision(3)})`,
    );
  }
  if (lag1Autocorrelation !== undefined && Math.abs(lag1Autocorrelation) > LAG1_WARNING_GAP) {
    warnings.push(
      `lag-1 autocorrelation target ${lag1Autocorrelation.toFixed(3)} but a Poisson process has none (gap ${(-lag1Autocorrelation).toFixed(3)})`,
    );
  }
  return {
    map: poissonMap(rate),
    report: {
      method: 'poisson',
      rate: { target: rate, fitted: rate },
      scv: { target: scv, fitted: 1 },
      ...(thirdMoment === undefined
        ? {}
        : { thirdMoment: { target: thirdMoment, fitted: 6 / rate ** 3 } }),
      ...(lag1Autocorrelation === undefined
        ? {}
        : { lag1Autocorrelation: { target: lag1Autocorrelation, fitted: 0 } }),
      warnings,
    },
  };
}
