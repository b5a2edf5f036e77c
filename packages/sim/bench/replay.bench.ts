// Replay throughput: requests per second through the policy, profile and pricing, against a
// baseline that only samples the same arrivals (MAP inter-arrivals and classes).
import { classSchemeFromEdges, createRandom } from '@mbs/core';
import { createMapSampler } from '@mbs/markov';
import { createParametricProfile, DEFAULT_PARAMETRIC_PROFILE } from '@mbs/profiles';
import { createLambdaLikePricing, measure, printBenchTable } from '@mbs/test-utils';
import {
  createClassSampler,
  replayArrivals,
  sampleMapArrivals,
  simulateMap,
} from '../src/index.js';

const REQUESTS = 1_000_000;
const map = {
  d0: [
    [-90.6, 0.6],
    [0.2, -10.2],
  ],
  d1: [
    [90, 0],
    [0, 10],
  ],
};
const representativeSizes = [...DEFAULT_PARAMETRIC_PROFILE.representativeSizes];
const classShares = representativeSizes.map(() => 1 / representativeSizes.length);
const workload = { map, classShares, representativeSizes };
const profile = createParametricProfile();
const pricing = createLambdaLikePricing();
const buffer = (
  first: number,
  last: number,
  firstShare: number,
  lastShare: number,
  batchSize: number,
  timeoutSeconds: number,
  memoryMb: number,
) => ({
  firstClass: first,
  lastClass: last,
  firstClassShare: firstShare,
  lastClassShare: lastShare,
  batchSize,
  timeoutSeconds,
  memoryMb,
});
// Three buffers with a split boundary class, as the optimizer produces.
const system = {
  buffers: [
    buffer(0, 3, 1, 0.5, 16, 0.2, 1769),
    buffer(3, 6, 0.5, 1, 8, 0.1, 3008),
    buffer(7, 7, 1, 1, 2, 0.05, 6144),
  ],
};
const options = { system, profile, pricing, seed: 7 };

function sampleOnly(): number {
  const random = createRandom(7);
  const sampler = createMapSampler(map, random);
  const classOf = createClassSampler(classShares);
  let time = 0;
  let classes = 0;
  for (let index = 0; index < REQUESTS; index++) {
    time += sampler.nextInterArrival();
    classes += classOf(random.next());
  }
  return time + classes;
}

const arrivals = [...sampleMapArrivals({ ...workload, count: REQUESTS, seed: 7 })];
const scheme = classSchemeFromEdges(representativeSizes);
const unclassed = arrivals.map(({ timeSeconds, size }) => ({ timeSeconds, size }));
let sink = 0;
const run = { warmup: 1, runs: 7, unitsPerRun: REQUESTS };
const results = [
  await measure('sample arrivals only (baseline)', sampleOnly, run),
  await measure('simulateMap, no records', () => simulateMap(workload, options, REQUESTS), run),
  await measure(
    'simulateMap, cold starts',
    () =>
      simulateMap(
        workload,
        { ...options, coldStart: { initDurationMs: 300, keepWarmSeconds: 600 } },
        REQUESTS,
      ),
    run,
  ),
  await measure(
    'simulateMap, records streamed',
    () =>
      simulateMap(
        workload,
        {
          ...options,
          onRequest: (record) => {
            sink += record.latencySeconds;
          },
          onBatch: (record) => {
            sink += record.costUsd;
          },
        },
        REQUESTS,
      ),
    run,
  ),
  await measure(
    'replayArrivals (trace array, classed by scheme)',
    () => replayArrivals(unclassed, { ...options, classScheme: scheme }),
    run,
  ),
];
printBenchTable(
  `Replay of ${REQUESTS.toLocaleString('en')} requests (3 buffers, 8 classes)`,
  results,
);
const summary = simulateMap(workload, options, REQUESTS).overall;
console.log(
  `check: p99 ${summary.p99LatencySeconds.toFixed(4)} s, mean batch ${summary.meanBatchSize.toFixed(2)}, $${summary.costPerRequestUsd.toPrecision(4)} per request${sink > 0 ? '' : ' '}`,
);
