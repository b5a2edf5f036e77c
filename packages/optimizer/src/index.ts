export {
  type SolveReport,
  type SolveWithBaselinesOptions,
  solveWithBaselines,
} from './baselines.js';
export { bufferPercentile } from './buffer-percentile.js';
export { type Candidate, gridSettings, paretoFront } from './candidates.js';
export { type Combination, combineExactly } from './combine-exactly.js';
export {
  type BufferEvaluator,
  type BufferOutcome,
  type BufferSettings,
  systemCostPerRequest,
  systemFractionWithin,
  systemPercentile,
} from './evaluator.js';
export {
  createGaussianProcess,
  expectedImprovement,
  type GaussianProcess,
} from './gaussian-process.js';
export { type GridBoundHit, gridBoundsReached } from './grid-bounds.js';
export { type GridSearchOptions, gridSearch, type PartitionSearch } from './grid-search.js';
export { batchSizeGrid, timeoutGrid } from './grids.js';
export {
  type LatencyFloor,
  type LatencyFloorProblem,
  latencyFloor,
  underFloor,
} from './latency-floor.js';
export {
  createModelEvaluator,
  type ModelEvaluatorOptions,
  searchWaitLaws,
} from './model-evaluator.js';
export {
  createCostBudgetObjective,
  createLatencySloObjective,
} from './objectives/builtin-objectives.js';
export {
  type ObjectiveSearchOptions,
  type ObjectiveSolution,
  searchObjective,
  standardProblem,
} from './objectives/objective-search.js';
export { predictConfiguration } from './objectives/predicted-configuration.js';
export type { OptimizationProblem, SearchBounds, SearchConstraint } from './problem.js';
export {
  type ClassPosition,
  type ClassRange,
  classPositions,
  classRange,
  equalLoadPartition,
  partitions,
} from './ranges.js';
export {
  hasRobustnessMargin,
  type RobustnessMargin,
  withRobustnessMargin,
} from './robustness-margin.js';
export { type SloSweepOptions, type SloSweepPoint, sweepSlos } from './slo-sweep.js';
export type { Solution, SolvedBuffer } from './solution.js';
export { type BayesianSearchOptions, bayesianSearch } from './strategies/bayesian.js';
export {
  createBayesianStrategy,
  createExhaustiveStrategy,
  createFrontierStrategy,
  type EvaluatorFactory,
  type MbsSearchStrategy,
  type StrategyOptions,
} from './strategies/strategies.js';
export {
  type ArrivalsReplayOptions,
  createArrivalsReplay,
} from './verify/arrivals-replay.js';
export {
  type ExceedanceEstimate,
  exceedancePredictionMargin,
  type LatencyStretches,
} from './verify/batch-means.js';
export {
  createMapSampleReplay,
  type MapSampleReplayOptions,
} from './verify/map-sample-replay.js';
export type { ReplayMeasurement, SystemReplay } from './verify/replay-measurement.js';
export { DEFAULT_VERIFY_ROUNDS, type VerifySolutionOptions } from './verify/verify-options.js';
export {
  type RequestsOverSlo,
  type Verification,
  type VerificationAttempt,
  verifySolution,
} from './verify/verify-solution.js';
