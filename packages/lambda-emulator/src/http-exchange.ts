import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AwsErrorDetails, awsErrorDetails } from './lambda-errors.js';

/** A request body read up to a limit (the rest is drained, so the client sees the answer). */
export interface RequestBody {
  readonly bytes: Buffer;
  /** Total size sent, in bytes. */
  readonly sizeBytes: number;
  /** Whether the body was larger than the limit (then `bytes` is truncated). */
  readonly tooLarge: boolean;
}

/** Reads the whole request body, keeping at most `limitBytes`. */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let sizeBytes = 0;
    request.on('data', (chunk: Buffer) => {
      sizeBytes += chunk.byteLength;
      if (sizeBytes <= limitBytes) chunks.push(chunk);
    });
    request.on('end', () =>
      resolve({ bytes: Buffer.concat(chunks), sizeBytes, tooLarge: sizeBytes > limitBytes }),
    );
    request.on('error', reject);
  });
}

/** Writes a response with Lambda's request-id header. */
export function send(
  response: ServerResponse,
  statusCode: number,
  body: Uint8Array | string | undefined,
  headers: Readonly<Record<string, string>> = {},
  requestId: string = randomUUID(),
): void {
  const bytes =
    body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(statusCode, {
    'x-amzn-RequestId': requestId,
    ...(bytes === undefined ? {} : { 'Content-Length': String(bytes.byteLength) }),
    ...headers,
  });
  response.end(bytes);
}

/** Writes JSON. */
export function sendJson(
  response: ServerResponse,
  statusCode: number,
  value: unknown,
  contentType = 'application/json',
): void {
  send(response, statusCode, JSON.stringify(value), { 'Content-Type': contentType });
}

/** How an error is put on the wire: Lambda's restJson1 or CloudWatch Logs' awsJson1.1. */
export type WireProtocol = 'rest-json' | 'aws-json';

function unexpected(error: unknown): AwsErrorDetails {
  return {
    statusCode: 500,
    errorType: 'ServiceException',
    awsMessage: `The emulator failed: ${(error as Error)?.message ?? String(error)}`,
    retryable: true,
  };
}

/** Writes an error as AWS does: `x-amzn-ErrorType`, and the body each protocol expects. */
export function sendError(response: ServerResponse, error: unknown, protocol: WireProtocol): void {
  const details = awsErrorDetails(error) ?? unexpected(error);
  const body =
    protocol === 'rest-json'
      ? {
          Type: details.statusCode >= 500 ? 'Service' : 'User',
          message: details.awsMessage,
          ...details.fields,
        }
      : { __type: details.errorType, message: details.awsMessage };
  send(response, details.statusCode, JSON.stringify(body), {
    'Content-Type': protocol === 'rest-json' ? 'application/json' : 'application/x-amz-json-1.1',
    'x-amzn-ErrorType': details.errorType,
  });
}
