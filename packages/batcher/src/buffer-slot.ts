import type { BatchRecord, BufferConfiguration } from '@mbs/core';
import type { BufferPolicy } from '@mbs/policy';
import { createBufferPolicy } from '@mbs/policy';
import type { BatcherClock } from './clock.js';

/** A submitted request waiting for its function's answer; settles exactly once. */
export interface PendingRequest {
  readonly id: string;
  readonly size: number;
  readonly classId: number;
  readonly input: unknown;
  readonly arrivalSeconds: number;
  readonly slot: BufferSlot;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
  /** Removes the abort listener of `SubmitOptions.signal`, if one was given. */
  detach: (() => void) | undefined;
}

/** A batch released by a buffer's policy, queued or being invoked; `attempts` counts retries too. */
export interface DispatchedBatch {
  readonly id: string;
  readonly slot: BufferSlot;
  /** Its requests; a withdrawn one leaves while the batch waits in its buffer's queue. */
  items: readonly PendingRequest[];
  readonly openedSeconds: number;
  readonly dispatchedSeconds: number;
  readonly reason: BatchRecord['reason'];
  readonly functionName: string;
  readonly memoryMb: number;
  attempts: number;
}

/**
 * The runtime state of one buffer: its policy, timer, queue of batches waiting for an invocation
 * slot and its counters. A slot retired by a reconfiguration lives on until it is idle.
 */
export interface BufferSlot {
  readonly index: number;
  configuration: BufferConfiguration;
  functionName: string;
  readonly policy: BufferPolicy<PendingRequest>;
  readonly onTimer: () => void;
  timer: unknown;
  armedDeadlineSeconds: number | undefined;
  readonly queue: DispatchedBatch[];
  queuedRequests: number;
  inFlightInvocations: number;
  inFlightRequests: number;
  submitted: number;
  resolved: number;
  rejected: number;
  rejectedAtSubmit: number;
  /** Requests withdrawn (aborted) before their batch was sent; counted in `rejected` too. */
  cancelled: number;
  batchesDispatched: number;
  retired: boolean;
}

/**
 * Creates the state of buffer `index`: an empty policy with the buffer's batch size and timeout,
 * no timer armed and every count at zero.
 *
 * @param onDeadline called when the policy's deadline passes, after the slot forgot its timer
 */
export function createBufferSlot(
  buffer: BufferConfiguration,
  index: number,
  functionName: string,
  onDeadline: (slot: BufferSlot) => void,
): BufferSlot {
  const slot: BufferSlot = {
    index,
    configuration: buffer,
    functionName,
    policy: createBufferPolicy<PendingRequest>({
      batchSize: buffer.batchSize,
      timeoutSeconds: buffer.timeoutSeconds,
    }),
    onTimer: () => {
      slot.timer = undefined;
      slot.armedDeadlineSeconds = undefined;
      onDeadline(slot);
    },
    timer: undefined,
    armedDeadlineSeconds: undefined,
    queue: [],
    queuedRequests: 0,
    inFlightInvocations: 0,
    inFlightRequests: 0,
    submitted: 0,
    resolved: 0,
    rejected: 0,
    rejectedAtSubmit: 0,
    cancelled: 0,
    batchesDispatched: 0,
    retired: false,
  };
  return slot;
}

/** Arms the slot's timer at its policy's deadline, re-arming only when the deadline moved. */
export function syncSlotTimer(clock: BatcherClock, slot: BufferSlot): void {
  const deadline = slot.policy.deadlineSeconds();
  if (deadline === slot.armedDeadlineSeconds) return;
  if (slot.timer !== undefined) clock.clearTimer(slot.timer);
  slot.timer = undefined;
  slot.armedDeadlineSeconds = deadline;
  if (deadline !== undefined) slot.timer = clock.setTimer(deadline, slot.onTimer);
}

/** Cancels the slot's timer, if one is armed. */
export function stopSlotTimer(clock: BatcherClock, slot: BufferSlot): void {
  if (slot.timer !== undefined) clock.clearTimer(slot.timer);
  slot.timer = undefined;
  slot.armedDeadlineSeconds = undefined;
}

/** True when the buffer holds no open, queued or in-flight work, so close() and retirement may finish. */
export const isIdle = (slot: BufferSlot) =>
  slot.policy.pending() === 0 && slot.queue.length === 0 && slot.inFlightInvocations === 0;
