import type { MarkovianArrivalProcess } from '@mbs/core';
import {
  computeWaitLaw,
  type ModelApproximation,
  thinArrivalProcess,
  type WaitLaw,
} from '@mbs/model';
import type { BufferEvaluator, BufferOutcome, BufferSettings } from './evaluator.js';
import { type BatchTimeTable, createBatchTimeTable, fastOutcome } from './fast-outcome.js';
import type { OptimizationProblem } from './problem.js';
import type { ClassRange } from './ranges.js';

/** Options of {@link createModelEvaluator}. */
export interface ModelEvaluatorOptions {
  /** `exact` (default) or MBS's published approximations. */
  readonly approximation?: ModelApproximation;
  /**
   * Relative step to which a range's share of requests is rounded when looking up its wait law,
   * so ranges with nearly equal shares (e.g. equal-share quantile classes) reuse one law. 0 (the
   * default) rounds only float noise. A step of 0.002 moves a buffer's arrival rate by at most
   * 0.1 %. Not used when the problem sets `rangeArrivals`: each range then has its own stream.
   */
  readonly shareResolution?: number;
  /** Wait laws kept at once (least recently used are dropped). Default 4096. */
  readonly waitLawCapacity?: number;
}

/**
 * Wait laws by (arrival stream, B, T), least recently used dropped beyond a capacity. A stream is
 * named by a key (a rounded share of the thinned MAP, or a range's identity when the problem gives
 * each range its own arrivals) and built only when a law for it is missing.
 */
class WaitLawLru {
  readonly #laws = new Map<string, WaitLaw>();
  constructor(
    private readonly approximation: ModelApproximation,
    private readonly capacity: number,
  ) {}

  get(
    streamKey: string,
    stream: () => MarkovianArrivalProcess,
    batchSize: number,
    timeoutSeconds: number,
  ): WaitLaw {
    const key = `${streamKey}|${batchSize}|${timeoutSeconds}`;
    let law = this.#laws.get(key);
    if (law) {
      this.#laws.delete(key);
    } else {
      law = computeWaitLaw(stream(), batchSize, timeoutSeconds, {
        approximation: this.approximation,
      });
      if (this.#laws.size >= this.capacity)
        this.#laws.delete(this.#laws.keys().next().value as string);
    }
    this.#laws.set(key, law);
    return law;
  }
}

/** A range's identity for the wait-law cache: its classes and the portion of each it takes. */
function rangeIdentity(range: ClassRange): string {
  return `${range.firstClass}-${range.lastClass}:${range.portions
    .map((portion) => Number(portion.toPrecision(12)))
    .join(',')}`;
}

const evaluators = new WeakMap<OptimizationProblem, BufferEvaluator>();

/**
 * The analytical model (`@mbs/model`) as the search's evaluator. A range receives the MAP thinned
 * to its share of requests (exact when classes are independent marks), or the range's own MAP when
 * the problem sets {@link OptimizationProblem.rangeArrivals}. Wait laws depend only on
 * (share, B, T), or (range, B, T) with `rangeArrivals`, and are cached, so sweeping M or reusing a
 * range across partitions costs only the latency and cost combination ({@link fastOutcome}). One
 * evaluator per problem object, so baselines and strategies solving the same problem share the
 * cache.
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
  const custom = options.approximation !== undefined || options.shareResolution !== undefined;
  const shared = custom ? undefined : evaluators.get(problem);
  if (shared) return shared;
  const approximation = options.approximation ?? 'exact';
  const laws = new WaitLawLru(approximation, options.waitLawCapacity ?? 4096);
  const resolution = options.shareResolution ?? 0;
  const roundShare = (share: number) =>
    resolution > 0
      ? Math.min(
          1,
          Number(
            Math.exp(
              Math.round(Math.log(share) / Math.log1p(resolution)) * Math.log1p(resolution),
            ).toPrecision(12),
          ),
        )
      : Math.min(1, Number(share.toPrecision(12)));
  const { map, rangeArrivals } = problem;
  /** The wait law of a range with `requestShare` of the requests, at (B, T). */
  const lawOf = (range: ClassRange, requestShare: number, settings: BufferSettings): WaitLaw => {
    if (rangeArrivals) {
      // Each range's own stream: ranges with equal shares no longer share a law.
      return laws.get(
        rangeIdentity(range),
        () => rangeArrivals(range),
        settings.batchSize,
        settings.timeoutSeconds,
      );
    }
    // Rounded so that equal ranges reached by different float sums share a law.
    const share = roundShare(requestShare);
    return laws.get(
      String(share),
      () => (share >= 1 ? map : thinArrivalProcess(map, share)),
      settings.batchSize,
      settings.timeoutSeconds,
    );
  };
  const classCount = problem.classShares.length;
  const tables = new Map<number, BatchTimeTable>();
  const batchTimesAt = (memoryMb: number) => {
    let table = tables.get(memoryMb);
    if (!table) {
      table = createBatchTimeTable(
        problem.profile,
        problem.pricing,
        memoryMb,
        problem.profile.maxBatchSize,
      );
      // Refinement visits many memories once each; keep the table map from growing without end.
      if (tables.size > 256) tables.clear();
      tables.set(memoryMb, table);
    }
    return table;
  };
  let evaluations = 0;
  const rangeMix = (range: ClassRange) => {
    const classIds: number[] = [];
    const shares: number[] = [];
    let requestShare = 0;
    range.portions.forEach((portion, offset) => {
      const share = portion * problem.classShares[range.firstClass + offset]!;
      if (share > 0) {
        classIds.push(range.firstClass + offset);
        shares.push(share);
        requestShare += share;
      }
    });
    return { classIds, shares: shares.map((share) => share / requestShare), requestShare };
  };
  let largest = new Float64Array(0);
  const evaluator: BufferEvaluator = {
    get evaluations() {
      return evaluations;
    },
    screen(range, settingsList, limit) {
      const values = new Float64Array(settingsList.length * 2);
      const { classIds, shares, requestShare } = rangeMix(range);
      if (problem.perSize || requestShare <= 0) {
        settingsList.forEach((settings, index) => {
          const outcome = evaluator.evaluate(range, settings);
          values[2 * index] = outcome.requestShare * outcome.costPerRequestUsd;
          values[2 * index + 1] =
            outcome.requestShare * Math.max(0, 1 - outcome.fractionWithin(limit));
        });
        return values;
      }
      const classCount = classIds.length;
      const cumulative = new Float64Array(classCount);
      shares.reduce((running, share, index) => {
        cumulative[index] = index === classCount - 1 ? 1 : running + share;
        return running + share;
      }, 0);
      let lawKey = '';
      let law: WaitLaw | undefined;
      settingsList.forEach((settings, index) => {
        evaluations++;
        const key = `${settings.batchSize}|${settings.timeoutSeconds}`;
        if (key !== lawKey || !law) {
          // Settings come grouped by (B, T): the law and the largest-class law are shared by every M.
          lawKey = key;
          law = lawOf(range, requestShare, settings);
          if (largest.length < settings.batchSize * classCount)
            largest = new Float64Array(settings.batchSize * classCount);
          for (let size = 1; size <= settings.batchSize; size++) {
            let previous = 0;
            for (let item = 0; item < classCount; item++) {
              const power = cumulative[item]! ** size;
              largest[(size - 1) * classCount + item] = power - previous;
              previous = power;
            }
          }
        }
        const table = batchTimesAt(settings.memoryMb);
        let costPerBatch = 0;
        let within = 0;
        for (let size = 1; size <= settings.batchSize; size++) {
          const batchProbability = law.batchSizeProbabilities[size - 1]!;
          const requestWeight = law.requestShareByBatchSize[size - 1]!;
          if (batchProbability <= 0 && requestWeight <= 0) continue;
          let cost = 0;
          let meets = 0;
          for (let item = 0; item < classCount; item++) {
            const probability = largest[(size - 1) * classCount + item]!;
            if (probability <= 0) continue;
            const classId = classIds[item]!;
            cost += probability * table.costUsd(classId, size);
            meets += probability * law.waitCdf(size, limit - table.seconds(classId, size));
          }
          costPerBatch += batchProbability * cost;
          within += requestWeight * meets;
        }
        values[2 * index] = requestShare * (costPerBatch / law.meanBatchSize);
        values[2 * index + 1] = requestShare * Math.max(0, 1 - Math.min(1, within));
      });
      return values;
    },
    evaluate(range, settings) {
      evaluations++;
      const classShares = new Array<number>(classCount).fill(0);
      range.portions.forEach((portion, offset) => {
        classShares[range.firstClass + offset] =
          portion * problem.classShares[range.firstClass + offset]!;
      });
      const requestShare = classShares.reduce((sum, share) => sum + share, 0);
      return requestShare <= 0 ? emptyOutcome() : modelOutcome();

      function modelOutcome(): BufferOutcome {
        const law = lawOf(range, requestShare, settings);
        const classIds: number[] = [];
        const shares: number[] = [];
        classShares.forEach((classShare, classId) => {
          if (classShare > 0) {
            classIds.push(classId);
            shares.push(classShare / requestShare);
          }
        });
        return fastOutcome({
          law,
          requestShare,
          classIds,
          classShares: shares,
          representativeSizes: problem.classRepresentativeSizes,
          batchTimes: batchTimesAt(settings.memoryMb),
          perSize: problem.perSize ?? false,
        });
      }
    },
  };
  if (!custom) evaluators.set(problem, evaluator);
  return evaluator;
}

function emptyOutcome(): BufferOutcome {
  return {
    requestShare: 0,
    costPerRequestUsd: 0,
    invocationsPerSecond: 0,
    paddingShare: 0,
    meanLatencySeconds: 0,
    fractionWithin: () => 1,
  };
}
