import type { BatchServiceTable } from './batch-service-table.js';
import type { ClassMix } from './class-mix.js';
import { errors } from './errors.js';
import { type LatencyComponent, LatencyDistribution } from './latency-distribution.js';
import type { WaitLaw } from './wait-law-types.js';

// The model's kernel for one buffer: from its wait law, its class mix and the service table of
// its memory, the law of a batch's largest class, the cost per request and padding, and latency
// (wait + service of the padded batch) as a distribution or straight as a fraction within a
// limit. `evaluateBuffer` builds its distributions here; the optimizer's evaluator calls the
// fast entry points (`bufferSummary`, `costAndFractionWithin`), which build no distribution
// objects and share a `LargestClassLaw` across settings. Given its batch size n, a request's wait
// is independent of the classes in its batch (classes are independent marks), and the classes of
// a batch are iid from the mix. This is the only place those two facts are turned into numbers.

/**
 * Writes P(largest class = classIds[i]) into `target[offset + i]` for `draws` independent draws
 * from the mix joined by one request of class classIds[smallestIndex]: 0 below that class,
 * F_k^draws at it, F_i^draws − F_{i−1}^draws above (F the cumulative shares).
 */
function fillLargestClassLaw(
  cumulative: readonly number[],
  draws: number,
  smallestIndex: number,
  target: Float64Array,
  offset: number,
): void {
  let previous = 0;
  for (let index = 0; index < cumulative.length; index++) {
    if (index < smallestIndex) {
      target[offset + index] = 0;
      continue;
    }
    const power = cumulative[index]! ** draws;
    target[offset + index] = power - previous;
    previous = power;
  }
}

/**
 * P(largest class of a batch = classIds[i]) when `draws` classes are independent draws from the
 * mix: F_i^n − F_{i−1}^n. With `smallestIndex` k, the draws join a request known to be of class
 * classIds[k], so no class below it can be largest: 0 below k, F_k^n at k, F_i^n − F_{i−1}^n above.
 *
 * @example
 * ```ts
 * largestClassProbabilities(classMix([0, 1], [0.5, 0.5]), 2); // [0.25, 0.75]
 * ```
 */
export function largestClassProbabilities(
  mix: ClassMix,
  draws: number,
  smallestIndex = 0,
): number[] {
  const target = new Float64Array(mix.cumulative.length);
  fillLargestClassLaw(mix.cumulative, draws, smallestIndex, target, 0);
  return Array.from(target);
}

/**
 * The law of a batch's largest class for batches of 1..maxBatchSize drawn from one class mix. It
 * depends on neither the arrivals nor T, so a search builds it once per class range and shares it
 * across every (B, T, M); it also keeps the flat service times it has read per service table.
 */
export interface LargestClassLaw {
  readonly mix: ClassMix;
  readonly maxBatchSize: number;
  /** P(largest class = mix.classIds[i] | batch of n), at `(n − 1) × classes + i`. */
  readonly probabilities: Float64Array;
  /**
   * For a request of the mix's `ownIndex`-th class: P(largest class = classIds[i] | its batch has
   * n requests), at `(n − 1) × classes + i` (the other n − 1 are draws from the mix).
   */
  givenClass(ownIndex: number): Float64Array;
  /**
   * Service seconds of a batch of n whose largest class is classIds[i], at `(n − 1) × classes +
   * i`, read from `table` on the first call for it, so latency fractions run on a flat array.
   */
  serviceSeconds(table: BatchServiceTable): Float64Array;
  /**
   * E[cost in USD of a batch of n] over its largest class, at n − 1 for n in 1..maxBatchSize,
   * from `table` on the first call for it. It depends on neither B nor T, so a search sweeping
   * (B, T) prices a setting in O(B) instead of O(B × classes).
   */
  costBySize(table: BatchServiceTable): Float64Array;
}

/** The largest-class law of batches of 1..`maxBatchSize` drawn from `mix`. */
export function largestClassLaw(mix: ClassMix, maxBatchSize: number): LargestClassLaw {
  const classes = mix.classIds.length;
  const lawOf = (offset: number, smallestIndex: number) => {
    const laws = new Float64Array(maxBatchSize * classes);
    for (let size = 1; size <= maxBatchSize; size++) {
      fillLargestClassLaw(mix.cumulative, size - offset, smallestIndex, laws, (size - 1) * classes);
    }
    return laws;
  };
  const byClass: Float64Array[] = [];
  const seconds = new Map<BatchServiceTable, Float64Array>();
  const costs = new Map<BatchServiceTable, Float64Array>();
  const probabilities = lawOf(0, 0);
  const checkCovers = (table: BatchServiceTable) => {
    if (maxBatchSize > table.maxBatchSize) {
      throw errors.error(
        'OPTION_INVALID',
        `the service table covers batches up to ${table.maxBatchSize}; batches here reach ${maxBatchSize}`,
      );
    }
  };
  return {
    mix,
    maxBatchSize,
    probabilities,
    givenClass(ownIndex) {
      let laws = byClass[ownIndex];
      if (!laws) {
        laws = lawOf(1, ownIndex);
        byClass[ownIndex] = laws;
      }
      return laws;
    },
    serviceSeconds(table) {
      let read = seconds.get(table);
      if (!read) {
        checkCovers(table);
        read = new Float64Array(maxBatchSize * classes);
        for (let size = 1; size <= maxBatchSize; size++) {
          for (let index = 0; index < classes; index++) {
            read[(size - 1) * classes + index] = table.seconds(mix.classIds[index]!, size);
          }
        }
        seconds.set(table, read);
      }
      return read;
    },
    costBySize(table) {
      let bySize = costs.get(table);
      if (!bySize) {
        checkCovers(table);
        bySize = new Float64Array(maxBatchSize);
        for (let size = 1; size <= maxBatchSize; size++) {
          let cost = 0;
          for (let index = 0; index < classes; index++) {
            const probability = probabilities[(size - 1) * classes + index]!;
            if (probability > 0) cost += probability * table.costUsd(mix.classIds[index]!, size);
          }
          bySize[size - 1] = cost;
        }
        costs.set(table, bySize);
      }
      return bySize;
    },
  };
}

/** One buffer's batches: their sizes (the wait law) and the law of their largest class. */
export interface BatchComposition {
  readonly law: WaitLaw;
  readonly mix: ClassMix;
  /** Its largest-class law (batches up to at least the law's B). */
  readonly classes: LargestClassLaw;
  /** P(largest class = mix.classIds[i] | batch of n), at `(n − 1) × classes + i`. */
  readonly largest: Float64Array;
}

/**
 * The batch composition of a buffer with wait law `law` and class mix `mix` (or a largest-class
 * law already built for it, to share); it depends on neither memory nor limits, so one serves
 * every memory size of a search.
 */
export function batchComposition(
  law: WaitLaw,
  classes: ClassMix | LargestClassLaw,
): BatchComposition {
  const shared = 'probabilities' in classes ? classes : undefined;
  if (shared && shared.maxBatchSize < law.batchSize) {
    throw errors.error(
      'OPTION_INVALID',
      `the largest-class law covers batches up to ${shared.maxBatchSize}; the wait law's B is ${law.batchSize}`,
    );
  }
  const classLaw = shared ?? largestClassLaw(classes as ClassMix, law.batchSize);
  return { law, mix: classLaw.mix, classes: classLaw, largest: classLaw.probabilities };
}

function checkTable(composition: BatchComposition, table: BatchServiceTable): void {
  if (composition.law.batchSize > table.maxBatchSize) {
    throw errors.error(
      'OPTION_INVALID',
      `the service table covers batches up to ${table.maxBatchSize}; the buffer's B is ${composition.law.batchSize}`,
    );
  }
}

/**
 * Service seconds of a batch of n whose largest class is mix.classIds[i], at `(n − 1) × classes
 * + i` for n up to at least the law's B (see {@link LargestClassLaw.serviceSeconds}).
 */
export function batchServiceSeconds(
  composition: BatchComposition,
  table: BatchServiceTable,
): Float64Array {
  checkTable(composition, table);
  return composition.classes.serviceSeconds(table);
}

/**
 * E[cost of one batch] in USD: a batch of n whose largest class is c costs the table's
 * invocation cost of (c, n).
 */
export function expectedBatchCostUsd(
  composition: BatchComposition,
  table: BatchServiceTable,
): number {
  checkTable(composition, table);
  const { law, classes } = composition;
  const bySize = classes.costBySize(table);
  let costPerBatch = 0;
  for (let size = 1; size <= law.batchSize; size++)
    costPerBatch += law.batchSizeProbabilities[size - 1]! * bySize[size - 1]!;
  return costPerBatch;
}

/**
 * P(latency ≤ `limitSeconds`) for an arbitrary request of the buffer: the mixture over batch
 * size n (weight: the share of requests in batches of n) and largest class c of the wait law of
 * n shifted by s(c, n). `serviceSeconds` from {@link batchServiceSeconds}. With `floor`, a search
 * that only wants fractions above it may be answered early: once the fraction cannot exceed
 * `floor`, some value at most `floor` is returned instead of the exact one.
 */
export function fractionWithin(
  composition: BatchComposition,
  serviceSeconds: Float64Array,
  limitSeconds: number,
  floor = Number.NEGATIVE_INFINITY,
): number {
  const { law, largest } = composition;
  const classes = composition.mix.classIds.length;
  let total = 0;
  // What the sizes still to come can add at most (their weight times the share of their batches
  // that service alone does not push over the limit): the fraction is at most total + remaining.
  let remaining = 0;
  const early = floor > Number.NEGATIVE_INFINITY;
  if (early) {
    // First a bound without waits, which answers most hopeless settings without the wait table;
    // its terms by size then bound what each size can still add.
    if (possibleScratch.length < law.batchSize) possibleScratch = new Float64Array(law.batchSize);
    const bound = fractionWithinBound(composition, serviceSeconds, limitSeconds, possibleScratch);
    if (bound + 1e-12 <= floor) return Math.min(floor, bound);
    remaining = bound;
  }
  for (let size = 1; size <= law.batchSize; size++) {
    const weight = law.requestShareByBatchSize[size - 1]!;
    if (weight <= 0) continue;
    let within = 0;
    for (let index = 0; index < classes; index++) {
      const cell = (size - 1) * classes + index;
      const probability = largest[cell]!;
      if (probability > 0) {
        within += probability * law.waitCdf(size, limitSeconds - serviceSeconds[cell]!);
      }
    }
    total += weight * within;
    if (!early) continue;
    remaining -= possibleScratch[size - 1]!;
    // Classes' probabilities sum to 1 up to rounding, hence the margin.
    if (total + remaining + 1e-12 <= floor) return Math.min(floor, total + remaining);
  }
  return Math.min(1, total);
}

/**
 * An upper bound of {@link fractionWithin} that reads no wait: a request whose batch's service
 * alone exceeds the limit misses it. With service seconds at most the buffer's (e.g. the least
 * over several memories) it bounds the fraction of each of them: the sum only gains terms.
 * With `bySize`, each size's term (its weight times its possible share) is written at n − 1.
 */
export function fractionWithinBound(
  composition: BatchComposition,
  serviceSeconds: Float64Array,
  limitSeconds: number,
  bySize?: Float64Array,
): number {
  const { law, largest } = composition;
  const classes = composition.mix.classIds.length;
  let bound = 0;
  for (let size = 1; size <= law.batchSize; size++) {
    const weight = law.requestShareByBatchSize[size - 1]!;
    if (bySize) bySize[size - 1] = 0;
    if (weight <= 0) continue;
    let possible = 0;
    for (let index = 0; index < classes; index++) {
      const cell = (size - 1) * classes + index;
      if (serviceSeconds[cell]! <= limitSeconds) possible += largest[cell]!;
    }
    bound += weight * possible;
    if (bySize) bySize[size - 1] = weight * possible;
  }
  return bound;
}

// Each size's term of the bound, for fractionWithin's early answer (grown as larger B come).
let possibleScratch = new Float64Array(32);

/**
 * The share of the buffer's requests whose latency per unit of size is at most `limit`: a request
 * of class k meets it when its latency is at most limit × size(k). `sizes` is indexed by class id.
 */
export function fractionWithinPerSize(
  composition: BatchComposition,
  serviceSeconds: Float64Array,
  limit: number,
  sizes: readonly number[],
): number {
  const { law, mix } = composition;
  const classes = mix.classIds.length;
  let total = 0;
  for (let own = 0; own < classes; own++) {
    const threshold = limit * sizes[mix.classIds[own]!]!;
    const largest = composition.classes.givenClass(own);
    let withinOwn = 0;
    for (let size = 1; size <= law.batchSize; size++) {
      const weight = law.requestShareByBatchSize[size - 1]!;
      if (weight <= 0) continue;
      let within = 0;
      for (let index = own; index < classes; index++) {
        const cell = (size - 1) * classes + index;
        const probability = largest[cell]!;
        if (probability > 0) {
          within += probability * law.waitCdf(size, threshold - serviceSeconds[cell]!);
        }
      }
      withinOwn += weight * within;
    }
    total += mix.shares[own]! * withinOwn;
  }
  return Math.min(1, total);
}

/** E[latency] over the buffer's requests in seconds: E[wait] + E[service of their batch]. */
export function meanLatencySeconds(
  composition: BatchComposition,
  serviceSeconds: Float64Array,
): number {
  const { law, largest } = composition;
  const classes = composition.mix.classIds.length;
  let meanService = 0;
  for (let size = 1; size <= law.batchSize; size++) {
    let expected = 0;
    for (let index = 0; index < classes; index++) {
      const cell = (size - 1) * classes + index;
      const probability = largest[cell]!;
      if (probability > 0) expected += probability * serviceSeconds[cell]!;
    }
    meanService += law.requestShareByBatchSize[size - 1]! * expected;
  }
  return law.meanWaitSeconds + meanService;
}

/**
 * The search's inner loop: the buffer's cost per request in USD and P(latency ≤ `limitSeconds`)
 * at one memory, as {@link bufferSummary} gives them, without building a summary. With `sizes`
 * (indexed by class id), the fraction is of latency per unit of size, as
 * {@link BufferSummary.fractionWithinPerSize}.
 */
export function costAndFractionWithin(
  composition: BatchComposition,
  table: BatchServiceTable,
  limitSeconds: number,
  sizes?: readonly number[],
): { readonly costPerRequestUsd: number; readonly fractionWithin: number } {
  const service = batchServiceSeconds(composition, table);
  return {
    costPerRequestUsd: expectedBatchCostUsd(composition, table) / composition.law.meanBatchSize,
    fractionWithin: sizes
      ? fractionWithinPerSize(composition, service, limitSeconds, sizes)
      : fractionWithin(composition, service, limitSeconds),
  };
}

/** Cost, rate of invocations and padding of one buffer. */
export interface BufferCost {
  /** E[cost of one batch] in USD. */
  readonly costPerBatchUsd: number;
  /** E[cost per batch] / E[N], USD. */
  readonly costPerRequestUsd: number;
  /** Batches (invocations) per second: λ / E[N]. */
  readonly invocationsPerSecond: number;
  /** E[requests' real size per batch], in representative-size units (with sizes given). */
  readonly realElementsPerBatch?: number;
  /** E[n × representative size of the largest class] per batch (with sizes given). */
  readonly paddedElementsPerBatch?: number;
  /** Share of padded input elements, 1 − real / padded, at least 0 (with sizes given). */
  readonly paddingShare?: number;
}

/**
 * Expected cost per request, invocations per second and, with each class's representative size
 * (indexed by class id), the padding of one buffer.
 */
export function bufferCost(
  composition: BatchComposition,
  table: BatchServiceTable,
  representativeSizes?: readonly number[],
): BufferCost {
  const { law, mix, largest } = composition;
  const costPerBatchUsd = expectedBatchCostUsd(composition, table);
  const base = {
    costPerBatchUsd,
    costPerRequestUsd: costPerBatchUsd / law.meanBatchSize,
    invocationsPerSecond: law.arrivalRatePerSecond / law.meanBatchSize,
  };
  if (representativeSizes === undefined) return base;
  const classes = mix.classIds.length;
  let paddedElementsPerBatch = 0;
  for (let size = 1; size <= law.batchSize; size++) {
    let padded = 0;
    for (let index = 0; index < classes; index++) {
      const probability = largest[(size - 1) * classes + index]!;
      if (probability > 0)
        padded += probability * size * representativeSizes[mix.classIds[index]!]!;
    }
    paddedElementsPerBatch += law.batchSizeProbabilities[size - 1]! * padded;
  }
  const meanClassSize = mix.classIds.reduce(
    (sum, classId, index) => sum + mix.shares[index]! * representativeSizes[classId]!,
    0,
  );
  const realElementsPerBatch = law.meanBatchSize * meanClassSize;
  return {
    ...base,
    realElementsPerBatch,
    paddedElementsPerBatch,
    paddingShare:
      paddedElementsPerBatch > 0
        ? Math.max(0, 1 - realElementsPerBatch / paddedElementsPerBatch)
        : 0,
  };
}

/**
 * A request latency distribution of the buffer (of any request, or of a request of `classId`):
 * one component per (batch size n, largest class c), the wait law of n shifted by s(c, n).
 */
export function latencyDistribution(
  composition: BatchComposition,
  table: BatchServiceTable,
  classId?: number,
): LatencyDistribution {
  checkTable(composition, table);
  const { law, mix } = composition;
  let largest = composition.largest;
  if (classId !== undefined) {
    const own = mix.classIds.indexOf(classId);
    if (own < 0) {
      throw errors.error(
        'OPTION_INVALID',
        `class ${classId} has no share in this buffer; classes present: ${mix.classIds.join(', ')}`,
        { details: { classId } },
      );
    }
    largest = composition.classes.givenClass(own);
  }
  const classes = mix.classIds.length;
  const components: LatencyComponent[] = [];
  for (let size = 1; size <= law.batchSize; size++) {
    const requestShare = law.requestShareByBatchSize[size - 1]!;
    if (requestShare <= 0) continue;
    for (let index = 0; index < classes; index++) {
      const probability = largest[(size - 1) * classes + index]!;
      if (probability > 0) {
        components.push({
          law,
          batchSize: size,
          shiftSeconds: table.seconds(mix.classIds[index]!, size),
          weight: requestShare * probability,
        });
      }
    }
  }
  return new LatencyDistribution(components);
}

/** What a search reads of one buffer: cost, rates, padding, mean latency and latency fractions. */
export interface BufferSummary extends BufferCost {
  readonly meanLatencySeconds: number;
  /** P(latency ≤ limitSeconds) over the buffer's requests. */
  fractionWithin(limitSeconds: number): number;
  /** Share of requests whose latency per unit of representative size is at most `limit`. */
  fractionWithinPerSize(limit: number): number;
}

/**
 * The fast entry point of the kernel: the buffer's cost and latency figures straight from its
 * composition, without latency distribution objects (equal to {@link latencyDistribution}'s
 * CDF and {@link bufferCost} up to rounding).
 *
 * @example
 * ```ts
 * const composition = batchComposition(computeWaitLaw(map, 10, 0.2), classMix([0, 1], [0.7, 0.3]));
 * const summary = bufferSummary(composition, createBatchServiceTable(profile, pricing, 2048));
 * summary.fractionWithin(0.5); // P(latency ≤ 500 ms)
 * ```
 */
export function bufferSummary(
  composition: BatchComposition,
  table: BatchServiceTable,
  representativeSizes?: readonly number[],
): BufferSummary {
  const cost = bufferCost(composition, table, representativeSizes);
  const service = batchServiceSeconds(composition, table);
  let meanLatency: number | undefined;
  return {
    ...cost,
    // On first read: it needs the wait law's table, which a search pricing cost alone skips.
    get meanLatencySeconds() {
      meanLatency ??= meanLatencySeconds(composition, service);
      return meanLatency;
    },
    fractionWithin: (limit) => fractionWithin(composition, service, limit),
    fractionWithinPerSize(limit) {
      if (representativeSizes === undefined) {
        throw errors.error(
          'OPTION_INVALID',
          'a latency per unit of size needs the classes’ representative sizes',
        );
      }
      return fractionWithinPerSize(composition, service, limit, representativeSizes);
    },
  };
}
