import { isMbsError } from '@mbs/core';

/** The JSON body of an answer without a result. */
export interface ErrorBody {
  readonly error: {
    /** Stable code: an MbsError code of the batcher, or one of the front door's own. */
    readonly code: string;
    readonly message: string;
    readonly details?: Readonly<Record<string, unknown>>;
  };
}

/** An HTTP answer without a result: status, body, and whether to send `Retry-After`. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: ErrorBody;
  readonly retryAfter: boolean;
}

const answer = (
  status: number,
  code: string,
  message: string,
  retryAfter = false,
  details?: Readonly<Record<string, unknown>>,
): ErrorAnswer => ({
  status,
  body: { error: details === undefined ? { code, message } : { code, message, details } },
  retryAfter,
});

/** 400: the body is not what the schema says, or a header is malformed. */
export const invalidRequest = (message: string) => answer(400, 'INVALID_REQUEST', message);

/** 413: the request cannot fit in a batch under Lambda's payload limit. */
export const payloadTooLarge = (message: string, details: Readonly<Record<string, unknown>>) =>
  answer(413, 'PAYLOAD_TOO_LARGE', message, false, details);

/** 421: the request's class belongs to another front end. */
export const misdirected = (message: string, details: Readonly<Record<string, unknown>>) =>
  answer(421, 'MISDIRECTED', message, false, details);

/** 429: a bound on queued or in-flight work is reached. */
export const overloaded = (message: string, details?: Readonly<Record<string, unknown>>) =>
  answer(429, 'BACKPRESSURE', message, true, details);

/** 503: the server is draining and takes no new request. */
export const shuttingDown = () =>
  answer(503, 'CLOSED', 'the server is shutting down; send the request to another instance', true);

/** 504: the request's deadline passed before its result came. */
export const deadlineExceeded = (message: string) => answer(504, 'DEADLINE_EXCEEDED', message);

/**
 * The answer for a request the batcher rejected: 429 BACKPRESSURE (its buffer is full), 503
 * THROTTLED (the provider throttled every attempt) or CLOSED (draining), 502 FUNCTION_ERROR (the
 * function failed) or PROVIDER_ERROR (the provider refused or could not be reached), 500 for
 * anything else. The message names the cause as the batcher gave it.
 */
export function answerOfRejection(error: unknown): ErrorAnswer {
  if (!isMbsError(error)) {
    return answer(500, 'INTERNAL', `unexpected failure: ${String(error)}`);
  }
  const details = pickDetails(error.details);
  switch (error.code) {
    case 'BACKPRESSURE':
      return answer(429, 'BACKPRESSURE', error.message, true, details);
    case 'THROTTLED':
      return answer(503, 'THROTTLED', error.message, true, details);
    case 'CLOSED':
      return shuttingDown();
    case 'FUNCTION_ERROR':
      return answer(502, 'FUNCTION_ERROR', error.message, false, details);
    case 'PROVIDER_ERROR':
      return answer(502, 'PROVIDER_ERROR', error.message, false, details);
    default:
      return answer(500, error.code, error.message, false, details);
  }
}

// Only the fields that help a client; the rest (causes, stacks) stays in the server's records.
const DETAIL_KEYS = [
  'functionName',
  'batchId',
  'attempts',
  'errorType',
  'statusCode',
  'buffer',
  'pending',
];

const pickDetails = (details: Readonly<Record<string, unknown>>) => {
  const picked: Record<string, unknown> = {};
  for (const key of DETAIL_KEYS) if (details[key] !== undefined) picked[key] = details[key];
  return picked;
};
