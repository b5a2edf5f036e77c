/**
 * One buffer evaluation (wait law, latency mix, cost, p95) at B = 25 with a MAP(2), against the
 * MBS-approximation mode measured in the same run. Run: `npm run bench -w @mbs/model`.
 */
import {
  createLambdaLikePricing,
  createSyntheticProfile,
  measure,
  printBenchTable,
} from '@mbs/test-utils';
import { computeWaitLaw, evaluateBuffer } from '../src/index.js';
import { burstyMap, twitterHourOneMap } from '../src/reference-maps.js';

const pricing = createLambdaLikePricing({ billsInitPhase: false });
const fewClasses = createSyntheticProfile({ classCount: 4, maxBatchSize: 32 });
const manyClasses = createSyntheticProfile({ classCount: 33, maxBatchSize: 32 });
const threeShares = [0.5, 0.3, 0.2];
const thirtyThreeShares = Array.from({ length: 33 }, () => 1 / 33);

function evaluate(
  map: typeof twitterHourOneMap,
  timeoutSeconds: number,
  approximation: 'exact' | 'mbs',
  many = false,
): number {
  const result = evaluateBuffer({
    map,
    classShares: many ? thirtyThreeShares : threeShares,
    profile: many ? manyClasses : fewClasses,
    pricing,
    batchSize: 25,
    timeoutSeconds,
    memoryMb: 2048,
    approximation,
  });
  return result.latency.percentile(0.95) + result.costPerRequestUsd;
}

const options = { warmup: 20, runs: 200 };
const results = [
  await measure(
    'mbs approximation, Twitter h1, T=500ms',
    () => evaluate(twitterHourOneMap, 0.5, 'mbs'),
    options,
  ),
  await measure(
    'exact, Twitter h1, T=500ms',
    () => evaluate(twitterHourOneMap, 0.5, 'exact'),
    options,
  ),
  await measure(
    'exact, Twitter h1, T=100ms',
    () => evaluate(twitterHourOneMap, 0.1, 'exact'),
    options,
  ),
  await measure(
    'exact, bursty (SCV 21), T=500ms',
    () => evaluate(burstyMap, 0.5, 'exact'),
    options,
  ),
  await measure(
    'exact wait law only, Twitter h1, T=500ms',
    () => computeWaitLaw(twitterHourOneMap, 25, 0.5),
    options,
  ),
  await measure(
    'exact, Twitter h1, T=500ms, 33 classes',
    () => evaluate(twitterHourOneMap, 0.5, 'exact', true),
    options,
  ),
];
printBenchTable('evaluateBuffer, B = 25, MAP(2), p95 + cost per request', results);
