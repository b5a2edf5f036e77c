import type { PricingModel, ServiceTimeProfile } from '@mbs/core';
import { secondsToMilliseconds } from '@mbs/core';
import type { WaitLaw } from '@mbs/model';
import type { BufferOutcome } from './evaluator.js';

/** What {@link fastOutcome} needs besides the wait law. */
export interface FastOutcomeInput {
  readonly law: WaitLaw;
  /** Share of all requests this buffer serves. */
  readonly requestShare: number;
  /** Classes present in the buffer, ascending, and their shares within it (summing to 1). */
  readonly classIds: readonly number[];
  readonly classShares: readonly number[];
  readonly representativeSizes: readonly number[];
  /** Service seconds and cost in USD of a batch of `size` whose largest class is `classId`. */
  readonly batchTimes: BatchTimeTable;
  readonly perSize: boolean;
}

/** Service time and invocation cost by (largest class, batch size) at one memory size. */
export interface BatchTimeTable {
  seconds(classId: number, size: number): number;
  costUsd(classId: number, size: number): number;
}

/**
 * Service times and costs of every (class, batch size) at one memory, asked of the profile and
 * the pricing once and then looked up: the search evaluates the same memory for many ranges.
 */
export function createBatchTimeTable(
  profile: ServiceTimeProfile,
  pricing: PricingModel,
  memoryMb: number,
  maxBatchSize: number,
): BatchTimeTable {
  const classCount = profile.classCount;
  const seconds = new Float64Array(classCount * maxBatchSize).fill(Number.NaN);
  const costs = new Float64Array(classCount * maxBatchSize);
  return {
    seconds(classId, size) {
      const index = classId * maxBatchSize + size - 1;
      let value = seconds[index]!;
      if (Number.isNaN(value)) {
        value = profile.serviceTimeSeconds(memoryMb, classId, size);
        seconds[index] = value;
        costs[index] = pricing.invocationCostUsd({
          durationMs: secondsToMilliseconds(value),
          memoryMb,
        });
      }
      return value;
    },
    costUsd(classId, size) {
      this.seconds(classId, size);
      return costs[classId * maxBatchSize + size - 1]!;
    },
  };
}

/**
 * The model's outcome of one buffer computed straight from its wait law, for the search's inner
 * loop: only what the search reads (cost, the fraction within a limit, rates, padding), with the
 * largest-class law in closed form. It equals `@mbs/model`'s evaluateBuffer on these quantities (a
 * test checks it) and is several times faster, because it builds no per-class distributions.
 *
 * A request of class k in a batch of n: the other n - 1 classes are independent draws from the
 * buffer's mix F, so P(largest <= c) = F(c)^(n-1) for c >= k; over all requests of the buffer,
 * P(largest <= c | n) = F(c)^n. A batch of n with largest class c takes s(M, c, n).
 */
export function fastOutcome(input: FastOutcomeInput): BufferOutcome {
  const { law, classIds, classShares, batchTimes } = input;
  const classCount = classIds.length;
  const maxBatch = law.batchSize;
  const cumulative = new Float64Array(classCount);
  let running = 0;
  for (let index = 0; index < classCount; index++) {
    running += classShares[index]!;
    cumulative[index] = index === classCount - 1 ? 1 : running;
  }
  // service[n-1][i]: seconds of a batch of n whose largest class is classIds[i].
  const service: Float64Array[] = [];
  // largest[n-1][i]: P(largest class = classIds[i] | batch of n).
  const largest: Float64Array[] = [];
  let costPerBatch = 0;
  let paddedPerBatch = 0;
  let meanService = 0;
  for (let size = 1; size <= maxBatch; size++) {
    const times = new Float64Array(classCount);
    const probabilities = new Float64Array(classCount);
    let previous = 0;
    let expectedCost = 0;
    let expectedPadded = 0;
    let expectedService = 0;
    for (let index = 0; index < classCount; index++) {
      const seconds = batchTimes.seconds(classIds[index]!, size);
      times[index] = seconds;
      const power = cumulative[index]! ** size;
      const probability = power - previous;
      previous = power;
      probabilities[index] = probability;
      if (probability > 0) {
        expectedCost += probability * batchTimes.costUsd(classIds[index]!, size);
        expectedPadded += probability * size * input.representativeSizes[classIds[index]!]!;
        expectedService += probability * seconds;
      }
    }
    service.push(times);
    largest.push(probabilities);
    const batchProbability = law.batchSizeProbabilities[size - 1]!;
    costPerBatch += batchProbability * expectedCost;
    paddedPerBatch += batchProbability * expectedPadded;
    meanService += law.requestShareByBatchSize[size - 1]! * expectedService;
  }
  const meanClassSize = classIds.reduce(
    (sum, classId, index) => sum + classShares[index]! * input.representativeSizes[classId]!,
    0,
  );
  const realPerBatch = law.meanBatchSize * meanClassSize;

  const fractionWithin = (limit: number): number => {
    let total = 0;
    for (let size = 1; size <= maxBatch; size++) {
      const weight = law.requestShareByBatchSize[size - 1]!;
      if (weight <= 0) continue;
      const times = service[size - 1]!;
      const probabilities = largest[size - 1]!;
      let within = 0;
      for (let index = 0; index < classCount; index++) {
        const probability = probabilities[index]!;
        if (probability > 0) within += probability * law.waitCdf(size, limit - times[index]!);
      }
      total += weight * within;
    }
    return Math.min(1, total);
  };

  // Per size unit: a request of class k meets the limit when latency <= limit x size(k).
  const fractionWithinPerSize = (limit: number): number => {
    let total = 0;
    for (let own = 0; own < classCount; own++) {
      const threshold = limit * input.representativeSizes[classIds[own]!]!;
      let withinOwn = 0;
      for (let size = 1; size <= maxBatch; size++) {
        const weight = law.requestShareByBatchSize[size - 1]!;
        if (weight <= 0) continue;
        const times = service[size - 1]!;
        let previous = 0;
        let within = 0;
        for (let index = own; index < classCount; index++) {
          const power = cumulative[index]! ** (size - 1);
          const probability = index === own ? power : power - previous;
          previous = power;
          if (probability > 0) within += probability * law.waitCdf(size, threshold - times[index]!);
        }
        withinOwn += weight * within;
      }
      total += classShares[own]! * withinOwn;
    }
    return Math.min(1, total);
  };

  return {
    requestShare: input.requestShare,
    costPerRequestUsd: costPerBatch / law.meanBatchSize,
    invocationsPerSecond: law.arrivalRatePerSecond / law.meanBatchSize,
    paddingShare: paddedPerBatch > 0 ? Math.max(0, 1 - realPerBatch / paddedPerBatch) : 0,
    meanLatencySeconds: law.meanWaitSeconds + meanService,
    fractionWithin: input.perSize ? fractionWithinPerSize : fractionWithin,
  };
}
