/** Settings of the capped exponential backoff used when CloudWatch Logs throttles. */
export interface BackoffOptions {
  /** Delay bound of the first retry in milliseconds. */
  readonly baseMs: number;
  /** Largest delay bound in milliseconds. */
  readonly capMs: number;
  /** A uniform random number in [0, 1); `Math.random` unless a test fixes it. */
  readonly random: () => number;
}

/**
 * Delay in milliseconds before retry `attempt` (0 for the first retry): full jitter over a
 * bound that doubles each attempt up to `capMs`, so throttled readers spread out instead of
 * retrying in step.
 *
 * @example
 * ```ts
 * backoffDelayMs(3, { baseMs: 200, capMs: 10_000, random: () => 0.5 }); // 800
 * ```
 */
export function backoffDelayMs(attempt: number, options: BackoffOptions): number {
  const bound = Math.min(options.capMs, options.baseMs * 2 ** attempt);
  return options.random() * bound;
}

/** Resolves after `milliseconds`, or rejects at once when `signal` aborts. */
export function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
