export type { CpuScalingOptions } from './cpu-scaling.js';
export { createEmulator, type Emulator } from './emulator.js';
export type { FunctionCode } from './function-code.js';
export type { LambdaFunctionConfiguration } from './function-configuration.js';
export type {
  CreateFunctionInput,
  FunctionConfigurationChanges,
} from './function-operations.js';
export type { InProcessCode, LocalHandler } from './in-process-instance.js';
export type { LambdaContext, LambdaErrorPayload } from './instance.js';
export type { EmulatorInvokeOptions, EmulatorInvokeOutcome } from './invoke.js';
export { type AwsErrorDetails, awsErrorDetails, type ThrottleReason } from './lambda-errors.js';
export * from './limits.js';
export { logGroupName, type ReportFigures, reportLine } from './log-format.js';
export type { LogStore, LogsRequest, StoredLogEvent } from './log-store.js';
export {
  type EmulatorOptions,
  type FaultOptions,
  type ResolvedEmulatorOptions,
  resolveEmulatorOptions,
} from './options.js';
export type { InstanceIsolation } from './process-instance.js';
export { type EmulatorServer, type EmulatorServerOptions, startEmulatorServer } from './server.js';
export { slowImportZip, testFunctionsZip } from './testing/test-functions.js';
