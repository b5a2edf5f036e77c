export {
  cpuSpeedup,
  LAMBDA_MAX_VCPU,
  LAMBDA_MB_PER_VCPU,
  LAMBDA_MEMORY_RANGE_MB,
  lambdaVcpu,
} from './lambda-cpu.js';
export { type MbsProfileOptions, parseMbsProfile, readMbsProfile } from './mbs-profile.js';
export {
  DEFAULT_PROFILE_GAP_MS,
  DEFAULT_PROFILE_RETRY,
  type MeasureProfileOptions,
  measureProfile,
  type ProfileMeasurement,
} from './measure/measure-profile.js';
export {
  buildMeasuredProfile,
  type FitErrorSummary,
  type InitDurationReport,
  LAW_FORMULA,
  MEASURED_PROFILE_SCHEMA,
  type MeasuredPointReport,
  type MeasuredProfileDocument,
  type MeasuredProfileInput,
  type MeasurementSection,
  type PointRole,
  writeMeasuredProfile,
} from './measure/measured-profile.js';
export {
  type ColdStartRecord,
  type MeasurementProgress,
  type PointMeasurement,
  pointMeasurementProblem,
  type RetryRecord,
} from './measure/measurement.js';
export {
  type MeasuredFunction,
  type MeasurementMarker,
  measurementMarker,
} from './measure/measurement-marker.js';
export {
  type CostRange,
  estimatePlanCost,
  type PlanCost,
  type PlanCostOptions,
} from './measure/plan-cost.js';
export {
  checkProfileGrid,
  DEFAULT_PROFILE_GRID,
  defaultReferenceMemories,
  type PlannedPoint,
  type PlanOptions,
  type ProfileGrid,
  type ProfilePlan,
  planProfile,
  pointKey,
} from './measure/profile-plan.js';
export {
  checkRepetitionRule,
  DEFAULT_REPETITION_RULE,
  type RepetitionRule,
  repetitionStop,
  type SampleSummary,
  type StopReason,
  summarizeSamples,
  TRIM_SHARE,
} from './measure/repetitions.js';
export {
  ROUND_SPEED_MIN_SAMPLES,
  type RoundSamples,
  type RoundSpeed,
  roundSpeedFactors,
} from './measure/round-speed.js';
export {
  fitServiceTimeLaw,
  type LawObservation,
  type MemoryLaw,
  type ServiceTimeLaw,
} from './measure/service-time-law.js';
export { responseAt, type WorkResponse } from './measure/work-response.js';
export { inverseMemoryNeighbours } from './memory-interpolation.js';
export {
  createParametricProfile,
  DEFAULT_PARAMETRIC_PROFILE,
  type ParametricProfileParameters,
} from './parametric-profile.js';
