import type { SystemInput } from '@mbs/core';
import type { BatcherConfiguration } from './configuration-input.js';
import type { BatcherStats } from './stats.js';

/** One request handed to {@link Batcher.submit}; `Input` is the function's input type. */
export interface SubmitRequest<Input = unknown> {
  /** Unique among pending requests; sent to the function and used in records. Default: generated. */
  readonly id?: string;
  /** Request size in the configuration's size unit; picks the class. Finite and >= 0. */
  readonly size: number;
  /** The function's input for this request. */
  readonly input: Input;
  /** Size class, when known; overrides the class from `size`. */
  readonly classId?: number;
}

/** Options of one {@link Batcher.submit} call. */
export interface SubmitOptions {
  /**
   * Withdraws the request when aborted before its batch is sent: it leaves its buffer's open
   * batch (or a dispatched batch still waiting for an invocation slot) and its promise rejects
   * with MbsError CANCELLED. Once its batch is being invoked the abort has no effect: the request
   * settles with its result as usual.
   */
  readonly signal?: AbortSignal;
}

/**
 * A running multi-buffer batcher whose functions take `Input` and answer `Output` per request
 * (the types come from the provider, e.g. `createFunctionProvider`, or are given to
 * `createBatcher<Input, Output>`; they are not checked at run time).
 */
export interface Batcher<Input = unknown, Output = unknown> {
  /**
   * Routes a request to its buffer and resolves with the function's output for it. Rejects with
   * MbsError FUNCTION_ERROR, THROTTLED or PROVIDER_ERROR when it could not be served, at once with
   * BACKPRESSURE when its buffer is full, with CLOSED after {@link Batcher.close}, and with
   * CANCELLED when `options.signal` aborts before its batch is sent.
   */
  submit(request: SubmitRequest<Input>, options?: SubmitOptions): Promise<Output>;
  /**
   * Withdraws the pending request `id` (its caller gave up) when its batch has not been sent: it
   * leaves its buffer's open batch (or a dispatched batch waiting for an invocation slot), its
   * promise rejects with MbsError CANCELLED, and the answer is true. False when no pending
   * request has that id or its batch is being invoked (it then settles with its result). The
   * same as aborting `SubmitOptions.signal`, without an AbortController per request.
   */
  withdraw(id: string): boolean;
  /** Dispatches every open batch now (reason `flush`). */
  flush(): void;
  /**
   * Applies a new configuration without losing or duplicating requests: open batches are
   * migrated or dispatched as the shared policy decides, in-flight invocations finish normally.
   * A bare system keeps the current class edges.
   */
  reconfigure(config: BatcherConfiguration | SystemInput): void;
  /** Counts of requests and invocations, in total and per current buffer. */
  stats(): BatcherStats;
  /** Flushes every open batch and resolves when every invocation has finished. Idempotent. */
  close(): Promise<void>;
}
