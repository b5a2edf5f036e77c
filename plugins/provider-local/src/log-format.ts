import { randomBytes } from 'node:crypto';

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

/** The figures of one REPORT line. */
export interface ReportFigures {
  readonly requestId: string;
  /** Emulated handler duration in milliseconds. */
  readonly durationMs: number;
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Present on cold starts only. */
  readonly initDurationMs?: number;
  /** `timeout` or `error` when the runtime ended badly (Lambda's newer REPORT field). */
  readonly status?: 'timeout' | 'error';
}

/**
 * A REPORT line as Lambda writes it: tab-separated fields, 2-decimal durations, and a trailing
 * tab before the newline.
 */
export function reportLine(figures: ReportFigures): string {
  const fields = [
    `REPORT RequestId: ${figures.requestId}`,
    `Duration: ${figures.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${figures.billedDurationMs} ms`,
    `Memory Size: ${figures.memorySizeMb} MB`,
    `Max Memory Used: ${figures.maxMemoryUsedMb} MB`,
  ];
  if (figures.initDurationMs !== undefined) {
    fields.push(`Init Duration: ${figures.initDurationMs.toFixed(2)} ms`);
  }
  if (figures.status !== undefined) fields.push(`Status: ${figures.status}`);
  return `${fields.join('\t')}\t\n`;
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
