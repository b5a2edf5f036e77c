import {
  LambdaServiceException,
  RequestTooLargeException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { toProviderError } from './lambda-errors.js';

const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-1', attempts: 3 });

describe('toProviderError', () => {
  it('maps TooManyRequestsException to THROTTLED with the reason, retryable', () => {
    const sdkError = new TooManyRequestsException({
      message: 'Rate Exceeded.',
      $metadata: metadata(429),
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      retryAfterSeconds: '1',
    });
    const error = toProviderError(sdkError, 'mbs-b0', 'Invoke');
    expect(isMbsError(error, 'THROTTLED')).toBe(true);
    expect(error.details).toMatchObject({
      retryable: true,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      retryAfterSeconds: 1,
      attempts: 3,
    });
    expect(error.cause).toBe(sdkError);
  });

  it('names the missing function, not retryable', () => {
    const error = toProviderError(
      new ResourceNotFoundException({ message: 'Function not found', $metadata: metadata(404) }),
      'mbs-missing',
      'Invoke',
    );
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect(error.message).toContain('"mbs-missing" not found');
    expect(error.details.retryable).toBe(false);
  });

  it('treats 413 as not retryable and says the limit', () => {
    const error = toProviderError(
      new RequestTooLargeException({
        message: 'Request must be smaller than 6291456 bytes',
        $metadata: metadata(413),
      }),
      'fn',
      'Invoke',
      7_000_000,
    );
    expect(error.details).toMatchObject({ retryable: false, payloadBytes: 7_000_000 });
    expect(error.message).toContain('6291456');
  });

  it('treats other 4xx as not retryable, 5xx and transport failures as retryable', () => {
    const clientError = new LambdaServiceException({
      name: 'InvalidParameterValueException',
      $fault: 'client',
      $metadata: metadata(400),
      message: 'bad',
    });
    expect(toProviderError(clientError, 'fn', 'Invoke').details.retryable).toBe(false);
    const serverError = new LambdaServiceException({
      name: 'ServiceException',
      $fault: 'server',
      $metadata: metadata(502),
      message: 'bad gateway',
    });
    expect(toProviderError(serverError, 'fn', 'Invoke').details.retryable).toBe(true);
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    const mapped = toProviderError(refused, 'fn', 'Invoke');
    expect(mapped.details.retryable).toBe(true);
    expect(mapped.message).toContain('transport failure');
  });

  it('marks an abort by the caller as not retryable', () => {
    const abort = Object.assign(new Error('Request aborted'), { name: 'AbortError' });
    expect(toProviderError(abort, 'fn', 'Invoke').details).toMatchObject({
      aborted: true,
      retryable: false,
    });
  });
});
