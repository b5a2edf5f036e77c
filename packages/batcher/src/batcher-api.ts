import type { SystemConfiguration } from '@mbs/core';
import type { BatcherConfiguration } from './configuration-input.js';
import type { BatcherStats } from './stats.js';

/** One request handed to {@link Batcher.submit}. */
export interface SubmitRequest {
  /** Unique among pending requests; sent to the function and used in records. Default: generated. */
  readonly id?: string;
  /** Request size in the configuration's size unit; picks the class. Finite and >= 0. */
  readonly size: number;
  /** The function's input for this request. */
  readonly input: unknown;
  /** Size class, when known; overrides the class from `size`. */
  readonly classId?: number;
}

/** A running multi-buffer batcher. */
export interface Batcher {
  /**
   * Routes a request to its buffer and resolves with the function's output for it. Rejects with
   * MbsError FUNCTION_ERROR, THROTTLED or PROVIDER_ERROR when it could not be served, at once with
   * BACKPRESSURE when its buffer is full, and with CLOSED after {@link Batcher.close}.
   */
  submit(request: SubmitRequest): Promise<unknown>;
  /** Dispatches every open batch now (reason `flush`). */
  flush(): void;
  /**
   * Applies a new configuration without losing or duplicating requests: open batches are
   * migrated or dispatched as the shared policy decides, in-flight invocations finish normally.
   * A bare system keeps the current class edges.
   */
  reconfigure(config: BatcherConfiguration | SystemConfiguration): void;
  /** Counts of requests and invocations, in total and per current buffer. */
  stats(): BatcherStats;
  /** Flushes every open batch and resolves when every invocation has finished. Idempotent. */
  close(): Promise<void>;
}
