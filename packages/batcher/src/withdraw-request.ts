import { checkDrained } from './batch-dispatch.js';
import type { BatcherState } from './batcher-state.js';
import type { PendingRequest } from './buffer-slot.js';
import { isIdle, syncSlotTimer } from './buffer-slot.js';
import { errors } from './errors.js';

/** Takes a request out of a dispatched batch still waiting in its buffer's queue; true if found. */
const leaveQueuedBatch = (state: BatcherState, request: PendingRequest): boolean => {
  const slot = request.slot;
  for (let index = 0; index < slot.queue.length; index++) {
    const batch = slot.queue[index]!;
    const position = batch.items.indexOf(request);
    if (position < 0) continue;
    batch.items = batch.items.filter((item) => item !== request);
    slot.queuedRequests--;
    if (batch.items.length === 0) {
      // A batch left empty never leaves: it no longer counts as dispatched.
      slot.queue.splice(index, 1);
      slot.batchesDispatched--;
      state.batchesDispatched--;
    }
    return true;
  }
  return false;
};

/**
 * Withdraws a request whose caller gave up (`Batcher.withdraw`, or its `SubmitOptions.signal`
 * aborted): when its batch has not been sent (the open batch, or a dispatched batch waiting for
 * an invocation slot), it leaves the batch, its promise rejects with CANCELLED and the answer is
 * true; once its batch is being invoked, nothing happens, it settles with its result, and the
 * answer is false.
 */
export function withdrawRequest(state: BatcherState, request: PendingRequest): boolean {
  if (request.settled) return false;
  const slot = request.slot;
  if (slot.policy.withdraw(request)) syncSlotTimer(state.clock, slot);
  else if (!leaveQueuedBatch(state, request)) return false;
  request.settled = true;
  request.detach?.();
  state.activeRequests.delete(request.id);
  state.rejected++;
  slot.rejected++;
  state.cancelled++;
  slot.cancelled++;
  request.reject(
    errors.error(
      'CANCELLED',
      `request ${request.id} was withdrawn from buffer ${slot.index} before its batch was sent (its caller withdrew it)`,
      { details: { requestId: request.id, buffer: slot.index } },
    ),
  );
  if (slot.retired && isIdle(slot)) state.retiredSlots.delete(slot);
  checkDrained(state);
  return true;
}
