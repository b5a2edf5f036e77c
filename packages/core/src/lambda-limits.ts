// The limits a configuration must respect to run on AWS Lambda through the batcher: one list, so
// that reading a configuration, reading a profile and planning a deployment refuse the same values.

/** Memory sizes Lambda accepts for a function, in whole MB. */
export const LAMBDA_MEMORY_RANGE_MB = { min: 128, max: 10_240 } as const;

/** Lambda's longest function timeout, in seconds. */
export const LAMBDA_MAX_FUNCTION_TIMEOUT_SECONDS = 900;

/**
 * Largest buffer batch size B a configuration may hold. Lambda's synchronous payload limit of
 * 6 MB leaves under 630 bytes per request at 10,000 requests, and the batcher keeps at most
 * 10,000 requests waiting per buffer by default, so a larger B would never fill.
 */
export const MAX_BATCH_SIZE = 10_000;

/**
 * Longest buffer timeout T a configuration may hold, in seconds: Lambda's longest function
 * timeout. A request that waits longer in a buffer than any invocation may run serves no latency
 * objective, and such a value is almost always a unit mistake (milliseconds written as seconds).
 */
export const MAX_BUFFER_TIMEOUT_SECONDS = LAMBDA_MAX_FUNCTION_TIMEOUT_SECONDS;

/**
 * Why a memory size is not one Lambda accepts, or undefined when it is: a whole number of MB in
 * {@link LAMBDA_MEMORY_RANGE_MB}.
 *
 * @example
 * ```ts
 * lambdaMemoryProblem(2048); // undefined
 * lambdaMemoryProblem(64); // 'must be a whole number of MB in 128..10240 (Lambda's range)'
 * ```
 */
export function lambdaMemoryProblem(memoryMb: number): string | undefined {
  const { min, max } = LAMBDA_MEMORY_RANGE_MB;
  return Number.isInteger(memoryMb) && memoryMb >= min && memoryMb <= max
    ? undefined
    : `must be a whole number of MB in ${min}..${max} (Lambda's range)`;
}

/**
 * Largest synchronous Invoke request payload Lambda accepts, in bytes (6 MB): a batch event, all
 * of its requests' inputs included, must fit in it.
 */
export const LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES = 6_291_456;
