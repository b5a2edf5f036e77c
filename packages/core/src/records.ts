/**
 * One served request, as the replay (`@mbs/sim`) and the runtime (`@mbs/batcher`) both write it,
 * one JSON object per line. Times are seconds on the run's clock.
 */
export interface RequestRecord {
  readonly requestId: string;
  /** Index of the buffer the request was routed to. */
  readonly buffer: number;
  readonly classId: number;
  readonly size: number;
  readonly arrivalSeconds: number;
  /** When its batch left the buffer. */
  readonly dispatchSeconds: number;
  /** When its result came back (or its error). */
  readonly completionSeconds: number;
  /** dispatch - arrival. */
  readonly waitSeconds: number;
  /** completion - arrival. */
  readonly latencySeconds: number;
  readonly batchId: string;
  readonly batchSize: number;
  /** Present when the request failed: the MbsError code and message. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** One dispatched batch (one invocation), as replay and runtime both write it. */
export interface BatchRecord {
  readonly batchId: string;
  readonly buffer: number;
  /** Arrival time of its first request. */
  readonly openedSeconds: number;
  readonly dispatchedSeconds: number;
  /** When the invocation returned. */
  readonly endedSeconds: number;
  /** Number of requests in the batch. */
  readonly size: number;
  readonly largestClass: number;
  /** Share of input elements that are padding: 1 - sum(sizes) / (size x largest size). */
  readonly paddingShare: number;
  /** Handler duration in milliseconds. */
  readonly durationMs: number;
  /** Billed duration in milliseconds; absent when the provider reported none (an in-process function). */
  readonly billedDurationMs?: number;
  /** The function's memory in MB: the platform's, else the buffer's configured memory. */
  readonly memoryMb: number;
  /** Whether the invocation started a new instance. */
  readonly cold: boolean;
  /** Cost of the invocation in USD, request fee included. */
  readonly costUsd: number;
  /** Why the batch was dispatched: it reached B, its timeout T expired, or a flush. */
  readonly reason: 'full' | 'timeout' | 'flush';
  /** The platform's request id, for joining with its logs. */
  readonly invocationId?: string;
  readonly error?: { readonly code: string; readonly message: string };
}
