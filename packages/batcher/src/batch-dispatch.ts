import type { BatchEvent, InvocationResult } from '@mbs/core';
import { abortable } from '@mbs/core';
// Dispatch decisions come only from the shared state machine the replay uses too, so the runtime
// and the replay cannot disagree on when a batch leaves.
import type { Decision, Dispatch } from '@mbs/policy';
import type { BatcherState } from './batcher-state.js';
import { allSlots } from './batcher-state.js';
import type { BufferSlot, DispatchedBatch, PendingRequest } from './buffer-slot.js';
import { isIdle, syncSlotTimer } from './buffer-slot.js';
import { errors } from './errors.js';
import { completeBatch, failBatch, settle } from './result-fan-out.js';
import { isRetryableError, retryDelaySeconds } from './retry.js';

/** Carries out a decision of a buffer's policy: dispatches what it released, re-arms the timer. */
export function applyDecision(
  state: BatcherState,
  slot: BufferSlot,
  decision: Decision<PendingRequest>,
): void {
  if (decision.dispatch !== undefined) dispatch(state, slot, decision.dispatch);
  syncSlotTimer(state.clock, slot);
}

/** Dispatches the open batch of every current buffer now (reason `flush`). */
export function flushOpenBatches(state: BatcherState): void {
  const now = state.clock.now();
  for (const slot of state.slots) applyDecision(state, slot, slot.policy.flush(now));
}

/** Resolves the promise of close() once closing and every buffer is idle. */
export function checkDrained(state: BatcherState): void {
  if (!state.closing || state.resolveDrained === undefined) return;
  for (const slot of allSlots(state)) if (!isIdle(slot)) return;
  state.resolveDrained();
  state.resolveDrained = undefined;
}

const dispatch = (state: BatcherState, slot: BufferSlot, released: Dispatch<PendingRequest>) => {
  if (released.items.length === 0) return;
  const batch: DispatchedBatch = {
    id: `b${++state.batchSequence}`,
    slot,
    items: released.items,
    openedSeconds: released.openedSeconds,
    dispatchedSeconds: state.clock.now(),
    // Batch records know full, timeout and flush; a dispatch forced by a configuration change
    // is a flush.
    reason: released.reason === 'reconfigure' ? 'flush' : released.reason,
    functionName: slot.functionName,
    memoryMb: slot.configuration.memoryMb,
    attempts: 0,
  };
  state.batchesDispatched++;
  slot.batchesDispatched++;
  if (slot.queue.length === 0 && canStart(state, slot)) start(state, batch);
  else {
    slot.queue.push(batch);
    slot.queuedRequests += batch.items.length;
  }
};

const canStart = (state: BatcherState, slot: BufferSlot) =>
  slot.inFlightInvocations < state.limits.maxInFlightPerBuffer &&
  state.inFlightInvocations < state.limits.maxInFlightTotal;

const start = (state: BatcherState, batch: DispatchedBatch): void => {
  const slot = batch.slot;
  slot.inFlightInvocations++;
  slot.inFlightRequests += batch.items.length;
  state.inFlightInvocations++;
  void runBatch(state, batch);
};

/** Starts queued batches while limits allow, oldest dispatch first across buffers. */
const startQueuedBatches = (state: BatcherState): void => {
  while (state.inFlightInvocations < state.limits.maxInFlightTotal) {
    let next: BufferSlot | undefined;
    for (const slot of allSlots(state)) {
      const head = slot.queue[0];
      if (head === undefined || slot.inFlightInvocations >= state.limits.maxInFlightPerBuffer) {
        continue;
      }
      if (next === undefined || head.dispatchedSeconds < next.queue[0]!.dispatchedSeconds) {
        next = slot;
      }
    }
    if (next === undefined) return;
    const batch = next.queue.shift()!;
    next.queuedRequests -= batch.items.length;
    start(state, batch);
  }
};

const finishInvocation = (state: BatcherState, batch: DispatchedBatch): void => {
  const slot = batch.slot;
  slot.inFlightInvocations--;
  slot.inFlightRequests -= batch.items.length;
  state.inFlightInvocations--;
  state.batchesCompleted++;
  startQueuedBatches(state);
  if (slot.retired && isIdle(slot)) state.retiredSlots.delete(slot);
  checkDrained(state);
};

const isInvocationResult = (value: unknown): value is InvocationResult => {
  const candidate = value as Partial<InvocationResult> | null | undefined;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.results) &&
    typeof candidate.record === 'object' &&
    candidate.record !== null
  );
};

const sleep = (state: BatcherState, seconds: number) =>
  new Promise<void>((resolve) => {
    state.clock.setTimer(state.clock.now() + seconds, resolve);
  });

/**
 * One attempt at the batch's invocation, bounded by the batcher's invocation timeout: when it
 * passes, the provider's call is aborted through its signal and the wait ends with PROVIDER_ERROR
 * (not retryable: the function may still be running the batch, and a retry would run it twice).
 */
const invokeWithTimeout = (
  state: BatcherState,
  batch: DispatchedBatch,
  event: BatchEvent,
): Promise<unknown> => {
  const seconds = state.invocationTimeoutSeconds;
  const controller = new AbortController();
  const call = () =>
    state.provider.invoke(batch.functionName, event, { signal: controller.signal });
  if (!Number.isFinite(seconds)) return Promise.resolve().then(call);
  const timer = state.clock.setTimer(state.clock.now() + seconds, () =>
    controller.abort(
      errors.error(
        'PROVIDER_ERROR',
        `no answer from ${batch.functionName} within ${seconds} s (invocationTimeoutSeconds); the invocation may still be running`,
        {
          details: {
            retryable: false,
            timedOut: true,
            functionName: batch.functionName,
            invocationTimeoutSeconds: seconds,
          },
        },
      ),
    ),
  );
  // abortable(): a provider that ignores the signal still ends the wait on time.
  return abortable(Promise.resolve().then(call), controller.signal).finally(() =>
    state.clock.clearTimer(timer),
  );
};

/** Invokes the batch's function, retrying refusals with backoff, then settles every request. */
const runBatch = async (state: BatcherState, batch: DispatchedBatch): Promise<void> => {
  const { provider, retry } = state;
  const event: BatchEvent = {
    batchId: batch.id,
    requests: batch.items.map((item) => ({ id: item.id, input: item.input })),
  };
  try {
    for (;;) {
      batch.attempts++;
      let result: unknown;
      try {
        result = await invokeWithTimeout(state, batch, event);
      } catch (error) {
        if (isRetryableError(error) && batch.attempts < retry.maxAttempts) {
          state.retries++;
          await sleep(state, retryDelaySeconds(batch.attempts, retry, state.jitterRandom));
          continue;
        }
        failBatch(state, batch, error);
        return;
      }
      if (isInvocationResult(result)) completeBatch(state, batch, result);
      else {
        failBatch(
          state,
          batch,
          errors.error(
            'PROVIDER_ERROR',
            `provider ${provider.name} resolved invoke() without { results, record }`,
            { details: { retryable: false } },
          ),
        );
      }
      return;
    }
  } catch (bug) {
    // Whatever went wrong, every request of the batch still gets an answer.
    const error = errors.error(
      'INTERNAL',
      `batch ${batch.id} could not be completed: ${String(bug)}`,
      { cause: bug },
    );
    const now = state.clock.now();
    for (const item of batch.items) if (!item.settled) settle(state, item, batch, now, error);
  } finally {
    finishInvocation(state, batch);
  }
};
