import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Emulator } from './emulator.js';
import { readBody, sendError, sendJson } from './http-exchange.js';
import { logsError } from './lambda-errors.js';
import type { LogsRequest } from './log-store.js';

const TARGET_PREFIX = 'Logs_20140328.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** CloudWatch Logs refuses request bodies over 1 MB. */
const LOGS_REQUEST_LIMIT_BYTES = 1_048_576;

const operations: Readonly<Record<string, (emulator: Emulator, request: LogsRequest) => unknown>> =
  {
    FilterLogEvents: (emulator, request) => emulator.logs.filterLogEvents(request),
    GetLogEvents: (emulator, request) => emulator.logs.getLogEvents(request),
    DescribeLogStreams: (emulator, request) => emulator.logs.describeLogStreams(request),
    DescribeLogGroups: (emulator, request) => emulator.logs.describeLogGroups(request),
  };

/** Whether a request is a CloudWatch Logs call (awsJson: `POST /` with `x-amz-target`). */
export function isLogsRequest(request: IncomingMessage, url: URL): boolean {
  const target = request.headers['x-amz-target'];
  return (
    request.method === 'POST' &&
    url.pathname === '/' &&
    typeof target === 'string' &&
    target.startsWith(TARGET_PREFIX)
  );
}

/** Answers a CloudWatch Logs request (FilterLogEvents, GetLogEvents, DescribeLogStreams, DescribeLogGroups). */
export async function handleLogsRequest(
  emulator: Emulator,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request, LOGS_REQUEST_LIMIT_BYTES);
  try {
    const operationName = String(request.headers['x-amz-target']).slice(TARGET_PREFIX.length);
    const operation = operations[operationName];
    if (!operation) {
      throw logsError(
        'UnknownOperationException',
        `The emulator does not implement ${operationName}; it answers ${Object.keys(operations).join(', ')}`,
      );
    }
    if (body.tooLarge)
      throw logsError('InvalidParameterException', 'The request body is larger than 1 MB');
    let parsed: unknown;
    try {
      parsed = body.bytes.byteLength === 0 ? {} : JSON.parse(body.bytes.toString('utf8'));
    } catch {
      throw logsError('SerializationException', 'The request body is not valid JSON');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw logsError('SerializationException', 'The request body is not a JSON object');
    }
    sendJson(response, 200, operation(emulator, parsed as LogsRequest), CONTENT_TYPE);
  } catch (error) {
    sendError(response, error, 'aws-json');
  }
}
