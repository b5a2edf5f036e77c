// The REPORT line format lives in @mbs/core so that the emulator can write it without this
// package's AWS SDK dependency; it stays exported here, where log readers look for it.
export {
  formatReportLine,
  parseReportLine,
  type ReportLine,
  type ReportLineParse,
} from '@mbs/core';
export {
  type AssembledInvocations,
  assembleInvocations,
  type CollectedInvocation,
  emptyLineCounts,
  type LogEvent,
  type LogLineCounts,
} from './assemble-invocations.js';
export { type BackoffOptions, backoffDelayMs } from './backoff.js';
export { billedInvocationCostUsd } from './billed-invocation-cost.js';
export { type ClassPadding, classPadding } from './class-padding.js';
export {
  type CollectInvocationRecordsOptions,
  type CollectionProgress,
  collectInvocationRecords,
  type FunctionLogSummary,
  type InvocationCollection,
} from './collect-invocation-records.js';
export { type JoinedInvocation, type JoinedRecords, joinRecords } from './join-records.js';
export {
  appendJsonLines,
  formatJsonLines,
  type JsonLineCheck,
  parseJsonLines,
  readJsonLines,
  writeJsonLines,
} from './json-lines.js';
export { classifyLogLine, type LogLine, type LogLineKind } from './log-line.js';
export { checkBatchRecord, checkInvocationRecord, checkRequestRecord } from './record-checks.js';
export {
  RUN_LOG_FILES,
  type RunLogs,
  readRunDirectory,
  writeRunDirectory,
} from './run-directory.js';
export { type ServiceTimeAgreement, serviceTimeAgreement } from './service-time-agreement.js';
export {
  type PredictionComparison,
  type RunPadding,
  type RunServiceTime,
  type RunSummary,
  type SummarizeRunInput,
  summarizeRun,
} from './summarize-run.js';
