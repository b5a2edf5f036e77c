import type { LambdaErrorPayload } from './instance.js';

/** A message an instance's bootstrap sends to the emulator. */
export type InstanceMessage =
  | { readonly type: 'started' }
  /** The instance started an invocation (Lambda's runtime took it from its queue). */
  | { readonly type: 'invoked'; readonly requestId: string }
  /** The runtime is about to exit (an uncaught error while no invocation ran). */
  | { readonly type: 'exiting' }
  | { readonly type: 'ready'; readonly maxMemoryBytes: number }
  | { readonly type: 'init-error'; readonly error: LambdaErrorPayload }
  | {
      readonly type: 'log';
      readonly timestamp: number;
      readonly requestId: string;
      readonly level: string;
      readonly message: string;
    }
  | {
      readonly type: 'result';
      readonly requestId: string;
      readonly handlerMs: number;
      readonly maxMemoryBytes: number;
      readonly payload?: string;
      readonly error?: LambdaErrorPayload;
    };

type Fields = Readonly<Record<string, unknown>>;

const isText = (value: unknown): value is string => typeof value === 'string';
const isAmount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

function errorPayload(value: unknown): LambdaErrorPayload | undefined {
  const fields = value as Fields | null;
  if (typeof fields !== 'object' || fields === null) return undefined;
  if (!isText(fields.errorType) || !isText(fields.errorMessage)) return undefined;
  const trace = Array.isArray(fields.trace) ? fields.trace.filter(isText) : undefined;
  return {
    errorType: fields.errorType,
    errorMessage: fields.errorMessage,
    ...(trace === undefined ? {} : { trace }),
  };
}

/**
 * Reads a message from an instance, or undefined when it is not one the bootstrap sends. The
 * function's own code shares the channel (it can call `process.send`), so nothing it sends may
 * reach the emulator's figures unchecked: a forged message with a NaN duration or a non-string
 * payload is dropped rather than turned into a NaN REPORT line.
 */
export function parseInstanceMessage(raw: unknown): InstanceMessage | undefined {
  const fields = raw as Fields | null;
  if (typeof fields !== 'object' || fields === null) return undefined;
  switch (fields.type) {
    case 'started':
      return { type: 'started' };
    case 'exiting':
      return { type: 'exiting' };
    case 'invoked':
      return isText(fields.requestId)
        ? { type: 'invoked', requestId: fields.requestId }
        : undefined;
    case 'ready':
      return isAmount(fields.maxMemoryBytes)
        ? { type: 'ready', maxMemoryBytes: fields.maxMemoryBytes }
        : undefined;
    case 'init-error': {
      const error = errorPayload(fields.error);
      return error ? { type: 'init-error', error } : undefined;
    }
    case 'log':
      return isAmount(fields.timestamp) &&
        isText(fields.requestId) &&
        isText(fields.level) &&
        isText(fields.message)
        ? {
            type: 'log',
            timestamp: fields.timestamp,
            requestId: fields.requestId,
            level: fields.level,
            message: fields.message,
          }
        : undefined;
    case 'result': {
      if (
        !isText(fields.requestId) ||
        !isAmount(fields.handlerMs) ||
        !isAmount(fields.maxMemoryBytes)
      ) {
        return undefined;
      }
      const error = fields.error === undefined ? undefined : errorPayload(fields.error);
      if (fields.error !== undefined && error === undefined) return undefined;
      if (fields.payload !== undefined && !isText(fields.payload)) return undefined;
      return {
        type: 'result',
        requestId: fields.requestId,
        handlerMs: fields.handlerMs,
        maxMemoryBytes: fields.maxMemoryBytes,
        ...(fields.payload === undefined ? {} : { payload: fields.payload }),
        ...(error === undefined ? {} : { error }),
      };
    }
    default:
      return undefined;
  }
}
