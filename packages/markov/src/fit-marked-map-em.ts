import type { MarkedArrivalProcess } from '@mbs/core';
import { type BranchParameters, createBranchEm } from './erlang-branch-em.js';
import { type ErlangBranchMap, erlangBranchMapToMap } from './erlang-branch-map.js';
import { errors } from './errors.js';
import { fitMapEm, type MapEmFit } from './fit-map-em.js';
import type { FitMapEmOptions } from './fit-map-em-options.js';
import { arrivalStationaryDistribution } from './map-descriptors.js';

/** What {@link fitMarkedMapEm} found about the classes. */
export interface MarkedMapEmReport {
  /** Log-likelihood of the times and classes together under the marked fit (nats). */
  readonly logLikelihood: number;
  /**
   * The same under the unmarked fit with classes drawn independently by their shares: the model
   * in which a class is an independent mark of the stream (thinning).
   */
  readonly independentLogLikelihood: number;
  /**
   * Free parameters the marked fit adds to the unmarked one with independent classes:
   * G R (C R - 1) - R (R - 1) - (C - 1) for R branches, C classes seen and G groups.
   */
  readonly degreesOfFreedom: number;
  /**
   * Whether classes depend on the arrival process: the likelihood-ratio statistic
   * 2 (logLikelihood - independentLogLikelihood) exceeds the 0.999 quantile of a chi-square law
   * with `degreesOfFreedom` degrees (Wilson-Hilferty). When false, thinning describes the classes
   * as well as the marked fit does.
   */
  readonly dependent: boolean;
  /** EM iterations of the marked fit. */
  readonly iterations: number;
  /** Each class's share of the arrivals. */
  readonly classShares: readonly number[];
}

/** A marked MAP fitted by {@link fitMarkedMapEm}. */
export interface MarkedMapEmFit {
  /** The marked MAP; its d0 and d1 describe all arrivals together. */
  readonly marked: MarkedArrivalProcess;
  /** The unmarked fit it started from. */
  readonly unmarked: MapEmFit;
  /** The marked fit's branches (rates per second). */
  readonly branches: ErlangBranchMap;
  readonly report: MarkedMapEmReport;
}

/** Options of {@link fitMarkedMapEm}: those of `fitMapEm`, or an unmarked fit to start from. */
export interface FitMarkedMapEmOptions extends FitMapEmOptions {
  /** Start from this fit (of the same times) instead of fitting one. */
  readonly start?: MapEmFit;
  /**
   * Groups of neighbouring classes (about equal shares each) whose last member the marked MAP
   * remembers: with G groups, the next arrival's branch and class may depend on the group of the
   * previous arrival's class, so sizes that persist (a conversation's turns, a busy period of long
   * prompts) are followed; the MAP's order is G times the branches' phases. An integer in
   * 1..classCount; default 1 (classes depend on the branch transition only).
   */
  readonly classGroups?: number;
}

/**
 * Contiguous groups of classes with about equal shares: class c goes to group
 * floor(G x (share below c + half its own)), so a class is never split.
 */
export function classGroupsByShare(shares: ArrayLike<number>, groups: number): Uint32Array {
  const result = new Uint32Array(shares.length);
  let below = 0;
  for (let classId = 0; classId < shares.length; classId++) {
    const share = shares[classId]!;
    result[classId] = Math.min(groups - 1, Math.floor(groups * (below + share / 2)));
    below += share;
  }
  return result;
}

/** Stop once an iteration gains less than this log-likelihood per time. */
const TOLERANCE = 1e-7;
const MAX_ITERATIONS = 500;
/** Standard normal quantile of 0.999, for the chi-square test. */
const Z_999 = 3.090232306167813;

function chiSquareQuantile999(degrees: number): number {
  // Wilson and Hilferty (1931): (X / k)^(1/3) is nearly normal with mean 1 - 2/(9k).
  const spread = 2 / (9 * degrees);
  return degrees * (1 - spread + Z_999 * Math.sqrt(spread)) ** 3;
}

/**
 * Fits a marked MAP to inter-arrival times and the class of each arrival: an Erlang-branch MAP
 * (see `fitMapEm`) whose arrival from branch i to branch j carries class c with probability
 * q_c(i, j), by EM over the times and classes together (Horváth and Okamura 2013 fit marked MAPs
 * of this structure): the forward-backward pass weighs each branch transition by the class seen,
 * and q_c(i, j) is the expected share of class c among the (i, j) transitions (smoothed by one
 * pseudo-transition spread by class share). It starts from the unmarked fit with every q_c equal
 * to the class's share, so marks that carry no information leave that fit unchanged. Class k's
 * matrix is then classArrivals[k][last stage of i][first stage of j] = λ_i P_ij q_k(i, j).
 *
 * The report tests whether classes depend on the stream (likelihood ratio against the unmarked
 * fit with independent classes): when they do not, thinning describes each class as well and is
 * cheaper to evaluate.
 *
 * @example
 * ```ts
 * const { marked, report } = fitMarkedMapEm(gaps, classes, 33, { phases: 3 });
 * if (report.dependent) restrictMarkedMap(marked, portions);
 * ```
 * @param interArrivalSeconds - N times, finite and > 0.
 * @param classes - N + 1 class ids in 0..classCount-1: of the arrival before the first time and
 *   of the arrival ending each time (the first is not used: no branch transition precedes it).
 * @throws MbsError `OPTION_INVALID` for classes of the wrong length or out of range, and what
 *   `fitMapEm` throws.
 */
export function fitMarkedMapEm(
  interArrivalSeconds: ArrayLike<number>,
  classes: ArrayLike<number>,
  classCount: number,
  options: FitMarkedMapEmOptions = {},
): MarkedMapEmFit {
  const count = interArrivalSeconds.length;
  if (!Number.isInteger(classCount) || classCount < 1 || classCount > 65_535) {
    throw errors.error(
      'OPTION_INVALID',
      `fitMarkedMapEm classCount = ${classCount}; give an integer in 1..65535`,
    );
  }
  if (classes.length !== count + 1) {
    throw errors.error(
      'OPTION_INVALID',
      `fitMarkedMapEm: ${classes.length} classes for ${count} inter-arrival times; give one per arrival (${count + 1})`,
    );
  }
  const groupCount = options.classGroups ?? 1;
  if (!Number.isInteger(groupCount) || groupCount < 1 || groupCount > classCount) {
    throw errors.error(
      'OPTION_INVALID',
      `fitMarkedMapEm option classGroups = ${groupCount}; give an integer in 1..${classCount} (the class count)`,
    );
  }
  // marks[k]: the class of the arrival between time k and time k + 1.
  const marks = new Uint32Array(Math.max(0, count - 1));
  const shares = new Float64Array(classCount);
  for (let index = 0; index <= count; index++) {
    const classId = classes[index]!;
    if (!Number.isInteger(classId) || classId < 0 || classId >= classCount) {
      throw errors.error(
        'OPTION_INVALID',
        `fitMarkedMapEm class of arrival #${index + 1} is ${classId}; classes are integers in 0..${classCount - 1}`,
        { details: { index, classId } },
      );
    }
    if (index >= 1 && index < count) marks[index - 1] = classId;
    shares[classId]! += 1 / (count + 1);
  }
  const groupOf = classGroupsByShare(shares, groupCount);
  const previousGroups = Uint32Array.from(marks, (_, k) => groupOf[classes[k]!]!);
  const { start, classGroups: _groups, ...fitOptions } = options;
  const unmarked = start ?? fitMapEm(interArrivalSeconds, fitOptions);
  const mean = unmarked.report.rate.target > 0 ? 1 / unmarked.report.rate.target : 1;
  const times = Float64Array.from(
    { length: count },
    (_, index) => interArrivalSeconds[index]! / mean,
  );
  const orders = unmarked.branches.branchOrders;
  const branches = orders.length;
  const square = branches * branches;
  // Start from independent marks: P(j, c | i, g) = P_ij share_c.
  const transitions = Float64Array.from(unmarked.branches.branchTransitions.flat());
  const markedTransitions = new Float64Array(groupCount * classCount * square);
  for (let group = 0; group < groupCount; group++) {
    for (let classId = 0; classId < classCount; classId++) {
      const base = (group * classCount + classId) * square;
      for (let index = 0; index < square; index++) {
        markedTransitions[base + index] = transitions[index]! * shares[classId]!;
      }
    }
  }
  // The first branch drawn from the stationary law after an arrival, as the unmarked report's
  // likelihood: its first-stage entries.
  const arrivalLaw = arrivalStationaryDistribution(unmarked.map);
  const initial = new Float64Array(branches);
  let phase = 0;
  orders.forEach((order, branch) => {
    initial[branch] = arrivalLaw[phase]!;
    phase += order;
  });
  const parameters: BranchParameters = {
    orders,
    rates: Float64Array.from(unmarked.branches.branchRates, (rate) => rate * mean),
    transitions,
    initial: Float64Array.from(initial),
    markedTransitions,
  };
  const em = createBranchEm(times, branches, {
    classes: marks,
    classCount,
    previousGroups,
    groupCount,
    shares,
  });
  const unitShift = -count * Math.log(mean);
  // Independent marks: the unmarked likelihood plus each used mark's log share.
  let markLogLikelihood = 0;
  for (const mark of marks) markLogLikelihood += Math.log(shares[mark]!);
  const independentLogLikelihood = unmarked.report.logLikelihood + markLogLikelihood;
  let previous = Number.NEGATIVE_INFINITY;
  let iterations = 0;
  while (iterations < MAX_ITERATIONS) {
    const value = em.step(parameters);
    iterations++;
    if (value - previous < TOLERANCE * count) break;
    previous = value;
  }
  // As fitMapEm: one pseudo-transition per branch keeps every branch reachable in the stationary MAP.
  em.step(parameters, 1);
  const logLikelihood = em.logLikelihood(parameters, initial) + unitShift;
  const fitted: ErlangBranchMap = {
    branchOrders: [...orders],
    branchRates: Array.from(parameters.rates, (rate) => rate / mean),
    branchTransitions: Array.from({ length: branches }, (_, row) =>
      Array.from(parameters.transitions.subarray(row * branches, (row + 1) * branches)),
    ),
  };
  // Phases: (group of the last arrival's class, stage of a branch), group-major.
  const single = erlangBranchMapToMap(fitted);
  const stages = single.d0.length;
  const order = stages * groupCount;
  const firstStage: number[] = [];
  let offset = 0;
  for (const branchOrder of orders) {
    firstStage.push(offset);
    offset += branchOrder;
  }
  const zeros = () => Array.from({ length: order }, () => new Array<number>(order).fill(0));
  const d0 = zeros();
  for (let group = 0; group < groupCount; group++) {
    for (let row = 0; row < stages; row++) {
      for (let column = 0; column < stages; column++) {
        d0[group * stages + row]![group * stages + column] = single.d0[row]![column]!;
      }
    }
  }
  const classArrivals = Array.from({ length: classCount }, (_, classId) => {
    const matrix = zeros();
    const target = groupOf[classId]! * stages;
    for (let group = 0; group < groupCount; group++) {
      const base = (group * classCount + classId) * square;
      for (let from = 0; from < branches; from++) {
        const last = group * stages + firstStage[from]! + orders[from]! - 1;
        for (let to = 0; to < branches; to++) {
          matrix[last]![target + firstStage[to]!]! +=
            fitted.branchRates[from]! * markedTransitions[base + from * branches + to]!;
        }
      }
    }
    return matrix;
  });
  // d1 as the sum of the class matrices, so the two agree to the last bit.
  const d1 = d0.map((row, i) =>
    row.map((_, j) => classArrivals.reduce((sum, matrix) => sum + matrix[i]![j]!, 0)),
  );
  const seen = Array.from(shares).filter((share) => share > 0).length;
  const degreesOfFreedom = Math.max(
    1,
    groupCount * branches * (seen * branches - 1) - branches * (branches - 1) - (seen - 1),
  );
  const statistic = 2 * (logLikelihood - independentLogLikelihood);
  return {
    marked: { d0, d1, classArrivals },
    unmarked,
    branches: fitted,
    report: {
      logLikelihood,
      independentLogLikelihood,
      degreesOfFreedom,
      dependent: seen > 1 && statistic > chiSquareQuantile999(degreesOfFreedom),
      iterations,
      classShares: Array.from(shares),
    },
  };
}
