// The limits a configuration must respect to run on AWS Lambda through the batcher: one list, so
// that reading a configuration, reading a profile and planning a deployment refuse the same values.

/** Memory sizes Lambda accepts for a function, in whole MB. */
export const LAMBDA_MEMORY_RANGE_MB = { min: 128, max: 10_240 } as const;

/** Memory that buys one full vCPU on Lambda, in MB (CPU is allocated in proportion to memory). */
export const LAMBDA_MEMORY_MB_PER_VCPU = 1769;

/** Most vCPUs a Lambda function gets (at 10,240 MB). */
export const LAMBDA_MAX_VCPUS = 6;

/**
 * vCPUs Lambda gives a function of `memoryMb` MB: MB / 1769, capped at 6 (a share of one vCPU
 * below 1,769 MB).
 *
 * @example
 * ```ts
 * lambdaVcpus(3538); // 2
 * lambdaVcpus(128); // 0.0724
 * ```
 */
export function lambdaVcpus(memoryMb: number): number {
  return Math.min(memoryMb / LAMBDA_MEMORY_MB_PER_VCPU, LAMBDA_MAX_VCPUS);
}

/**
 * Variable the MBS Lambda emulator sets in a function's environment: how many cores of the host
 * its scaled Duration assumes the function uses. The emulator turns one core's time into the time
 * of M MB's vCPUs, so a function that spread its work over more threads (an ONNX Runtime
 * session's default) would be sped up twice, by the host's cores and by the scaling. Not a Lambda
 * variable: absent on Lambda.
 */
export const EMULATOR_CORES_VARIABLE = 'MBS_EMULATOR_CORES';

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

/** Why a buffer batch size B is out of range, or undefined when it is an integer in 1..10000. */
export function batchSizeProblem(batchSize: number): string | undefined {
  return Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= MAX_BATCH_SIZE
    ? undefined
    : `must be an integer in 1..${MAX_BATCH_SIZE}`;
}

/** Why a buffer timeout T (seconds) is out of range, or undefined when it is in 0..900. */
export function bufferTimeoutProblem(timeoutSeconds: number): string | undefined {
  return timeoutSeconds >= 0 && timeoutSeconds <= MAX_BUFFER_TIMEOUT_SECONDS
    ? undefined
    : `must be seconds in 0..${MAX_BUFFER_TIMEOUT_SECONDS} (Lambda's longest function timeout)`;
}

/** A buffer's setting that Lambda or the batcher cannot run, with why. */
export interface BufferLimitProblem {
  readonly field: 'batchSize' | 'timeoutSeconds' | 'memoryMb';
  readonly value: number;
  readonly problem: string;
}

/**
 * Every setting of a buffer outside the limits above (memory, batch size, timeout), so that a
 * caller can report all of a configuration's problems at once; empty when it can run.
 *
 * @example
 * ```ts
 * bufferLimitProblems({ batchSize: 4, timeoutSeconds: 0.1, memoryMb: 64 });
 * // [{ field: 'memoryMb', value: 64, problem: "must be a whole number of MB in 128..10240 (Lambda's range)" }]
 * ```
 */
export function bufferLimitProblems(buffer: {
  readonly batchSize: number;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
}): BufferLimitProblem[] {
  const checks = [
    ['batchSize', batchSizeProblem],
    ['timeoutSeconds', bufferTimeoutProblem],
    ['memoryMb', lambdaMemoryProblem],
  ] as const;
  const problems: BufferLimitProblem[] = [];
  for (const [field, check] of checks) {
    const value = buffer[field];
    const problem = check(value);
    if (problem !== undefined) problems.push({ field, value, problem });
  }
  return problems;
}

/**
 * Largest synchronous Invoke request payload Lambda accepts, in bytes (6 MB): a batch event, all
 * of its requests' inputs included, must fit in it.
 */
export const LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES = 6_291_456;
