import type { MarkovianArrivalProcess } from '@mbs/core';
import { createRandom } from '@mbs/core';
import type { OptimizationProblem } from '../problem.js';
import { createPricingStub, createProfileStub } from './contract-stubs.js';

/** A random MAP(2): two phases with their own arrival rates and switching rates (an MMPP(2)). */
export function randomMap(uniform: () => number): MarkovianArrivalProcess {
  const rateA = 5 + 60 * uniform();
  const rateB = 1 + 20 * uniform();
  const switchAB = 0.2 + 5 * uniform();
  const switchBA = 0.2 + 5 * uniform();
  return {
    d0: [
      [-(rateA + switchAB), switchAB],
      [switchBA, -(rateB + switchBA)],
    ],
    d1: [
      [rateA, 0],
      [0, rateB],
    ],
  };
}

/** A random problem over `classCount` classes on a grid small enough for `exhaustive`. */
export function randomProblem(seed: number, classCount = 8): OptimizationProblem {
  const uniform = createRandom(seed).next;
  const weights = Array.from({ length: classCount }, () => 0.05 + uniform());
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return {
    map: randomMap(uniform),
    classShares: weights.map((weight) => weight / total),
    classRepresentativeSizes: Array.from({ length: classCount }, (_, classId) => 2 ** classId),
    profile: createProfileStub(classCount),
    pricing: createPricingStub(),
    percentile: 0.95,
    constraint: { mode: 'latency', sloSeconds: 0.4 + 0.6 * uniform() },
    bounds: {
      maxBuffers: 4,
      batchSizes: [1, 2, 4, 8, 16],
      timeoutsSeconds: [0.01, 0.02, 0.05, 0.1, 0.2, 0.4],
      memoriesMb: [1024, 2048, 3072],
      // Every other workload may split a boundary class between two buffers.
      splitShares: seed % 2 === 0 ? [0.5] : [],
    },
  };
}
