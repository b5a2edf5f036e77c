import { parseReportLine, type ReportLine } from '@mbs/core';

/** What one CloudWatch log message of a Lambda function is. */
export type LogLine =
  | { readonly kind: 'start'; readonly requestId: string; readonly version?: string }
  | { readonly kind: 'end'; readonly requestId: string }
  | { readonly kind: 'report'; readonly report: ReportLine }
  /** `Task timed out after N seconds`. */
  | { readonly kind: 'timeout'; readonly requestId: string; readonly timeoutSeconds: number }
  /** An application line at ERROR level; the runtime's `Invoke Error` carries errorType/message. */
  | {
      readonly kind: 'error';
      readonly requestId: string;
      /** Whether the runtime wrote it because the invocation failed (`Invoke Error`, `Uncaught Exception`). */
      readonly failure: boolean;
      readonly errorType?: string;
      readonly errorMessage?: string;
    }
  /** An application line at another level (INFO, WARN, DEBUG, TRACE). */
  | { readonly kind: 'application'; readonly requestId: string; readonly level: string }
  /** Platform lines that carry no request id (INIT_START, EXTENSION, TELEMETRY...). */
  | { readonly kind: 'platform'; readonly type: string }
  /** A line none of the above describe, or a malformed REPORT line (`problem` says why). */
  | { readonly kind: 'unknown'; readonly problem?: string };

/** Kinds of {@link LogLine}, for counting. */
export type LogLineKind = LogLine['kind'];

const START = /^START RequestId: (\S+)(?:\s+Version: (\S+))?/;
const END = /^END RequestId: (\S+)/;
// `<ISO timestamp> <request id> Task timed out after 3.00 seconds`, tab- or space-separated.
const TIMEOUT = /^\S+[ \t]+(\S+)[ \t]+Task timed out after ([\d.]+) seconds/;
// Node runtime application lines: `<ISO timestamp>\t<request id>\t<LEVEL>\t<message>`.
const APPLICATION = /^(\d{4}-\d\d-\d\dT\S+)\t(\S+)\t(ERROR|WARN|INFO|DEBUG|TRACE|FATAL)\t(.*)$/s;
const PLATFORM =
  /^(INIT_START|INIT_REPORT|INIT_RUNTIME_DONE|RESTORE_START|RESTORE_REPORT|EXTENSION|TELEMETRY|LOGS)\b/;

function parseErrorJson(text: string): { errorType?: string; errorMessage?: string } {
  const start = text.indexOf('{');
  if (start < 0) return {};
  try {
    const value = JSON.parse(text.slice(start)) as { errorType?: unknown; errorMessage?: unknown };
    return {
      ...(typeof value.errorType === 'string' ? { errorType: value.errorType } : {}),
      ...(typeof value.errorMessage === 'string' ? { errorMessage: value.errorMessage } : {}),
    };
  } catch {
    // The message was plain text after all; the caller keeps the line as an untyped error.
    return {};
  }
}

/**
 * Classifies one Lambda log message (START, END, REPORT, timeout, application ERROR or other
 * level, platform line) so that unknown lines can be counted rather than dropped.
 *
 * @example
 * ```ts
 * classifyLogLine('END RequestId: 6f1c...'); // { kind: 'end', requestId: '6f1c...' }
 * ```
 */
export function classifyLogLine(message: string): LogLine {
  const line = message.replace(/\s+$/, '');
  if (line.startsWith('REPORT ')) {
    const parsed = parseReportLine(line);
    return parsed.ok
      ? { kind: 'report', report: parsed.report }
      : { kind: 'unknown', problem: `REPORT line ${parsed.problem}` };
  }
  const start = START.exec(line);
  if (start) {
    return start[2] === undefined
      ? { kind: 'start', requestId: start[1]! }
      : { kind: 'start', requestId: start[1]!, version: start[2] };
  }
  const end = END.exec(line);
  if (end) return { kind: 'end', requestId: end[1]! };
  const timeout = TIMEOUT.exec(line);
  if (timeout) {
    return { kind: 'timeout', requestId: timeout[1]!, timeoutSeconds: Number(timeout[2]) };
  }
  const application = APPLICATION.exec(line);
  if (application) {
    const requestId = application[2]!;
    const level = application[3]!;
    if (level === 'ERROR' || level === 'FATAL') {
      const text = application[4]!;
      // A handler may console.error and still succeed; only the runtime's own lines mean failure.
      const failure = /^(Invoke Error|Uncaught Exception)\b/.test(text);
      return { kind: 'error', requestId, failure, ...parseErrorJson(text) };
    }
    return { kind: 'application', requestId, level };
  }
  const platform = PLATFORM.exec(line);
  if (platform) return { kind: 'platform', type: platform[1]! };
  return { kind: 'unknown' };
}
