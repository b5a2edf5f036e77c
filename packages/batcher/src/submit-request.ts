import type { MbsError } from '@mbs/core';
import { applyDecision } from './batch-dispatch.js';
import type { SubmitOptions, SubmitRequest } from './batcher-api.js';
import type { BatcherState } from './batcher-state.js';
import type { PendingRequest } from './buffer-slot.js';
import { errors } from './errors.js';
import { withdrawRequest } from './withdraw-request.js';

const refuse = (state: BatcherState, error: MbsError): Promise<never> => {
  state.rejected++;
  state.rejectedAtSubmit++;
  return Promise.reject(error);
};

const invalidRequest = (state: BatcherState, problem: string, value: unknown): Promise<never> =>
  refuse(
    state,
    errors.error('OPTION_INVALID', `submit: ${problem}; got ${JSON.stringify(value)}`, {
      details: { value },
    }),
  );

/**
 * Checks a request, routes it to its buffer and hands it to that buffer's policy (see
 * `Batcher.submit`). Refusals (CLOSED, BACKPRESSURE, an invalid request) come back as a rejected
 * promise, never as a throw.
 */
export function submitRequest(
  state: BatcherState,
  request: SubmitRequest,
  options?: SubmitOptions,
): Promise<unknown> {
  state.submitted++;
  const signal = options?.signal;
  if (signal?.aborted) {
    state.cancelled++;
    return refuse(
      state,
      errors.error('CANCELLED', 'submit with an aborted signal; nothing was queued'),
    );
  }
  if (state.closing) {
    return refuse(
      state,
      errors.error('CLOSED', 'submit after close(); create a new batcher to serve more requests'),
    );
  }
  if (typeof request !== 'object' || request === null) {
    return invalidRequest(
      state,
      'the request must be an object { size, input, id?, classId? }',
      request,
    );
  }
  const { size, classId: givenClass, id: givenId } = request;
  if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) {
    return invalidRequest(state, 'size must be a finite number >= 0', size);
  }
  const scheme = state.scheme;
  if (
    givenClass !== undefined &&
    !(Number.isInteger(givenClass) && givenClass >= 0 && givenClass < scheme.count)
  ) {
    return invalidRequest(
      state,
      `classId must be an integer in 0..${scheme.count - 1}`,
      givenClass,
    );
  }
  const classId = givenClass ?? scheme.classOf(size);
  const slot = state.slots[state.route(classId)]!;
  slot.submitted++;
  const limits = state.limits;
  const pending = slot.policy.pending() + slot.queuedRequests;
  if (pending >= limits.maxPendingPerBuffer) {
    const inFlightInvocations = state.inFlightInvocations;
    slot.rejectedAtSubmit++;
    slot.rejected++;
    const saturated =
      slot.inFlightInvocations >= limits.maxInFlightPerBuffer
        ? `; its ${slot.inFlightInvocations} invocations in flight are at limits.maxInFlightPerBuffer = ${limits.maxInFlightPerBuffer}`
        : inFlightInvocations >= limits.maxInFlightTotal
          ? `; ${inFlightInvocations} invocations in flight are at limits.maxInFlightTotal = ${limits.maxInFlightTotal}`
          : '';
    return refuse(
      state,
      errors.error(
        'BACKPRESSURE',
        `buffer ${slot.index} holds ${pending} pending requests, at limits.maxPendingPerBuffer = ${limits.maxPendingPerBuffer}${saturated}; retry later or raise the limit`,
        {
          details: {
            limit: 'maxPendingPerBuffer',
            value: limits.maxPendingPerBuffer,
            buffer: slot.index,
            pending,
            inFlightInvocations: slot.inFlightInvocations,
            inFlightInvocationsTotal: inFlightInvocations,
          },
        },
      ),
    );
  }
  const activeRequests = state.activeRequests;
  let id: string;
  if (givenId === undefined) {
    do id = `r${++state.requestSequence}`;
    while (activeRequests.has(id));
  } else if (typeof givenId !== 'string' || givenId.length === 0) {
    slot.rejectedAtSubmit++;
    slot.rejected++;
    return invalidRequest(state, 'id must be a non-empty string', givenId);
  } else if (activeRequests.has(givenId)) {
    slot.rejectedAtSubmit++;
    slot.rejected++;
    return invalidRequest(
      state,
      'id is already pending; ids must be unique among pending requests',
      givenId,
    );
  } else id = givenId;

  let resolveRequest!: (output: unknown) => void;
  let rejectRequest!: (error: unknown) => void;
  const promise = new Promise<unknown>((resolvePromise, rejectPromise) => {
    resolveRequest = resolvePromise;
    rejectRequest = rejectPromise;
  });
  const pendingRequest: PendingRequest = {
    id,
    size,
    classId,
    input: request.input,
    arrivalSeconds: state.clock.now(),
    slot,
    resolve: resolveRequest,
    reject: rejectRequest,
    settled: false,
    detach: undefined,
  };
  activeRequests.set(id, pendingRequest);
  if (signal !== undefined) {
    const onAbort = () => withdrawRequest(state, pendingRequest);
    signal.addEventListener('abort', onAbort, { once: true });
    pendingRequest.detach = () => signal.removeEventListener('abort', onAbort);
  }
  applyDecision(state, slot, slot.policy.onArrival(pendingRequest.arrivalSeconds, pendingRequest));
  return promise;
}
