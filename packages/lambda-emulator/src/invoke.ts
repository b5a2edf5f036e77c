import { randomUUID } from 'node:crypto';
import type { InvocationRecord } from '@mbs/core';
import { enqueueEvent, runAdmitted } from './admission.js';
import { assertOpen, type EmulatorState, lookupFunction } from './emulator-state.js';
import { throttleReason } from './function-concurrency.js';
import { waitingInvocations } from './instance-pool.js';
import {
  awsError,
  invalidParameterValue,
  requestTooLarge,
  tooManyRequests,
} from './lambda-errors.js';
import {
  LOG_TAIL_BYTES,
  MAXIMUM_EVENT_PAYLOAD_BYTES,
  MAXIMUM_REQUEST_PAYLOAD_BYTES,
} from './limits.js';

/** Options of one invocation. */
export interface EmulatorInvokeOptions {
  /** Default `RequestResponse`. */
  readonly invocationType?: 'RequestResponse' | 'Event' | 'DryRun';
  /** `Tail` returns the last 4 KB of the invocation's log, base64 (synchronous only). */
  readonly logType?: 'None' | 'Tail';
  /** Decoded client context, handed to the handler as `context.clientContext`. */
  readonly clientContext?: unknown;
  /** Only `$LATEST` exists in the emulator. */
  readonly qualifier?: string;
}

/** What an invocation answers, in Invoke's wire terms. */
export interface EmulatorInvokeOutcome {
  /** 200 (RequestResponse), 202 (Event) or 204 (DryRun). */
  readonly statusCode: 200 | 202 | 204;
  readonly requestId: string;
  readonly payload: Uint8Array;
  readonly executedVersion?: string;
  /** `Unhandled` when the function failed. */
  readonly functionError?: 'Unhandled';
  /** Base64 log tail when asked for. */
  readonly logResult?: string;
  /** The REPORT figures (synchronous invocations only). */
  readonly record?: InvocationRecord;
}

const EMPTY = new Uint8Array(0);

function tailOf(text: string): string {
  const bytes = Buffer.from(text);
  return bytes.subarray(Math.max(0, bytes.byteLength - LOG_TAIL_BYTES)).toString('base64');
}

/** The payload as JSON text (`{}` when blank); Lambda's 400 when it is not JSON. */
function payloadTextOf(payload: Uint8Array): string {
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  const payloadText = text.trim() === '' ? '{}' : text;
  try {
    JSON.parse(payloadText);
  } catch (error) {
    throw awsError({
      statusCode: 400,
      errorType: 'InvalidRequestContentException',
      awsMessage: `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`,
      retryable: false,
    });
  }
  return payloadText;
}

/**
 * Invoke: checks the request as Lambda does, then answers a DryRun at once, queues an Event, or
 * runs a RequestResponse invocation and waits for it (429 when throttled).
 */
export async function invoke(
  emulator: EmulatorState,
  reference: string,
  payload: Uint8Array,
  invokeOptions: EmulatorInvokeOptions = {},
): Promise<EmulatorInvokeOutcome> {
  assertOpen(emulator);
  const invocationType = invokeOptions.invocationType ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(invocationType)) {
    throw invalidParameterValue(
      `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    );
  }
  const limit =
    invocationType === 'Event' ? MAXIMUM_EVENT_PAYLOAD_BYTES : MAXIMUM_REQUEST_PAYLOAD_BYTES;
  if (payload.byteLength > limit) throw requestTooLarge(limit, 'InvokeFunction');
  const state = lookupFunction(emulator, reference, invokeOptions.qualifier);
  const payloadText = payloadTextOf(payload);
  const requestId = randomUUID();
  if (invocationType === 'DryRun') return { statusCode: 204, requestId, payload: EMPTY };
  const request = { payloadText, requestId, clientContext: invokeOptions.clientContext };
  const { maxQueuedInvocations } = emulator.options;
  if (invocationType === 'Event') {
    // The event queue holds payloads in memory: bounded as the wait for instances is.
    if (emulator.queuedEvents.length >= maxQueuedInvocations) {
      throw tooManyRequests('ConcurrentInvocationLimitExceeded');
    }
    enqueueEvent(emulator, { functionName: state.name, ...request });
    return { statusCode: 202, requestId, payload: EMPTY };
  }
  if (emulator.faults.throttles()) throw tooManyRequests('ConcurrentInvocationLimitExceeded');
  const reason = throttleReason(emulator, state);
  if (reason !== undefined) throw tooManyRequests(reason);
  // This machine runs at most maxInstances at once; beyond them invocations wait, up to a limit.
  if (waitingInvocations(emulator) >= maxQueuedInvocations) {
    throw tooManyRequests('ConcurrentInvocationLimitExceeded');
  }
  const result = await runAdmitted(emulator, state, request);
  return {
    statusCode: 200,
    requestId,
    payload: result.payload,
    executedVersion: '$LATEST',
    ...(result.functionError === undefined ? {} : { functionError: result.functionError }),
    ...(invokeOptions.logType === 'Tail' ? { logResult: tailOf(result.tail) } : {}),
    record: result.record,
  };
}
