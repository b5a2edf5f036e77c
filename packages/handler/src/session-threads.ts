import { EMULATOR_CORES_VARIABLE, lambdaVcpus } from '@mbs/core';
import { errors } from './errors.js';
import { lambdaError } from './lambda-error.js';

/** Variable that sets the ONNX Runtime threads of the Lambda entry's session (1..64). */
export const ONNX_THREADS_VARIABLE = 'MBS_ONNX_THREADS';

/** Most threads {@link ONNX_THREADS_VARIABLE} accepts. */
const MAX_THREADS = 64;

/**
 * The intra-op threads the Lambda entry's ONNX Runtime session uses, or undefined for the
 * runtime's default (one per host core) outside Lambda:
 * - `MBS_ONNX_THREADS` when set;
 * - on the MBS emulator, the cores it scales Duration from (`MBS_EMULATOR_CORES`, 1 by default):
 *   more threads would be sped up twice, by the host's cores and by the emulator's scaling;
 * - on Lambda, the whole vCPUs of the function's memory (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`), at
 *   least 1: below 1,769 MB a function has a share of one vCPU, and threads beyond its vCPUs
 *   contend for the same quota (the host shows more cores than the function may use).
 *
 * @example
 * ```ts
 * onnxThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '3538' }); // 2
 * onnxThreads({ AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512' }); // 1
 * onnxThreads({}); // undefined
 * ```
 */
export function onnxThreads(environment: NodeJS.ProcessEnv): number | undefined {
  const given = environment[ONNX_THREADS_VARIABLE] ?? environment[EMULATOR_CORES_VARIABLE];
  if (given !== undefined) {
    const threads = Number(given);
    if (!(Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)) {
      const name =
        environment[ONNX_THREADS_VARIABLE] === undefined
          ? EMULATOR_CORES_VARIABLE
          : ONNX_THREADS_VARIABLE;
      throw lambdaError(
        'FUNCTION_ERROR',
        errors.prefix(`${name}=${given}: give a whole number of threads in 1..${MAX_THREADS}`),
      );
    }
    return threads;
  }
  const memoryMb = Number(environment.AWS_LAMBDA_FUNCTION_MEMORY_SIZE);
  if (!(memoryMb > 0)) return undefined;
  return Math.max(1, Math.floor(lambdaVcpus(memoryMb)));
}
