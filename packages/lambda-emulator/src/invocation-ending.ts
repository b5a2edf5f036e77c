import { performance } from 'node:perf_hooks';
import type { FunctionInstance, InstanceOutcome, LambdaErrorPayload } from './instance.js';
import { MAXIMUM_RESPONSE_PAYLOAD_BYTES } from './limits.js';
import { timeoutMessage } from './log-format.js';

/** How an invocation ended, in Lambda's terms: its emulated duration and its answer. */
export interface InvocationEnding {
  /** Emulated duration in milliseconds (the REPORT's Duration). */
  readonly durationMs: number;
  /** The handler's result as JSON text, when it succeeded. */
  readonly payload?: string;
  readonly error?: LambdaErrorPayload;
  /** The REPORT's Status, when the invocation timed out or the runtime failed. */
  readonly status?: 'timeout' | 'error';
}

/** What `endingOf` needs besides the outcome. */
export interface EndingContext {
  readonly requestId: string;
  readonly instance: FunctionInstance;
  /** Emulated milliseconds per measured millisecond (see cpuScale). */
  readonly scale: number;
  readonly timeoutSeconds: number;
  /** `performance.now()` when the invocation started. */
  readonly startedAt: number;
  /** Whether the instance's init phase failed (the REPORT then says `Status: error`). */
  readonly initFailed: boolean;
  /** Writes a line to the invocation's log stream. */
  readonly log: (message: string, timestampMs?: number) => void;
}

/**
 * Turns an instance's outcome into Lambda's: a handler that ran past the timeout in emulated
 * time is a timeout even when it finished (its instance is killed, as Lambda's would be), a dead
 * runtime is `Runtime.ExitError`, and a result over 6 MB is `Function.ResponseSizeTooLarge`.
 */
export function endingOf(outcome: InstanceOutcome, context: EndingContext): InvocationEnding {
  const { requestId, scale, timeoutSeconds, log } = context;
  const timeoutMs = timeoutSeconds * 1000;
  const timedOut =
    outcome.kind === 'timeout' ||
    ((outcome.kind === 'result' || outcome.kind === 'error') &&
      outcome.handlerMs * scale > timeoutMs);
  if (timedOut) {
    context.instance.kill();
    const now = Date.now();
    log(`${new Date(now).toISOString()} ${requestId} ${timeoutMessage(timeoutSeconds)}\n`, now);
    return {
      durationMs: timeoutMs,
      status: 'timeout',
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${requestId} Error: ${timeoutMessage(timeoutSeconds)}`,
      },
    };
  }
  if (outcome.kind === 'exit') {
    const durationMs = performance.now() - context.startedAt;
    const message = `RequestId: ${requestId} Error: Runtime exited with error: ${outcome.reason}`;
    log(`${message}\nRuntime.ExitError\n`);
    return {
      durationMs,
      status: 'error',
      error: { errorType: 'Runtime.ExitError', errorMessage: message },
    };
  }
  if (outcome.kind === 'error') {
    return {
      durationMs: outcome.handlerMs * scale,
      error: outcome.error,
      ...(context.initFailed ? { status: 'error' as const } : {}),
    };
  }
  if (outcome.kind === 'result') {
    const durationMs = outcome.handlerMs * scale;
    if (Buffer.byteLength(outcome.payload) > MAXIMUM_RESPONSE_PAYLOAD_BYTES) {
      return {
        durationMs,
        error: {
          errorType: 'Function.ResponseSizeTooLarge',
          errorMessage: `Response payload size exceeded maximum allowed payload size (${MAXIMUM_RESPONSE_PAYLOAD_BYTES} bytes).`,
        },
      };
    }
    return { durationMs, payload: outcome.payload };
  }
  return { durationMs: 0 };
}
