import type { FitCandidate } from '@mbs/core';
import {
  type EmProgress,
  fitMap2,
  fitMapEm,
  fitTargetsFromStatistics,
  type InterArrivalStatisticsResult,
  type MapEmFit,
  type MapFit,
  minimumEmSamples,
} from '@mbs/markov';
import { countingMatch, type TraceCounts } from './counting-statistics.js';
import { errors } from './errors.js';

/** Maximum-likelihood orders tried against the moment MAP(2), cheapest first. */
export const CANDIDATE_EM_PHASES: readonly number[] = [2, 3, 4];

/**
 * A moment fit whose counting score is at most this is kept without trying the EM fits: the
 * Kolmogorov distances are then within the sampling noise of an hour of traffic.
 */
const GOOD_ENOUGH_SCORE = 0.02;
/** A simpler candidate is kept when its score is within this share of the best... */
const RELATIVE_SLACK = 0.1;
/** ...plus this absolute slack (sampling noise of the trace's count laws). */
const ABSOLUTE_SLACK = 0.005;

/**
 * Gaps with simultaneous arrivals (0 s) spread to half the smallest positive gap: a MAP gives
 * them no likelihood, and at the batching time scales (ms) the difference does not show.
 */
export function positiveGaps(gaps: ArrayLike<number>): { gaps: Float64Array; spread: number } {
  let smallest = Number.POSITIVE_INFINITY;
  for (let index = 0; index < gaps.length; index++) {
    if (gaps[index]! > 0) smallest = Math.min(smallest, gaps[index]!);
  }
  let spread = 0;
  const result = Float64Array.from({ length: gaps.length }, (_, index) => {
    const gap = gaps[index]!;
    if (gap > 0) return gap;
    spread++;
    return smallest / 2;
  });
  return { gaps: result, spread };
}

function withCounting(fit: MapFit, counts: readonly TraceCounts[]): MapFit {
  return { map: fit.map, report: { ...fit.report, counting: countingMatch(fit.map, counts) } };
}

function describeWindows(counts: readonly TraceCounts[]): string {
  const lengths = counts.map((entry) => entry.seconds);
  const format = (seconds: number) =>
    seconds < 1 ? `${Number((seconds * 1000).toPrecision(3))} ms` : `${seconds} s`;
  return lengths.length === 1
    ? format(lengths[0]!)
    : `${format(lengths[0]!)}..${format(lengths[lengths.length - 1]!)}`;
}

/** A fit chosen by its counting match, with the best maximum-likelihood candidate tried. */
export interface SelectedFit {
  readonly fit: MapFit;
  /** The maximum-likelihood fit with the best counting score, when any was tried. */
  readonly bestEm?: MapEmFit;
}

/**
 * Maximum-likelihood MAPs of each order in `phases` (those the sample is long enough for), scored
 * by their counting match; failures are listed in `skipped`. Higher orders are not fitted once a
 * fit scores within `ABSOLUTE_SLACK` (the selection keeps the simplest candidate within 10 % +
 * `ABSOLUTE_SLACK` of the best, so none of them could be kept) or once an order did not improve on
 * the one below by more than that slack (EM on a long window is the costly part of a fit).
 */
export function emCandidates(
  gaps: ArrayLike<number>,
  counts: readonly TraceCounts[],
  phases: readonly number[] = CANDIDATE_EM_PHASES,
  onIteration?: (progress: EmProgress) => void,
): { fits: { em: MapEmFit; fit: MapFit; score: number }[]; skipped: string[] } {
  const { gaps: positive, spread } = positiveGaps(gaps);
  const fits: { em: MapEmFit; fit: MapFit; score: number }[] = [];
  const skipped: string[] = [];
  for (const [index, order] of phases.entries()) {
    const rest = () => phases.slice(index).map((phases) => `map${phases}-em`);
    const good = fits.find((candidate) => candidate.score <= ABSOLUTE_SLACK);
    if (good) {
      skipped.push(
        `${rest().join(', ')} (${good.fit.report.method} already within ${ABSOLUTE_SLACK}: a higher order could not be kept)`,
      );
      break;
    }
    // A phase more that did not improve on the order below by more than the selection's slack
    // would not be kept: the counting match has stopped improving with the order, so stop.
    const [lower, last] = fits.slice(-2);
    if (lower && last && last.score > (lower.score - ABSOLUTE_SLACK) / (1 + RELATIVE_SLACK)) {
      skipped.push(
        `${rest().join(', ')} (${last.fit.report.method} did not improve on ${lower.fit.report.method} by more than 10 % + ${ABSOLUTE_SLACK})`,
      );
      break;
    }
    if (positive.length < minimumEmSamples(order)) {
      skipped.push(`map${order}-em (needs ${minimumEmSamples(order)} gaps)`);
      continue;
    }
    try {
      const em = fitMapEm(positive, { phases: order, ...(onIteration ? { onIteration } : {}) });
      const warnings =
        spread > 0
          ? [
              ...em.report.warnings,
              `${spread} simultaneous arrivals spread to half the smallest gap for the likelihood`,
            ]
          : [...em.report.warnings];
      const fit = withCounting({ map: em.map, report: { ...em.report, warnings } }, counts);
      fits.push({ em, fit, score: fit.report.counting!.score });
    } catch (error) {
      skipped.push(`map${order}-em (${(error as Error).message})`);
    }
  }
  return { fits, skipped };
}

/**
 * The MAP of a bursty window chosen by how well it reproduces the window's counting statistics
 * (see {@link countingMatch}) at the batching time scales: the moment MAP(2) (rate, SCV, third
 * moment, lag-1) is tried first and kept when its score is within sampling noise; otherwise
 * maximum-likelihood MAPs of 2, 3 and 4 phases (EM) compete with it and the simplest candidate
 * within 10 % + 0.005 of the best score wins (fewer phases and slower phases make the model
 * cheaper to evaluate). The report says which candidates were tried, their scores and why the
 * winner was kept.
 */
export function selectFitByCounts(
  statistics: InterArrivalStatisticsResult,
  gaps: ArrayLike<number>,
  counts: readonly TraceCounts[],
  onIteration?: (progress: EmProgress) => void,
): SelectedFit {
  const scale = describeWindows(counts);
  const candidates: { fit: MapFit; score: number; em?: MapEmFit }[] = [];
  const skipped: string[] = [];
  let moments: MapFit | undefined;
  try {
    moments = withCounting(fitMap2(fitTargetsFromStatistics(statistics)), counts);
    candidates.push({ fit: moments, score: moments.report.counting!.score });
  } catch (error) {
    skipped.push(`map2-moments (${(error as Error).message})`);
  }
  const selected = (chosen: MapFit, reason: string): MapFit => ({
    map: chosen.map,
    report: {
      ...chosen.report,
      selection: {
        candidates: candidates.map(
          (candidate): FitCandidate => ({
            method: candidate.fit.report.method,
            score: candidate.score,
          }),
        ),
        reason,
      },
    },
  });
  const momentScore = moments?.report.counting?.score ?? Number.POSITIVE_INFINITY;
  if (moments && momentScore <= GOOD_ENOUGH_SCORE) {
    return {
      fit: selected(
        moments,
        `the moment fit reproduces the counts at ${scale} within ${GOOD_ENOUGH_SCORE} (score ${momentScore.toFixed(3)}); no maximum-likelihood fit tried`,
      ),
    };
  }
  const em = emCandidates(gaps, counts, CANDIDATE_EM_PHASES, onIteration);
  const fits = em.fits;
  skipped.push(...em.skipped);
  candidates.push(...fits);
  if (candidates.length === 0) {
    throw errors.error('FIT_FAILED', `no fit of the window succeeded: ${skipped.join('; ')}`);
  }
  const best = Math.min(...candidates.map((candidate) => candidate.score));
  const threshold = best * (1 + RELATIVE_SLACK) + ABSOLUTE_SLACK;
  const chosen = candidates.find((candidate) => candidate.score <= threshold)!;
  const others = candidates
    .filter((candidate) => candidate !== chosen)
    .map((candidate) => `${candidate.fit.report.method} ${candidate.score.toFixed(3)}`);
  const reason = `counting match at ${scale} (mean Kolmogorov distance of count laws, 0 = exact): ${chosen.fit.report.method} ${chosen.score.toFixed(3)}${others.length > 0 ? ` vs ${others.join(', ')}` : ''}; the simplest fit within 10 % + ${ABSOLUTE_SLACK} of the best is kept${skipped.length > 0 ? `; not tried: ${skipped.join('; ')}` : ''}`;
  const bestEm = [...fits].sort((left, right) => left.score - right.score)[0]?.em;
  // The chosen EM fit is the base of a marked fit even when a higher order scores a little better.
  return {
    fit: selected(chosen.fit, reason),
    ...(chosen.em ? { bestEm: chosen.em } : bestEm ? { bestEm } : {}),
  };
}
