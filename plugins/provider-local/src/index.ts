export { type BatchResponseMapping, mapBatchResponse } from './batch-response.js';
export { type CpuScalingOptions, cpuScale, vcpuForMemory } from './cpu-scaling.js';
export { createEmulator, type Emulator } from './emulator.js';
export { compileFilterPattern, type MessageFilter } from './filter-pattern.js';
export type { FunctionCode } from './function-code.js';
export type { LambdaFunctionConfiguration } from './function-configuration.js';
export { type FunctionReference, functionArn, parseFunctionReference } from './function-name.js';
export type {
  CreateFunctionInput,
  FunctionConfigurationChanges,
} from './function-operations.js';
export type { InProcessCode, LocalHandler } from './in-process-instance.js';
export type { LambdaContext, LambdaErrorPayload } from './instance.js';
export type { EmulatorInvokeOptions, EmulatorInvokeOutcome } from './invoke.js';
export { type AwsErrorDetails, awsErrorDetails, type ThrottleReason } from './lambda-errors.js';
export * from './limits.js';
export {
  createLocalProvider,
  type LocalFunctionSpec,
  type LocalProvider,
  type LocalProviderOptions,
} from './local-provider.js';
export { logGroupName, type ReportFigures, reportLine } from './log-format.js';
export { LogStore, type LogsRequest, type StoredLogEvent } from './log-store.js';
export type { EmulatorOptions, FaultOptions, ResolvedEmulatorOptions } from './options.js';
export type { InstanceIsolation } from './process-instance.js';
export { parseReportLine } from './report-line.js';
export { type EmulatorServer, type EmulatorServerOptions, startEmulatorServer } from './server.js';
