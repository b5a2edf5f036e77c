export {
  type FlatArrivalProcess,
  flattenArrivalProcess,
  thinArrivalProcess,
} from './arrival-process.js';
export { type BufferCost, bufferCost } from './buffer-cost.js';
export { type ClassMix, classMixFromShares, largestClassProbabilities } from './class-mix.js';
export { type BufferLatency, combineLatency, type ServiceOptions } from './combine-latency.js';
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
  WaitLawCache,
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
