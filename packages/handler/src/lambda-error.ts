import { MbsError, type MbsErrorCode, type MbsErrorOptions } from '@mbs/core';

/**
 * An {@link MbsError} to throw out of a Lambda handler: the runtime reports a thrown error as
 * `{ errorType: error.name, errorMessage: error.message }`, so its name is set to the stable code
 * (`EVENT_INVALID`, `FUNCTION_ERROR`...) instead of the class name.
 *
 * @example
 * ```ts
 * throw lambdaError('EVENT_INVALID', '[@mbs/handler] event.requests: is empty; send 1 to 256 requests');
 * ```
 */
export function lambdaError(
  code: MbsErrorCode,
  message: string,
  options: MbsErrorOptions = {},
): MbsError {
  const error = new MbsError(code, message, options);
  Object.defineProperty(error, 'name', { value: code, configurable: true });
  return error;
}
