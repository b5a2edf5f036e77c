export { MAX_UNIFORMIZATION_MEAN } from '@mbs/markov';
export {
  type FlatArrivalProcess,
  flattenArrivalProcess,
  thinArrivalProcess,
} from './arrival-process.js';
export {
  type BatchServiceTable,
  batchServiceTables,
  createBatchServiceTable,
} from './batch-service-table.js';
export {
  type BatchComposition,
  type BufferCost,
  type BufferSummary,
  batchComposition,
  batchServiceSeconds,
  bufferCost,
  bufferSummary,
  costAndFractionWithin,
  expectedBatchCostUsd,
  fractionWithin,
  fractionWithinBound,
  fractionWithinPerSize,
  type LargestClassLaw,
  largestClassLaw,
  largestClassProbabilities,
  latencyDistribution,
} from './buffer-outcome.js';
export { type ClassMix, classMix, classMixFromShares } from './class-mix.js';
export {
  type BufferEvaluation,
  type EvaluateBufferOptions,
  evaluateBuffer,
} from './evaluate-buffer.js';
export {
  type EvaluateSystemOptions,
  evaluateSystem,
  type SystemBufferEvaluation,
  type SystemEvaluation,
} from './evaluate-system.js';
export { type LatencyComponent, LatencyDistribution } from './latency-distribution.js';
export { burstyMap, twitterHourOneMap } from './reference-maps.js';
export {
  computeWaitLaw,
  type ModelApproximation,
  type WaitLaw,
  type WaitLawOptions,
} from './wait-law.js';
export { WaitLawCache, type WaitLawCacheOptions } from './wait-law-cache.js';
