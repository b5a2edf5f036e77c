import { optionError } from '@mbs/core';
import {
  batchComposition,
  batchServiceTables,
  bufferSummary,
  type ClassMix,
  type LargestClassLaw,
  largestClassLaw,
  type ModelApproximation,
  WaitLawCache,
} from '@mbs/model';
import { type BatchCostBound, batchCostBound } from './batch-cost-bound.js';
import type { BufferEvaluator, BufferOutcome, BufferSettings } from './evaluator.js';
import type { OptimizationProblem } from './problem.js';
import {
  type FastestService,
  fastestService,
  leastCostBySize,
  leastServiceSeconds,
  listSummary,
} from './range-bounds.js';
import { type ClassRange, rangeClassMix, rangeContentKey } from './ranges.js';
import {
  type PricedRange,
  type ScreenFrontInputs,
  screenFront,
  screenSettings,
} from './screen-front.js';

/**
 * The wait-law cache a search of `problem` wants, to pass to each evaluator of its MAP that should
 * share laws (a window's solves): room for every law a 33-class search with split classes reads
 * (~10 000 on equal class shares; laws are small until a latency is asked of them), and counting
 * matrices computed once per stream and T to the grid's largest B. Shares are rounded as
 * `shareResolution` says (default: as given).
 */
export function searchWaitLaws(
  problem: OptimizationProblem,
  options: { readonly shareResolution?: number } = {},
): WaitLawCache {
  return new WaitLawCache(problem.map, {
    ...(options.shareResolution === undefined ? {} : { shareResolution: options.shareResolution }),
    capacity: 16384,
    largestBatchSize: Math.max(1, ...problem.bounds.batchSizes),
  });
}

/** Options of {@link createModelEvaluator}. */
export interface ModelEvaluatorOptions {
  /** `exact` (default) or MBS's published approximations. */
  readonly approximation?: ModelApproximation;
  /** The default cache's `shareResolution` (see `WaitLawCacheOptions`); default 0. */
  readonly shareResolution?: number;
  /** Wait laws to read and fill, made for `problem.map` (default: a new `WaitLawCache`). */
  readonly waitLaws?: WaitLawCache;
}

/**
 * Ranges whose screen inputs (class law, service times and batch costs per memory: ~40 kB for an
 * 8-class range on 24 memories) and priced grid (~90 kB on 33 classes) an evaluator keeps per
 * settings list; a 33-class solve screens ~500.
 */
const SCREENED_RANGES_KEPT = 1024;

/**
 * Service tables an evaluator keeps (~13 kB each on 33 classes and B to 25): refinement visits
 * memories MB by MB, and past the capacity every table is dropped, the grid's too, with what the
 * ranges' class laws read of them; an SLO sweep refines at every SLO.
 */
const SERVICE_TABLES_KEPT = 2048;

/** Outcomes an evaluator keeps (a 33-class solve builds ~10 000 for its fronts; an SLO sweep reuses them). */
const OUTCOMES_KEPT = 16384;

const EMPTY: BufferOutcome = {
  requestShare: 0,
  costPerRequestUsd: 0,
  invocationsPerSecond: 0,
  paddingShare: 0,
  meanLatencySeconds: 0,
  fractionWithin: () => 1,
};

/**
 * The analytical model as the search's evaluator: a thin caching adapter over `@mbs/model`'s
 * buffer kernel. A range gets the MAP thinned to its share of requests (exact when classes are
 * independent marks) or, with {@link OptimizationProblem.rangeArrivals}, its own stream; wait laws
 * come from `options.waitLaws`, service tables are kept per memory. Searches given one evaluator
 * (as by `solveWithBaselines`) share its caches; nothing is shared otherwise.
 *
 * @example
 * ```ts
 * const evaluator = createModelEvaluator(problem);
 * evaluator.evaluate(range, { batchSize: 8, timeoutSeconds: 0.1, memoryMb: 2048 }).costPerRequestUsd;
 * ```
 */
export function createModelEvaluator(
  problem: OptimizationProblem,
  options: ModelEvaluatorOptions = {},
): BufferEvaluator {
  const { map, rangeArrivals: ownStream, classRepresentativeSizes: sizes } = problem;
  const approximation = options.approximation ?? 'exact';
  const laws =
    options.waitLaws ?? searchWaitLaws(problem, { shareResolution: options.shareResolution ?? 0 });
  if (!laws.isFor(map))
    throw optionError('@mbs/optimizer', 'option waitLaws', 'is for another MAP');
  const lawOf = (range: ClassRange, requestShare: number, settings: BufferSettings) => {
    const { batchSize: b, timeoutSeconds: t } = settings;
    return ownStream
      ? laws.getForStream(rangeContentKey(range), () => ownStream(range), b, t, approximation)
      : laws.get(requestShare, b, t, approximation);
  };
  const tableAt = batchServiceTables(problem.profile, problem.pricing, SERVICE_TABLES_KEPT);
  // The largest arrival rate of a phase (row sum of D1): no stream of the MAP arrives faster.
  const peakArrivalRate = Math.max(
    ...map.d1.map((row) => row.reduce((sum, rate) => sum + rate, 0)),
  );
  let evaluations = 0;
  // A range's largest-class law, for batches up to the grid's largest B at least: its values for a
  // batch of n do not depend on the largest size it covers, so screens and outcomes share it.
  const gridLargestBatch = Math.max(1, ...problem.bounds.batchSizes);
  const classLaws = new Map<string, LargestClassLaw>();
  const classLawOf = (range: ClassRange, mix: ClassMix, batchSize: number) => {
    let law = classLaws.get(range.key);
    if (!law || law.maxBatchSize < batchSize) {
      law = largestClassLaw(mix, Math.max(gridLargestBatch, batchSize));
      classLaws.set(range.key, law);
      if (classLaws.size > SCREENED_RANGES_KEPT) classLaws.delete(classLaws.keys().next().value!);
    }
    return law;
  };
  // Outcomes by (range, B, T, M): they hold no limit, so the searches of an SLO sweep share them.
  const outcomes = new Map<string, BufferOutcome>();
  // The least service time by class over each list's memories, for every range's bound.
  const fastestByList = new WeakMap<readonly BufferSettings[], FastestService>();
  const fastestOf = (settingsList: readonly BufferSettings[]) => {
    let fastest = fastestByList.get(settingsList);
    if (!fastest) {
      fastest = fastestService(listSummary(settingsList).memoriesMb, tableAt);
      fastestByList.set(settingsList, fastest);
    }
    return fastest;
  };
  // A range's screen inputs are kept for its next screens (an SLO sweep, the bisections of an
  // infeasible search): its class law, the service times and batch costs per memory in it.
  const inputsByList = new WeakMap<
    readonly BufferSettings[],
    Map<string, ScreenFrontInputs | undefined>
  >();
  const screenInputs = (range: ClassRange, settingsList: readonly BufferSettings[]) => {
    let byRange = inputsByList.get(settingsList);
    if (!byRange) {
      byRange = new Map();
      inputsByList.set(settingsList, byRange);
    }
    if (byRange.has(range.key)) return byRange.get(range.key);
    const inputs = newScreenInputs(range, settingsList);
    byRange.set(range.key, inputs);
    if (byRange.size > SCREENED_RANGES_KEPT) byRange.delete(byRange.keys().next().value!);
    return inputs;
  };
  // One largest-class law (and its flat service times per memory) serves every setting of a
  // screen; undefined for a range without requests.
  function newScreenInputs(
    range: ClassRange,
    settingsList: readonly BufferSettings[],
  ): ScreenFrontInputs | undefined {
    const { mix, requestShare } = rangeClassMix(range, problem.classShares);
    if (!(requestShare > 0)) return undefined;
    const { largestBatchSize, memoriesMb } = listSummary(settingsList);
    const classes = classLawOf(range, mix, largestBatchSize);
    // The range's peak arrival rate bounds its batches' mean size at a timeout (own streams: B).
    // The cache may round the share up by its resolution (a factor of at most its square root).
    const peakRate = ownStream
      ? Number.POSITIVE_INFINITY
      : requestShare * (1 + laws.shareResolution) * peakArrivalRate;
    let costBound: BatchCostBound | undefined;
    let fastest: Float64Array | undefined;
    // What screens of the range have priced, for the next screen (an SLO sweep, bisections).
    let priced: PricedRange | undefined;
    return {
      get priced() {
        return priced;
      },
      onPriced: (record) => {
        priced = record;
      },
      requestShare,
      compositionOf: (settings) => batchComposition(lawOf(range, requestShare, settings), classes),
      // One bound for every memory of the list: the line under the least batch cost by size over
      // them. Less a relative 1e-12, so that rounding never puts it above the priced cost.
      costLowerBound: (batchSize, timeoutSeconds) => {
        costBound ??= batchCostBound(leastCostBySize(classes, memoriesMb, tableAt));
        const meanSizeCap = 1 + timeoutSeconds * peakRate;
        return requestShare * costBound.perRequest(batchSize, meanSizeCap) * (1 - 1e-12);
      },
      fastestService: () => {
        fastest ??= leastServiceSeconds(classes, fastestOf(settingsList));
        return fastest;
      },
      tableAt,
      ...(problem.perSize ? { perSize: sizes } : {}),
      onEvaluation: () => {
        evaluations++;
      },
    };
  }
  function newOutcome(range: ClassRange, settings: BufferSettings): BufferOutcome {
    const { mix, requestShare } = rangeClassMix(range, problem.classShares);
    if (!(requestShare > 0)) return EMPTY;
    const batches = batchComposition(
      lawOf(range, requestShare, settings),
      classLawOf(range, mix, settings.batchSize),
    );
    const outcome = bufferSummary(batches, tableAt(settings.memoryMb), sizes);
    // No spread: the summary's mean latency is computed on first read, and stays so.
    return {
      requestShare,
      costPerRequestUsd: outcome.costPerRequestUsd,
      invocationsPerSecond: outcome.invocationsPerSecond,
      paddingShare: outcome.paddingShare ?? 0,
      get meanLatencySeconds() {
        return outcome.meanLatencySeconds;
      },
      fractionWithin: problem.perSize
        ? (limit) => outcome.fractionWithinPerSize(limit)
        : (limit) => outcome.fractionWithin(limit),
    };
  }
  const evaluator: BufferEvaluator = {
    get evaluations() {
      return evaluations;
    },
    evaluate(range, settings) {
      const key = `${range.key}|${settings.batchSize}|${settings.timeoutSeconds}|${settings.memoryMb}`;
      let outcome = outcomes.get(key);
      if (!outcome) {
        evaluations++;
        outcome = newOutcome(range, settings);
        outcomes.set(key, outcome);
        if (outcomes.size > OUTCOMES_KEPT) outcomes.delete(outcomes.keys().next().value!);
      }
      return outcome;
    },
    screen(range, settingsList, limit) {
      const inputs = screenInputs(range, settingsList);
      // A range without requests costs and misses nothing: its values stay 0.
      if (inputs) return screenSettings(settingsList, limit, inputs);
      evaluations += settingsList.length;
      return new Float64Array(settingsList.length * 2);
    },
    screenFront(range, settingsList, limit, missCap) {
      // A range without requests costs and misses nothing: its first setting is the front.
      if (settingsList.length === 0) return { indices: [], costs: [], misses: [] };
      const inputs = screenInputs(range, settingsList);
      if (!inputs) return { indices: [0], costs: [0], misses: [0] };
      return screenFront(settingsList, limit, missCap, inputs);
    },
  };
  return evaluator;
}
