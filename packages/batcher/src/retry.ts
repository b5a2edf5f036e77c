import { isMbsError } from '@mbs/core';

/** How failed invocations are retried: capped exponential backoff with full jitter. */
export interface RetryOptions {
  /** Attempts in total, the first included; 1 means no retry. Default 5. */
  readonly maxAttempts?: number;
  /** Backoff cap of the first retry, in milliseconds. Default 50. */
  readonly baseDelayMs?: number;
  /** Largest backoff cap, in milliseconds. Default 2000. */
  readonly maxDelayMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** The retry defaults. */
export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 50,
  maxDelayMs: 2000,
};

/**
 * Whether a provider refusal is worth another attempt: throttling, or an error the provider
 * marked `details.retryable`. Function errors are not refusals and never reach here.
 */
export function isRetryableError(error: unknown): boolean {
  if (!isMbsError(error)) return false;
  return error.code === 'THROTTLED' || error.details.retryable === true;
}

/**
 * The wait before retry number `retry` (1 for the first retry), in seconds: uniform in
 * [0, min(maxDelayMs, baseDelayMs x 2^(retry-1))] ("full jitter"), which spreads retries of many
 * throttled batches instead of synchronising them.
 */
export function retryDelaySeconds(
  retry: number,
  options: ResolvedRetryOptions,
  random: () => number,
): number {
  const capMs = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return (random() * capMs) / 1000;
}
