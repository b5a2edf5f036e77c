import { randomBytes } from 'node:crypto';
import { formatReportLine, type ReportLine } from '@mbs/core';

/** The log group Lambda writes a function's logs to. */
export function logGroupName(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** A new instance's log stream name: `YYYY/MM/DD/[$LATEST]<32 hex>` (UTC date). */
export function newLogStreamName(createdAtMs: number): string {
  const date = new Date(createdAtMs).toISOString().slice(0, 10).replaceAll('-', '/');
  return `${date}/[$LATEST]${randomBytes(16).toString('hex')}`;
}

/** `START RequestId: <id> Version: $LATEST`. */
export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST\n`;
}

/** `END RequestId: <id>`. */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}\n`;
}

/** The figures of one REPORT line the emulator writes. */
export type ReportFigures = Omit<ReportLine, 'otherFields' | 'status'> & {
  /** `timeout` or `error` when the runtime ended badly (Lambda's newer REPORT field). */
  readonly status?: 'timeout' | 'error';
};

/**
 * A REPORT line as Lambda writes it ({@link formatReportLine}: tab-separated fields, 2-decimal
 * durations, a trailing tab), ended by a newline.
 */
export function reportLine(figures: ReportFigures): string {
  return `${formatReportLine(figures)}\n`;
}

/**
 * A function's log line as the Node.js runtime writes it: `<ISO-ts>\t<requestId>\t<LEVEL>\t<msg>`.
 * Newlines inside the message become carriage returns so one call stays one log event.
 */
export function applicationLine(
  timestampMs: number,
  requestId: string,
  level: string,
  message: string,
): string {
  return `${new Date(timestampMs).toISOString()}\t${requestId}\t${level}\t${message.replaceAll('\n', '\r')}\n`;
}

/** `Task timed out after 3.00 seconds`, as Lambda words it. */
export function timeoutMessage(timeoutSeconds: number): string {
  return `Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}
