export {
  CLASS_MARKS_MODES,
  type ClassMarksMode,
  fitClassMarks,
  type MarkedWindowFit,
} from './class-marks.js';
export {
  buildClassScheme,
  CLASS_METHODS,
  type ClassMethod,
  type ClassSchemeSpec,
  classSchemeByEdges,
  classSchemeByLog,
  classSchemeByQuantile,
  classShares,
  DEFAULT_CLASS_COUNT,
  hasNoSizes,
} from './class-schemes.js';
export {
  countingMatch,
  DEFAULT_COUNT_WINDOWS_SECONDS,
  type TraceCounts,
  traceCounts,
} from './counting-statistics.js';
export {
  type ClassedWorkload,
  DEFAULT_EM_PHASES,
  DEFAULT_MINIMUM_WINDOW_ARRIVALS,
  FIT_METHODS,
  type FitMethod,
  type FitWindowOptions,
  type FitWorkloadOptions,
  fitWindow,
  fitWorkload,
} from './fit-workload.js';
export { type HoldoutSplit, splitTraceForHoldout } from './holdout-split.js';
export { markedRangeArrivals } from './marked-range-arrivals.js';
export {
  type ArrivalClassRange,
  type ClassedArrival,
  createRangeArrivals,
  DEFAULT_RANGE_MINIMUM_ARRIVALS,
  type RangeArrivals,
  type RangeArrivalsOptions,
  type RangeFitSummary,
} from './range-arrivals.js';
export { CANDIDATE_EM_PHASES, positiveGaps } from './select-fit.js';
export { createSizeSample, type SizeSample } from './size-sample.js';
export {
  type ClassSummary,
  type CountingSummary,
  type CountSummary,
  DEFAULT_LAGS,
  type InterArrivalSummary,
  type SizeSummary,
  type TraceStatistics,
  type TraceStatisticsOptions,
  traceStatistics,
} from './trace-statistics.js';
export { splitWindows, type WindowSpan } from './windows.js';
