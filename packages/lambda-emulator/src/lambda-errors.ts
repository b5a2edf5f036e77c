import type { MbsError } from '@mbs/core';
import { emulatorErrors } from './emulator-errors.js';

/** What the wire needs to answer an AWS-style error (kept in `MbsError.details`). */
export interface AwsErrorDetails {
  /** HTTP status code of the error response. */
  readonly statusCode: number;
  /** The AWS error code (`x-amzn-ErrorType` / `__type`), e.g. `ResourceNotFoundException`. */
  readonly errorType: string;
  /** The message exactly as AWS words it. */
  readonly awsMessage: string;
  /** Whether retrying the same call later can succeed. */
  readonly retryable: boolean;
  /** Extra body fields, e.g. `Reason` of a throttle. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/**
 * An AWS-style service error as an `MbsError`: `THROTTLED` for 429, `PROVIDER_ERROR` otherwise,
 * with the wire fields in `details`.
 */
export function awsError(details: AwsErrorDetails): MbsError {
  const code = details.statusCode === 429 ? 'THROTTLED' : 'PROVIDER_ERROR';
  return emulatorErrors.error(code, `${details.errorType}: ${details.awsMessage}`, {
    details: { ...details },
  });
}

/** The wire fields of an error thrown by the emulator, or undefined for any other error. */
export function awsErrorDetails(error: unknown): AwsErrorDetails | undefined {
  const details = (error as { details?: Partial<AwsErrorDetails> } | null)?.details;
  if (
    typeof details?.statusCode === 'number' &&
    typeof details.errorType === 'string' &&
    typeof details.awsMessage === 'string'
  ) {
    return details as AwsErrorDetails;
  }
  return undefined;
}

/** 404 ResourceNotFoundException for a function, worded as Lambda words it. */
export function functionNotFound(functionArn: string): MbsError {
  return awsError({
    statusCode: 404,
    errorType: 'ResourceNotFoundException',
    awsMessage: `Function not found: ${functionArn}`,
    retryable: false,
  });
}

/** 400 InvalidParameterValueException. */
export function invalidParameterValue(awsMessage: string): MbsError {
  return awsError({
    statusCode: 400,
    errorType: 'InvalidParameterValueException',
    awsMessage,
    retryable: false,
  });
}

/** The reasons Lambda gives for a 429. */
export type ThrottleReason =
  | 'ConcurrentInvocationLimitExceeded'
  | 'ReservedFunctionConcurrentInvocationLimitExceeded';

/** 429 TooManyRequestsException with Lambda's body fields. */
export function tooManyRequests(reason: ThrottleReason): MbsError {
  return awsError({
    statusCode: 429,
    errorType: 'TooManyRequestsException',
    awsMessage: 'Rate Exceeded.',
    retryable: true,
    fields: { Type: 'User', Reason: reason },
  });
}

/** 413 RequestTooLargeException with Lambda's message for an operation and its byte limit. */
export function requestTooLarge(limitBytes: number, operation: string): MbsError {
  return awsError({
    statusCode: 413,
    errorType: 'RequestTooLargeException',
    awsMessage: `Request must be smaller than ${limitBytes} bytes for the ${operation} operation`,
    retryable: false,
  });
}

/** A CloudWatch Logs error (always HTTP 400 on the awsJson protocol). */
export function logsError(errorType: string, awsMessage: string): MbsError {
  return awsError({ statusCode: 400, errorType, awsMessage, retryable: false });
}
