import type { FitReport, FitStatistic } from '@mbs/core';
import { createRandom, type RandomSource } from '@mbs/core';
import { type BranchParameters, createBranchEm } from './erlang-branch-em.js';
import {
  branchStructures,
  type ErlangBranchMap,
  erlangBranchMapToMap,
} from './erlang-branch-map.js';
import { errors } from './errors.js';
import { checkFitMapEmOptions, type FitMapEmOptions } from './fit-map-em-options.js';
import type { MapFit } from './fit-poisson.js';
import { createInterArrivalStatistics } from './inter-arrival-statistics.js';
import { describeMap } from './map-descriptors.js';

/** The report of {@link fitMapEm}: the statistics of every fit, plus what the EM found. */
export interface MapEmFitReport extends FitReport {
  /** Target (sample) vs fitted autocorrelations at lags 1..maxLag. */
  readonly autocorrelations: readonly FitStatistic[];
  /** Log-likelihood of the inter-arrival times under the fitted stationary MAP (nats, densities per second). */
  readonly logLikelihood: number;
  /** `logLikelihood` divided by the number of inter-arrival times. */
  readonly logLikelihoodPerArrival: number;
  /** EM iterations run on the chosen branch structure, screening included. */
  readonly iterations: number;
  /** Whether the tolerance was met before `maxIterations`. */
  readonly converged: boolean;
  /** Erlang orders of the chosen branches. */
  readonly branchOrders: readonly number[];
}

/** A MAP fitted by {@link fitMapEm}. */
export interface MapEmFit extends MapFit {
  readonly report: MapEmFitReport;
  /** The fitted MAP in its Erlang-branch form (rates per second). */
  readonly branches: ErlangBranchMap;
  /**
   * Log-likelihood (nats, densities per second) before each EM iteration of the chosen structure
   * and after the last, with the first branch law as the EM estimates it; never decreasing. The
   * returned MAP is one further step on (its P smoothed, see {@link fitMapEm}).
   */
  readonly logLikelihoodHistory: readonly number[];
}

/** Pseudo-transitions per branch added to the final estimate of P (see where it is used). */
const SMOOTHING_TRANSITIONS = 1;
/**
 * Relative rate gap beyond which the report warns. Maximum likelihood matches the sample rate
 * of stationary data closely; a larger gap means a trend the stationary MAP averages otherwise.
 */
const RATE_WARNING_GAP = 0.02;
/** Relative SCV gap beyond which the report warns: a likelihood fit does not match moments. */
const SCV_WARNING_GAP = 0.2;
/** Absolute lag-1 autocorrelation gap beyond which the report warns. */
const LAG1_WARNING_GAP = 0.05;

/** Fewest inter-arrival times an n-phase EM fit accepts: 10 per parameter of the R = n structure. */
export function minimumEmSamples(phases: number): number {
  return Math.max(50, 10 * phases * phases);
}

function readTimes(interArrivalSeconds: ArrayLike<number>, phases: number): Float64Array {
  const count = interArrivalSeconds?.length;
  const minimum = minimumEmSamples(phases);
  if (!(typeof count === 'number' && count >= minimum)) {
    throw errors.error(
      'FIT_FAILED',
      `fitMapEm: ${count ?? 'no'} inter-arrival times; a ${phases}-phase fit needs at least ${minimum} (use fewer phases or a longer window)`,
      { details: { count, minimum, phases } },
    );
  }
  const times = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const value = interArrivalSeconds[index]!;
    if (!(value > 0) || !Number.isFinite(value)) {
      throw errors.error(
        'OPTION_INVALID',
        `fitMapEm inter-arrival #${index + 1} = ${value} s; times must be finite and > 0 (simultaneous arrivals have no likelihood under a MAP; merge or spread them first)`,
        { details: { index, value } },
      );
    }
    times[index] = value;
  }
  return times;
}

/**
 * Starting point of one structure, a hyperexponential-like split of the data: the sorted times
 * cut into R groups (see {@link INITIAL_SPLITS}), branch i's mean set to group i's mean, and P from the counts of
 * consecutive group labels (plus one, so no transition starts impossible). A seeded jitter of
 * ±10 % on rates and up to 0.5 on counts breaks ties between groups of equal means, which the EM
 * could never separate.
 */
function initialParameters(
  orders: readonly number[],
  split: (typeof INITIAL_SPLITS)[number],
  times: Float64Array,
  ranks: Uint32Array,
  random: RandomSource,
): BranchParameters {
  const branches = orders.length;
  const count = times.length;
  const upperRanks: number[] = [];
  let cumulative = 0;
  for (const share of groupShares(split, branches)) {
    cumulative += share;
    upperRanks.push(cumulative * count);
  }
  const labels = new Uint8Array(count);
  const groupTotals = new Float64Array(branches);
  const groupCounts = new Float64Array(branches);
  for (let index = 0; index < count; index++) {
    let label = 0;
    while (label < branches - 1 && ranks[index]! >= upperRanks[label]!) label++;
    labels[index] = label;
    groupTotals[label]! += times[index]!;
    groupCounts[label]! += 1;
  }
  const rates = new Float64Array(branches);
  let mean = 1;
  for (let branch = 0; branch < branches; branch++) {
    // A group rounding left empty borrows its neighbour's mean; the jitter then separates them.
    if (groupCounts[branch]! > 0) mean = groupTotals[branch]! / groupCounts[branch]!;
    rates[branch] = (orders[branch]! / mean) * Math.exp(0.2 * (random.next() - 0.5));
  }
  const transitions = new Float64Array(branches * branches);
  for (let index = 0; index + 1 < count; index++) {
    transitions[labels[index]! * branches + labels[index + 1]!]! += 1;
  }
  for (let branch = 0; branch < branches; branch++) {
    let total = 0;
    for (let next = 0; next < branches; next++) {
      const slot = branch * branches + next;
      transitions[slot]! += 1 + 0.5 * random.next();
      total += transitions[slot]!;
    }
    for (let next = 0; next < branches; next++) transitions[branch * branches + next]! /= total;
  }
  return { orders, rates, transitions, initial: new Float64Array(branches).fill(1 / branches) };
}

/**
 * Shares of the sorted times given to the branches at the start. `equal` cuts them into R equal
 * groups; `tail` into groups whose shares fall geometrically from the shortest times to the
 * longest, the last holding 1/50 of the first, so that a rare slow phase (a few per cent of the
 * gaps, typical of bursty traffic) gets a branch of its own: from equal groups the EM tends to
 * settle with two branches describing the same gaps and never find it.
 */
const INITIAL_SPLITS = ['equal', 'tail'] as const;
const TAIL_SHARE_RATIO = 0.02;

function groupShares(split: (typeof INITIAL_SPLITS)[number], branches: number): number[] {
  const weights = Array.from({ length: branches }, (_, group) =>
    split === 'equal' || branches === 1 ? 1 : TAIL_SHARE_RATIO ** (group / (branches - 1)),
  );
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return weights.map((weight) => weight / total);
}

function rankOf(times: Float64Array): Uint32Array {
  const order = Uint32Array.from(times.keys()).sort((left, right) => times[left]! - times[right]!);
  const ranks = new Uint32Array(times.length);
  order.forEach((index, rank) => {
    ranks[index] = rank;
  });
  return ranks;
}

function rows(values: Float64Array, order: number): number[][] {
  return Array.from({ length: order }, (_, row) =>
    Array.from(values.subarray(row * order, (row + 1) * order)),
  );
}

/**
 * Fits a MAP with `phases` phases to a sequence of inter-arrival times by maximum likelihood, with
 * the EM algorithm of Horváth and Okamura (2013) over Erlang-branch MAPs (ER-CHMM, see
 * {@link ErlangBranchMap}): each iteration is one forward-backward pass over the times, O(N R^2)
 * for N times and R branches, without matrix exponentials, so 20,000 times with 4 phases fit in
 * well under a second. Every split of the phases into Erlang branches (e.g. 4 = 4, 3+1, 2+2,
 * 2+1+1, 1+1+1+1) is started from two hyperexponential-like splits of the sorted times (equal
 * groups, and groups shrinking towards the longest times) and each is run for
 * `screeningIterations`; the best is continued until an iteration gains less than `tolerance`
 * log-likelihood per time, or `maxIterations`. The log-likelihood never decreases between
 * iterations. Times are divided by their mean while fitting, so the time unit does not matter.
 * A last step re-estimates P with one pseudo-transition per branch spread over its targets:
 * maximum likelihood explains a trend within the data (a busy start, a quiet end) by a branch
 * that is never left, which would make the stationary MAP that branch alone; the pseudo-count
 * keeps each branch's stationary share near its share of the data and costs a negligible
 * likelihood otherwise.
 *
 * Unlike {@link fitMap2} the fit matches no statistic exactly; it describes the whole sequence,
 * including short-scale burstiness and slowly decaying autocorrelations a MAP(2) cannot have. The
 * report gives target (sample) vs fitted rate, SCV, third moment and lag 1..maxLag
 * autocorrelations, the log-likelihood, and warnings when the EM did not converge or the rate
 * (2 %), SCV (20 %) or lag-1 autocorrelation (0.05 absolute) are missed.
 *
 * @example
 * ```ts
 * const { map, report } = fitMapEm(gaps, { phases: 4, seed: 7 });
 * console.log(report.scv, report.autocorrelations[0], report.logLikelihoodPerArrival);
 * ```
 * @throws MbsError `FIT_FAILED` for fewer than max(50, 10 x phases^2) times or when no structure
 *   has a finite likelihood; `OPTION_INVALID` for a time that is not finite and > 0 or a bad
 *   option (see {@link FitMapEmOptions}).
 */
export function fitMapEm(
  interArrivalSeconds: ArrayLike<number>,
  options: FitMapEmOptions = {},
): MapEmFit {
  const checked = checkFitMapEmOptions(options);
  const { phases, maxIterations, tolerance, maxLag } = checked;
  const raw = readTimes(interArrivalSeconds, phases);
  const count = raw.length;
  const statistics = createInterArrivalStatistics(maxLag);
  for (const value of raw) statistics.add(value);
  const sample = statistics.result();
  const times = raw.map((value) => value / sample.mean);
  // Log-likelihoods in mean units differ from those in seconds by -N log(mean).
  const unitShift = -count * Math.log(sample.mean);

  const structures = checked.branchOrders ? [[...checked.branchOrders]] : branchStructures(phases);
  const em = createBranchEm(times, phases);
  const ranks = rankOf(times);
  const random = createRandom(checked.seed);
  let best: { parameters: BranchParameters; history: number[] } | undefined;
  const screening = Math.min(checked.screeningIterations, maxIterations);
  const { onIteration } = options;
  const screeningTotal = structures.length * INITIAL_SPLITS.length * screening;
  let screened = 0;
  for (const orders of structures) {
    for (const split of INITIAL_SPLITS) {
      const parameters = initialParameters(orders, split, times, ranks, random);
      const history: number[] = [];
      for (let iteration = 0; iteration < screening; iteration++) {
        history.push(em.step(parameters));
        onIteration?.({
          stage: 'screening',
          iteration: ++screened,
          iterations: screeningTotal,
          logLikelihood: history[history.length - 1]! + unitShift,
        });
      }
      const last = history[history.length - 1]!;
      if (Number.isFinite(last) && (!best || last > best.history[best.history.length - 1]!)) {
        best = { parameters, history };
      }
    }
  }
  if (!best) {
    throw errors.error(
      'FIT_FAILED',
      `fitMapEm: no ${phases}-phase branch structure gives the ${count} times a finite likelihood; the times may span too many orders of magnitude`,
      { details: { count, phases, scv: sample.scv } },
    );
  }
  const { parameters, history } = best;
  let converged = false;
  while (history.length < maxIterations) {
    history.push(em.step(parameters));
    onIteration?.({
      stage: 'fitting',
      iteration: history.length,
      iterations: maxIterations,
      logLikelihood: history[history.length - 1]! + unitShift,
    });
    const gain = history[history.length - 1]! - history[history.length - 2]!;
    if (gain < tolerance * count) {
      converged = true;
      break;
    }
  }
  // Maximum likelihood explains a trend inside the data (a busy start, a quiet end) by a branch
  // the chain enters and never leaves: the stationary MAP would then be that branch alone. One
  // pseudo-transition per branch, spread over the targets, keeps every branch reachable and its
  // stationary share near its share of the data; for branches seen often it changes nothing.
  history.push(em.step(parameters, SMOOTHING_TRANSITIONS));

  const branchCount = parameters.orders.length;
  const branches: ErlangBranchMap = {
    branchOrders: [...parameters.orders],
    branchRates: Array.from(parameters.rates, (rate) => rate / sample.mean),
    branchTransitions: rows(parameters.transitions, branchCount),
  };
  const map = erlangBranchMapToMap(branches);
  let fitted: ReturnType<typeof describeMap>;
  try {
    fitted = describeMap(map, { moments: 3, maxLag });
  } catch (error) {
    throw errors.error(
      'FIT_FAILED',
      `fitMapEm: the fitted ${phases}-phase MAP has no unique stationary law (its branch chain split apart); try another seed or fewer phases`,
      { cause: error, details: { branches } },
    );
  }
  // The report's likelihood is the stationary MAP's: its first branch drawn from the law after
  // an arrival, which sits on the first stage of each branch.
  let phase = 0;
  const stationaryInitial = new Float64Array(branchCount);
  parameters.orders.forEach((order, branch) => {
    stationaryInitial[branch] = fitted.arrivalStationary[phase]!;
    phase += order;
  });
  const logLikelihood = em.logLikelihood(parameters, stationaryInitial) + unitShift;

  const warnings: string[] = [];
  if (!converged) {
    const gain = (history[history.length - 1]! - history[history.length - 2]!) / count;
    warnings.push(
      `EM stopped after ${maxIterations} iterations still gaining ${gain.toExponential(2)} log-likelihood per time (tolerance ${tolerance}); raise maxIterations`,
    );
  }
  const rateGap = fitted.rate / sample.rate - 1;
  if (Math.abs(rateGap) > RATE_WARNING_GAP) {
    warnings.push(
      `rate target ${sample.rate.toPrecision(4)}/s, fitted ${fitted.rate.toPrecision(4)}/s (gap ${(rateGap * 100).toFixed(1)} %): the times look non-stationary (a trend), which the stationary MAP averages differently; fit shorter windows`,
    );
  }
  const scvGap = fitted.scv - sample.scv;
  if (Math.abs(scvGap) > SCV_WARNING_GAP * sample.scv) {
    warnings.push(
      `SCV target ${sample.scv.toPrecision(4)}, fitted ${fitted.scv.toPrecision(4)} (gap ${scvGap.toPrecision(3)}); the likelihood fit trades it for the rest of the law`,
    );
  }
  const lag1 = sample.autocorrelations[0]!;
  const lag1Gap = fitted.autocorrelations[0]! - lag1;
  if (Number.isFinite(lag1) && Math.abs(lag1Gap) > LAG1_WARNING_GAP) {
    warnings.push(
      `lag-1 autocorrelation target ${lag1.toFixed(4)}, fitted ${fitted.autocorrelations[0]!.toFixed(4)} (gap ${lag1Gap.toFixed(4)})`,
    );
  }
  const statistic = (target: number, value: number): FitStatistic => ({ target, fitted: value });
  const report: MapEmFitReport = {
    method: `map${phases}-em`,
    rate: statistic(sample.rate, fitted.rate),
    scv: statistic(sample.scv, fitted.scv),
    thirdMoment: statistic(sample.moments[2], fitted.moments[2]!),
    lag1Autocorrelation: statistic(lag1, fitted.autocorrelations[0]!),
    autocorrelations: fitted.autocorrelations.map((value, index) =>
      statistic(sample.autocorrelations[index]!, value),
    ),
    logLikelihood,
    logLikelihoodPerArrival: logLikelihood / count,
    iterations: history.length - 1,
    converged,
    branchOrders: branches.branchOrders,
    warnings,
  };
  return {
    map,
    report,
    branches,
    logLikelihoodHistory: history.map((value) => value + unitShift),
  };
}
