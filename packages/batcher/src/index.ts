export { createBatcher } from './batcher.js';
export type { Batcher, SubmitOptions, SubmitRequest } from './batcher-api.js';
export { type BatcherClock, createSystemClock, type TimerOptions } from './clock.js';
export type { BatcherConfiguration, SystemWithClasses } from './configuration-input.js';
export {
  type BatchFunction,
  type BatchFunctionContext,
  createFunctionProvider,
  type FunctionProviderOptions,
  type TypedProvider,
} from './function-provider.js';
export { createJsonLinesWriter, type JsonLinesWriter } from './json-lines-writer.js';
export {
  type BatcherLimits,
  type BatcherOptions,
  DEFAULT_INVOCATION_TIMEOUT_SECONDS,
  DEFAULT_LIMITS,
  type FunctionNamer,
} from './options.js';
export { paddingShare } from './records.js';
export {
  DEFAULT_RETRY_OPTIONS,
  isRetryableError,
  type RetryOptions,
  retryDelaySeconds,
} from './retry.js';
export type { BatcherStats, BufferStats } from './stats.js';
export { createVirtualClock, type VirtualClock } from './virtual-clock.js';
