import type { BatchEvent, InvocationRecord, InvocationResult, ItemResult } from '@mbs/core';
import { billedMilliseconds } from '@mbs/core';
import { parseReportLine, type ReportLine } from '@mbs/logs';

/** What an Invoke call returned, in the SDK output's terms. */
export interface InvokeResponse {
  readonly functionName: string;
  /** `$metadata.requestId` (the `x-amzn-RequestId` header). */
  readonly requestId?: string;
  readonly functionError?: string;
  /** Base64 tail of the execution log (LogType Tail). */
  readonly logResult?: string;
  readonly payloadText?: string;
  /** Wall-clock milliseconds of the call, used only when the log tail has no REPORT line. */
  readonly elapsedMs: number;
  /** Configured memory in MB, used only when the log tail has no REPORT line. */
  readonly fallbackMemoryMb?: number;
}

/** The REPORT line of `requestId` in a base64 log tail, or the last REPORT line when unnamed. */
export function reportFromLogTail(
  logResult: string | undefined,
  requestId?: string,
): ReportLine | undefined {
  if (logResult === undefined || logResult.length === 0) return undefined;
  const text = Buffer.from(logResult, 'base64').toString('utf8');
  let last: ReportLine | undefined;
  for (const line of text.split('\n')) {
    const parsed = parseReportLine(line);
    if (!parsed.ok) continue;
    if (requestId !== undefined && parsed.report.requestId === requestId) return parsed.report;
    last = parsed.report;
  }
  return last;
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the caller reports the raw text as an invalid response.
    return undefined;
  }
}

function functionErrorOf(
  functionError: string,
  payloadText: string | undefined,
): { type: string; message: string } {
  const body = parseJson(payloadText) as
    | { errorType?: unknown; errorMessage?: unknown }
    | undefined;
  const type = typeof body?.errorType === 'string' ? body.errorType : functionError;
  const message =
    typeof body?.errorMessage === 'string'
      ? body.errorMessage
      : (payloadText ?? `the function failed (${functionError})`);
  return { type, message };
}

function asItemResult(value: unknown): ItemResult | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const item = value as { id?: unknown; ok?: unknown; output?: unknown; error?: unknown };
  if (typeof item.id !== 'string') return undefined;
  if (item.ok === true) return { id: item.id, ok: true, output: item.output };
  if (item.ok !== false) return undefined;
  const error = item.error as { code?: unknown; message?: unknown } | undefined;
  return {
    id: item.id,
    ok: false,
    error: {
      code: typeof error?.code === 'string' ? error.code : 'FUNCTION_ERROR',
      message:
        typeof error?.message === 'string' ? error.message : 'the handler reported a failure',
    },
  };
}

/**
 * The handler's per-request results in the batch's order. Requests the handler did not answer
 * get a failed result, so the caller can fail exactly those.
 */
function resultsInBatchOrder(
  event: BatchEvent,
  payload: unknown,
): { results: ItemResult[] } | { problem: string } {
  const list = (payload as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(list)) {
    return {
      problem:
        'the response has no "results" array; expected { results: [{ id, ok, output | error }] }',
    };
  }
  const byId = new Map<string, ItemResult>();
  for (const [index, value] of list.entries()) {
    const item = asItemResult(value);
    if (item === undefined) {
      return { problem: `results[${index}] is not { id: string, ok: boolean, output | error }` };
    }
    byId.set(item.id, item);
  }
  const results = event.requests.map(
    (request): ItemResult =>
      byId.get(request.id) ?? {
        id: request.id,
        ok: false,
        error: {
          code: 'FUNCTION_ERROR',
          message: `the handler returned no result for "${request.id}"`,
        },
      },
  );
  return { results };
}

/**
 * Builds the invocation result of an Invoke response: the REPORT line of the log tail becomes
 * the invocation record; a function error becomes `record.error` with no results; the handler's
 * `{ results }` become per-request results in the batch's order.
 */
export function invocationResultOf(
  event: BatchEvent,
  response: InvokeResponse,
): InvocationResult<InvocationRecord> {
  const report = reportFromLogTail(response.logResult, response.requestId);
  // Without a REPORT line (log tail not returned) the wall-clock time is the best available bound.
  const durationMs = report?.durationMs ?? response.elapsedMs;
  const base: InvocationRecord = {
    requestId: response.requestId ?? report?.requestId ?? '',
    functionName: response.functionName,
    durationMs,
    billedDurationMs: report?.billedDurationMs ?? billedMilliseconds(durationMs),
    memorySizeMb: report?.memorySizeMb ?? response.fallbackMemoryMb ?? 0,
    maxMemoryUsedMb: report?.maxMemoryUsedMb ?? 0,
    ...(report?.initDurationMs === undefined ? {} : { initDurationMs: report.initDurationMs }),
  };
  if (response.functionError !== undefined) {
    return {
      results: [],
      record: { ...base, error: functionErrorOf(response.functionError, response.payloadText) },
    };
  }
  const ordered = resultsInBatchOrder(event, parseJson(response.payloadText));
  if ('problem' in ordered) {
    return {
      results: [],
      record: { ...base, error: { type: 'Mbs.InvalidResponse', message: ordered.problem } },
    };
  }
  return { results: ordered.results, record: base };
}
