import type { BatcherState } from './batcher-state.js';
import { allSlots } from './batcher-state.js';
import type { BufferSlot } from './buffer-slot.js';
import type { BatcherStats, BufferStats } from './stats.js';

/** The stats() view of one buffer. */
export const slotStats = (slot: BufferSlot): BufferStats => {
  const open = slot.policy.pending();
  return {
    buffer: slot.index,
    functionName: slot.functionName,
    batchSize: slot.configuration.batchSize,
    timeoutSeconds: slot.configuration.timeoutSeconds,
    memoryMb: slot.configuration.memoryMb,
    submitted: slot.submitted,
    resolved: slot.resolved,
    rejected: slot.rejected,
    rejectedAtSubmit: slot.rejectedAtSubmit,
    cancelled: slot.cancelled,
    openRequests: open,
    queuedBatches: slot.queue.length,
    queuedRequests: slot.queuedRequests,
    pending: open + slot.queuedRequests,
    inFlightInvocations: slot.inFlightInvocations,
    inFlightRequests: slot.inFlightRequests,
    batchesDispatched: slot.batchesDispatched,
  };
};

/**
 * The stats() view of a batcher: its counts, with pending and in-flight work summed over every
 * buffer (retired ones included) and one entry per current buffer.
 */
export function batcherStats(state: BatcherState): BatcherStats {
  let pending = 0;
  let queuedBatches = 0;
  let inFlightRequests = 0;
  for (const slot of allSlots(state)) {
    pending += slot.policy.pending() + slot.queuedRequests;
    queuedBatches += slot.queue.length;
    inFlightRequests += slot.inFlightRequests;
  }
  return {
    submitted: state.submitted,
    resolved: state.resolved,
    rejected: state.rejected,
    rejectedAtSubmit: state.rejectedAtSubmit,
    cancelled: state.cancelled,
    pending,
    inFlightRequests,
    inFlightInvocations: state.inFlightInvocations,
    queuedBatches,
    batchesDispatched: state.batchesDispatched,
    batchesCompleted: state.batchesCompleted,
    retries: state.retries,
    unmatchedResults: state.unmatchedResults,
    doubleSettlements: state.doubleSettlements,
    callbackErrors: state.callbackErrors,
    configurationChanges: state.configurationChanges,
    retiredBuffers: state.retiredSlots.size,
    closed: state.closing,
    buffers: state.slots.map(slotStats),
  };
}
