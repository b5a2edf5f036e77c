export { buildReport, reportSections } from './build-report.js';
export type {
  FrontierPoint,
  MeasuredRecords,
  ModelBufferDocument,
  ModelCurvesDocument,
  ReportBatch,
  ReportInputs,
  ReportRequest,
  RunInputs,
  RunMeasurements,
  SolveBaselineDocument,
  SolveDocument,
  SolveSolutionDocument,
  SolveWindowDocument,
} from './documents.js';
export type { Figure, FigureAxis, FigureLine, FigureSeries, FigureTable } from './figure.js';
export { EMPIRICAL_CDF_PROBABILITIES, empiricalCdfPoints } from './measured.js';
export {
  type MeasuredProfilePoint,
  type ProfileForReport,
  parseProfileDocument,
} from './parse-profile-document.js';
export { parseSolveDocument } from './parse-solve-document.js';
export type { ReportSection } from './section.js';
export { measureRecords } from './sections/prediction.js';
