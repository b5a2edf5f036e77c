import { MbsError } from '@mbs/core';
import { errors } from './errors.js';

interface SdkErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly Reason?: string;
  readonly retryAfterSeconds?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: {
    readonly httpStatusCode?: number;
    readonly requestId?: string;
    readonly attempts?: number;
  };
}

/** Lambda's synchronous request payload limit in bytes (6 MB). */
export const INVOKE_REQUEST_LIMIT_BYTES = 6_291_456;

function shapeOf(error: unknown): SdkErrorShape {
  return typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
}

/** The SDK error's name (`ResourceNotFoundException`...), or '' for a non-error value. */
export function sdkErrorName(error: unknown): string {
  return shapeOf(error).name ?? '';
}

/** The HTTP status of a failed SDK call, when the server answered. */
export function sdkHttpStatus(error: unknown): number | undefined {
  return shapeOf(error).$metadata?.httpStatusCode;
}

/** Whether an SDK error says the function (or its version) does not exist. */
export function isResourceNotFound(error: unknown): boolean {
  return sdkErrorName(error) === 'ResourceNotFoundException' || sdkHttpStatus(error) === 404;
}

/**
 * Maps an error of a Lambda API call to an MbsError: throttling becomes THROTTLED (retryable,
 * with Lambda's reason); a missing function, an oversized payload and other 4xx become
 * PROVIDER_ERROR not retryable; 5xx and transport failures become PROVIDER_ERROR retryable.
 *
 * @param operation the API call, e.g. `Invoke`
 * @param payloadBytes size of the request payload, for the 413 message
 */
export function toProviderError(
  error: unknown,
  functionName: string,
  operation: string,
  payloadBytes?: number,
): MbsError {
  const shape = shapeOf(error);
  const name = shape.name ?? 'Error';
  const status = shape.$metadata?.httpStatusCode;
  const base = {
    functionName,
    operation,
    errorName: name,
    ...(status === undefined ? {} : { httpStatusCode: status }),
    ...(shape.$metadata?.requestId === undefined ? {} : { requestId: shape.$metadata.requestId }),
    ...(shape.$metadata?.attempts === undefined ? {} : { attempts: shape.$metadata.attempts }),
  };
  const prefix = errors.prefix(`${operation} ${functionName}`);
  const text = shape.message ?? String(error);

  if (name === 'TooManyRequestsException' || status === 429) {
    const reason = shape.Reason ?? 'unknown';
    return new MbsError(
      'THROTTLED',
      `${prefix}: throttled by Lambda (${reason}) after ${shape.$metadata?.attempts ?? 1} attempt(s); raise reserved or account concurrency, or lower the invocation rate`,
      {
        cause: error,
        details: {
          ...base,
          retryable: true,
          reason,
          ...(shape.retryAfterSeconds === undefined
            ? {}
            : { retryAfterSeconds: Number(shape.retryAfterSeconds) }),
        },
      },
    );
  }
  if (name === 'AbortError' || name === 'TimeoutError') {
    const aborted = name === 'AbortError';
    return new MbsError(
      'PROVIDER_ERROR',
      `${prefix}: ${aborted ? 'aborted by the caller' : `timed out in transport (${text})`}`,
      { cause: error, details: { ...base, retryable: !aborted, aborted } },
    );
  }
  if (isResourceNotFound(error)) {
    return new MbsError(
      'PROVIDER_ERROR',
      `${prefix}: function "${functionName}" not found (${text}); deploy it first (mbs deploy) or check the name and region`,
      { cause: error, details: { ...base, retryable: false } },
    );
  }
  if (status === 413 || name === 'RequestTooLargeException') {
    const size = payloadBytes === undefined ? '' : ` of ${payloadBytes} bytes`;
    return new MbsError(
      'PROVIDER_ERROR',
      `${prefix}: request payload${size} too large (${text}); synchronous invocations accept at most ${INVOKE_REQUEST_LIMIT_BYTES} bytes, so use a smaller batch size`,
      {
        cause: error,
        details: {
          ...base,
          retryable: false,
          ...(payloadBytes === undefined ? {} : { payloadBytes }),
        },
      },
    );
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return new MbsError(
      'PROVIDER_ERROR',
      `${prefix}: refused with HTTP ${status} ${name}: ${text}`,
      {
        cause: error,
        details: { ...base, retryable: false },
      },
    );
  }
  const what =
    status === undefined
      ? `transport failure (${name}: ${text})`
      : `HTTP ${status} ${name}: ${text}`;
  return new MbsError('PROVIDER_ERROR', `${prefix}: ${what}; retrying may succeed`, {
    cause: error,
    details: { ...base, retryable: true },
  });
}
