import type { FitReport, FitStatistic, MarkovianArrivalProcess } from '@mbs/core';
import { errors } from './errors.js';
import type { MapFit } from './fit-poisson.js';
import { checkFitTargets, type FitTargets } from './fit-targets.js';
import type { InterArrivalStatisticsResult } from './inter-arrival-statistics.js';
import { describeMap } from './map-descriptors.js';
import {
  type CanonicalMap2,
  canonicalForGamma,
  canonicalToMap,
  phaseMeans,
  thirdMomentBounds,
} from './map2-canonical.js';
import { poissonMap } from './validate-map.js';

/** The least SCV of an order-2 phase-type law (the Erlang-2 law). */
const MINIMUM_SCV = 0.5;
/**
 * SCVs this close to 1 fit the exponential law: the MAP(2) canonical form degenerates as the SCV
 * approaches 1 and loses about 1e-5 of the SCV to cancellation there, more than the deviation.
 */
const POISSON_SCV_BAND = 1e-4;
/** Share of the distance to the feasible edge kept as margin, so the phase process stays irreducible. */
const EDGE_MARGIN = 1e-3;

function feasibleEdge(means: readonly [number, number], end: number): number {
  // Bisection between 0 (always feasible: the renewal process) and `end` (infeasible).
  let feasible = 0;
  let infeasible = end;
  for (let step = 0; step < 60; step++) {
    const middle = (feasible + infeasible) / 2;
    if (canonicalForGamma(means, middle)) feasible = middle;
    else infeasible = middle;
  }
  return feasible;
}

function format(value: number): string {
  return value.toPrecision(4);
}

/**
 * Fits a MAP of order 2 to a rate, SCV, third moment and lag-1 autocorrelation. The three
 * moments fix the order-2 marginal law (its two phase rates follow from the moment recurrence
 * r_{k+2} = tr(M) r_{k+1} - det(M) r_k of M = (-d0)^{-1}); the lag-1 autocorrelation fixes the
 * decay γ of the autocorrelation, since every MAP(2) has rho_k = γ^k (1 - 1/SCV) / 2; the MAP is
 * then built in the canonical form of Bodrog, Heindl, Horváth and Telek, "A Markovian canonical
 * form of second-order matrix-exponential processes" (2008), restricted to its Markovian part.
 * Without a third-moment target the third moment of the gamma law with the same SCV is used
 * (m3 = m1^3 (1 + SCV)(1 + 2 SCV)); without a lag-1 target the fit is a renewal process.
 *
 * Targets outside what a MAP(2) reaches give the nearest feasible MAP and a warning with the
 * gap: SCV below 0.5 becomes 0.5; the third moment is clamped to the bounds of Telek and Heindl
 * (2003) for the SCV; the lag-1 autocorrelation to the feasible range for the marginal (an SCV
 * near 1 allows almost none). An SCV within 1e-4 of 1 gives the Poisson process (order 1).
 * Matched targets are reproduced to about 1e-9 relative (the report holds the fitted values,
 * recomputed from the returned MAP).
 *
 * @example
 * ```ts
 * const { map, report } = fitMap2({ rate: 120, scv: 4.2, lag1Autocorrelation: 0.2 });
 * if (report.warnings.length > 0) console.warn(report.warnings.join('\n'));
 * ```
 * @throws MbsError `OPTION_INVALID` for a non-positive rate or SCV, a non-positive third moment
 *   or a lag-1 autocorrelation outside (-1, 1).
 */
export function fitMap2(targets: FitTargets | InterArrivalStatisticsResult): MapFit {
  const checked = checkFitTargets(targets, 'fitMap2');
  const { rate, thirdMoment, lag1Autocorrelation } = checked;
  const warnings: string[] = [];
  let scv = checked.scv;
  if (scv < MINIMUM_SCV) {
    warnings.push(
      `SCV target ${format(scv)} is below ${MINIMUM_SCV}, the least a MAP(2) reaches; fitted ${MINIMUM_SCV} (gap ${format(MINIMUM_SCV - scv)})`,
    );
    scv = MINIMUM_SCV;
  }
  const n2 = 1 + scv;
  const meanCubed = 1 / rate ** 3;
  const gammaN3 = 1 + 2 * scv;
  let n3 = thirdMoment === undefined ? gammaN3 : thirdMoment / meanCubed / n2;
  const bounds = thirdMomentBounds(n2);
  // For SCV > 1 the lower bound is not attained; keep a margin that shrinks with the distance
  // between that bound and the gamma law's value, so SCVs near 1 still fit.
  const lower = n2 > 2 ? bounds.lower + EDGE_MARGIN * (gammaN3 - bounds.lower) : bounds.lower;
  const clamped = Math.min(bounds.upper, Math.max(lower, n3));
  if (thirdMoment !== undefined && Math.abs(clamped - n3) > 1e-12 * n3) {
    const upperText = Number.isFinite(bounds.upper)
      ? `${format(bounds.upper * n2 * meanCubed)}]`
      : 'infinity)';
    warnings.push(
      `third moment target ${format(thirdMoment)} s^3 is outside [${format(bounds.lower * n2 * meanCubed)}, ${upperText} s^3, the range of a MAP(2) with SCV ${format(scv)} and rate ${format(rate)}/s; fitted ${format(clamped * n2 * meanCubed)} s^3 (gap ${format((clamped - n3) * n2 * meanCubed)} s^3)`,
    );
  }
  n3 = clamped;

  const means = Math.abs(scv - 1) <= POISSON_SCV_BAND ? undefined : phaseMeans(n2, n3);
  let map: MarkovianArrivalProcess;
  if (means === undefined) {
    map = poissonMap(rate);
    if (lag1Autocorrelation !== undefined && Math.abs(lag1Autocorrelation) > 1e-3) {
      warnings.push(
        `lag-1 autocorrelation target ${lag1Autocorrelation.toFixed(4)} cannot be met: a MAP(2) with SCV 1 is a Poisson process, without autocorrelation (gap ${(-lag1Autocorrelation).toFixed(4)})`,
      );
    }
  } else {
    const factor = (1 - 1 / scv) / 2;
    const target = lag1Autocorrelation === undefined ? 0 : lag1Autocorrelation / factor;
    const limit = 1 - 1e-9;
    let canonical: CanonicalMap2 | undefined =
      Math.abs(target) <= limit ? canonicalForGamma(means, target) : undefined;
    if (!canonical) {
      const upperGamma = feasibleEdge(means, limit);
      const lowerGamma = feasibleEdge(means, -limit);
      const gamma = (target > 0 ? upperGamma : lowerGamma) * (1 - EDGE_MARGIN);
      canonical = canonicalForGamma(means, gamma);
      if (!canonical) {
        throw errors.error(
          'FIT_FAILED',
          `fitMap2: no MAP(2) found for rate ${rate}, SCV ${scv}, normalised third moment ${n3}; this is a bug`,
          { details: { rate, scv, n3 } },
        );
      }
      const range = [lowerGamma * factor, upperGamma * factor].sort((x, y) => x - y);
      const fitted = gamma * factor;
      warnings.push(
        `lag-1 autocorrelation target ${lag1Autocorrelation!.toFixed(4)} is outside [${range[0]!.toFixed(4)}, ${range[1]!.toFixed(4)}], the range of a MAP(2) with SCV ${format(scv)} and this third moment; fitted ${fitted.toFixed(4)} (gap ${(fitted - lag1Autocorrelation!).toFixed(4)})`,
      );
    }
    map = canonicalToMap(canonical, rate);
  }

  const fitted = describeMap(map, { moments: 3, maxLag: 1 });
  const statistic = (target: number, value: number): FitStatistic => ({ target, fitted: value });
  const report: FitReport = {
    method: warnings.length === 0 ? 'map2-moments' : 'map2-nearest',
    rate: statistic(rate, fitted.rate),
    scv: statistic(checked.scv, fitted.scv),
    ...(thirdMoment === undefined
      ? {}
      : { thirdMoment: statistic(thirdMoment, fitted.moments[2]!) }),
    ...(lag1Autocorrelation === undefined
      ? {}
      : { lag1Autocorrelation: statistic(lag1Autocorrelation, fitted.autocorrelations[0]!) }),
    warnings,
  };
  return { map, report };
}
