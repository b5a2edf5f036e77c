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
  type BufferSample,
  empiricalQuantile,
  replayBuffer,
  replaySystem,
  replaySystemOnArrivals,
  type SystemSample,
  sampleArrivalTimes,
  sampleClasses,
  seededUniform,
} from './reference-replay.js';
export {
  createValidationPricing,
  createValidationProfile,
  formatValidationTable,
  measurementFromLatencies,
  type ReplayFunction,
  type ReplayMeasurement,
  referenceReplay,
  replayValidationCases,
  VALIDATION_CLASS_SHARES,
  VALIDATION_TOLERANCES,
  VALIDATION_WORKLOADS,
  type ValidateAgainstReplayOptions,
  type ValidationCase,
  type ValidationErrors,
  type ValidationFigures,
  type ValidationGridOptions,
  type ValidationRow,
  validateAgainstReplay,
} from './replay-validation.js';
export {
  computeWaitLaw,
  type ModelApproximation,
  type WaitLaw,
  type WaitLawOptions,
} from './wait-law.js';
export { WaitLawCache, type WaitLawCacheOptions } from './wait-law-cache.js';
