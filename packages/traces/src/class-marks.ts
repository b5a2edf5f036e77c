import type { ClassMarksReport } from '@mbs/core';
import { describeMap, fitMarkedMapEm, type MapEmFit, type MapFit } from '@mbs/markov';
import { countingMatch, type TraceCounts } from './counting-statistics.js';
import { emCandidates, positiveGaps } from './select-fit.js';

/**
 * How a window's classes are modelled: `auto` fits a marked MAP and keeps it when the classes
 * depend on the arrival process (a likelihood-ratio test), `independent` always thins (a class is
 * an independent mark), `fitted` always keeps the marked MAP.
 */
export type ClassMarksMode = 'auto' | 'independent' | 'fitted';

/** The class-marks modes, for option validation. */
export const CLASS_MARKS_MODES: readonly ClassMarksMode[] = ['auto', 'independent', 'fitted'];

/** A window's fit with its classes: the marked MAP's class matrices when kept. */
export interface MarkedWindowFit {
  readonly fit: MapFit;
  readonly classArrivals?: readonly (readonly (readonly number[])[])[];
}

/**
 * Fits a window's classes as marks of its arrival process (`fitMarkedMapEm` of @mbs/markov,
 * started from `base`, or from the maximum-likelihood MAP of 2 or 3 phases that best reproduces
 * the counts) and decides, per `mode`, whether the window keeps the marked MAP: with classes
 * correlated with time (bursts of long prompts, a conversation's turns) each buffer's stream is
 * the restriction of the marked MAP to its classes, which thinning by the class shares misses.
 * The report's `marks` says what the test found and what was kept; a kept marked fit replaces the
 * window's MAP by the marked MAP's (its sum over classes), with its own counting match.
 *
 * @param classes - the class of every arrival of the window (gaps.length + 1 of them).
 */
export function fitClassMarks(options: {
  readonly gaps: ArrayLike<number>;
  readonly classes: ArrayLike<number>;
  readonly classCount: number;
  readonly chosen: MapFit;
  readonly base?: MapEmFit;
  readonly counts: readonly TraceCounts[];
  readonly mode: ClassMarksMode;
}): MarkedWindowFit {
  const { gaps, classes, classCount, chosen, counts, mode } = options;
  const unchanged = (
    reason: string,
    dependent = false,
    ratio = 0,
    degrees = 0,
  ): MarkedWindowFit => ({
    fit: {
      map: chosen.map,
      report: {
        ...chosen.report,
        marks: {
          logLikelihoodRatio: ratio,
          degreesOfFreedom: degrees,
          dependent,
          kept: false,
          reason,
        },
      },
    },
  });
  if (mode === 'independent')
    return unchanged('classes modelled as independent marks (thinning), as asked');
  const seen = new Set<number>();
  for (let index = 0; index < classes.length; index++) seen.add(classes[index]!);
  if (seen.size < 2) return unchanged('one class only: nothing to mark');
  let base = options.base;
  if (!base) {
    const { fits } = emCandidates(gaps, counts, [2, 3]);
    base = [...fits].sort((left, right) => left.score - right.score)[0]?.em;
  }
  if (!base) return unchanged('too few arrivals to fit a marked MAP: classes thinned');
  const { gaps: positive } = positiveGaps(gaps);
  let marked: ReturnType<typeof fitMarkedMapEm>;
  try {
    marked = fitMarkedMapEm(positive, classes, classCount, { start: base });
  } catch (error) {
    // Thinning is always a valid model of the classes: fall back to it and say why.
    return unchanged(`the marked fit failed (${(error as Error).message}); classes thinned`);
  }
  const { dependent, degreesOfFreedom } = marked.report;
  const ratio = 2 * (marked.report.logLikelihood - marked.report.independentLogLikelihood);
  const test = `likelihood ratio ${ratio.toFixed(1)} on ${degreesOfFreedom} degrees of freedom`;
  if (!dependent && mode === 'auto') {
    return unchanged(
      `classes independent of the arrivals (${test}): thinning`,
      false,
      ratio,
      degreesOfFreedom,
    );
  }
  const map = { d0: marked.marked.d0, d1: marked.marked.d1 };
  const phases = map.d0.length;
  const marks: ClassMarksReport = {
    logLikelihoodRatio: ratio,
    degreesOfFreedom,
    dependent,
    kept: true,
    reason: dependent
      ? `classes depend on the arrivals (${test}): a marked MAP(${phases}), each buffer's stream its classes' restriction`
      : `classes look independent of the arrivals (${test}); the marked MAP(${phases}) is kept as asked`,
  };
  const described = describeMap(map, { moments: 3, maxLag: 1 });
  const { report } = base;
  return {
    fit: {
      map,
      // The statistics of the marked MAP itself; the unmarked fit's likelihood and warnings no
      // longer describe it.
      report: {
        method: `map${phases}-em-marked`,
        warnings: [],
        rate: { target: report.rate.target, fitted: described.rate },
        scv: { target: report.scv.target, fitted: described.scv },
        ...(report.thirdMoment
          ? { thirdMoment: { target: report.thirdMoment.target, fitted: described.moments[2]! } }
          : {}),
        ...(report.lag1Autocorrelation
          ? {
              lag1Autocorrelation: {
                target: report.lag1Autocorrelation.target,
                fitted: described.autocorrelations[0]!,
              },
            }
          : {}),
        counting: countingMatch(map, counts),
        ...(chosen.report.selection ? { selection: chosen.report.selection } : {}),
        marks,
      },
    },
    classArrivals: marked.marked.classArrivals,
  };
}
