/** Counts of one buffer of the current configuration. */
export interface BufferStats {
  readonly buffer: number;
  readonly functionName: string;
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Requests routed here, including those refused at once. */
  readonly submitted: number;
  readonly resolved: number;
  /** Requests rejected, at submit or after dispatch. */
  readonly rejected: number;
  /** Requests refused at once (BACKPRESSURE, invalid id). */
  readonly rejectedAtSubmit: number;
  /** Requests withdrawn before their batch was sent (CANCELLED); counted in `rejected` too. */
  readonly cancelled: number;
  /** Requests in the open batch. */
  readonly openRequests: number;
  /** Dispatched batches waiting for an in-flight slot. */
  readonly queuedBatches: number;
  readonly queuedRequests: number;
  /** openRequests + queuedRequests: what `limits.maxPendingPerBuffer` bounds. */
  readonly pending: number;
  /** Invocations running or waiting to retry. */
  readonly inFlightInvocations: number;
  readonly inFlightRequests: number;
  readonly batchesDispatched: number;
}

/**
 * Counts of a batcher. At every moment
 * `submitted = resolved + rejected + pending + inFlightRequests`.
 */
export interface BatcherStats {
  /** Calls of submit, including those refused at once. */
  readonly submitted: number;
  readonly resolved: number;
  readonly rejected: number;
  /** Refused at once: BACKPRESSURE, CLOSED, or an invalid request. */
  readonly rejectedAtSubmit: number;
  /** Withdrawn before their batch was sent (CANCELLED); counted in `rejected` too. */
  readonly cancelled: number;
  /** Requests in open batches or in queued batches, in every buffer. */
  readonly pending: number;
  readonly inFlightRequests: number;
  readonly inFlightInvocations: number;
  readonly queuedBatches: number;
  readonly batchesDispatched: number;
  readonly batchesCompleted: number;
  /** Invocation attempts repeated after throttling or a retryable provider error. */
  readonly retries: number;
  /** Results whose id matched no request of their batch (ignored). */
  readonly unmatchedResults: number;
  /** Attempts to settle a settled request; always 0 unless the batcher has a bug. */
  readonly doubleSettlements: number;
  /** Errors thrown by onRequestRecord or onBatchRecord (caught and counted). */
  readonly callbackErrors: number;
  /** Configurations applied, the first included. */
  readonly configurationChanges: number;
  /** Buffers of an earlier configuration that still have work in flight. */
  readonly retiredBuffers: number;
  readonly closed: boolean;
  readonly buffers: readonly BufferStats[];
}
