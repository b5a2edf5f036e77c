import type { InvocationRecord } from '@mbs/core';

const REPORT_PREFIX = 'REPORT RequestId: ';

function field(fields: Map<string, string>, name: string): number | undefined {
  const text = fields.get(name);
  if (text === undefined) return undefined;
  const value = Number.parseFloat(text);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * Parses a Lambda REPORT line into an invocation record, or undefined when the line is not a
 * REPORT line or lacks a figure every REPORT line has.
 *
 * @example
 * ```ts
 * parseReportLine('REPORT RequestId: 1a\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t', 'echo');
 * ```
 */
export function parseReportLine(line: string, functionName: string): InvocationRecord | undefined {
  if (!line.startsWith(REPORT_PREFIX)) return undefined;
  const [head, ...rest] = line.trimEnd().split('\t');
  const requestId = head?.slice(REPORT_PREFIX.length).trim();
  const fields = new Map<string, string>();
  for (const part of rest) {
    const colon = part.indexOf(':');
    if (colon > 0) fields.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  const durationMs = field(fields, 'Duration');
  const billedDurationMs = field(fields, 'Billed Duration');
  const memorySizeMb = field(fields, 'Memory Size');
  const maxMemoryUsedMb = field(fields, 'Max Memory Used');
  if (
    !requestId ||
    durationMs === undefined ||
    billedDurationMs === undefined ||
    memorySizeMb === undefined ||
    maxMemoryUsedMb === undefined
  ) {
    return undefined;
  }
  const initDurationMs = field(fields, 'Init Duration');
  const status = fields.get('Status');
  return {
    requestId,
    functionName,
    durationMs,
    billedDurationMs,
    memorySizeMb,
    maxMemoryUsedMb,
    ...(initDurationMs === undefined ? {} : { initDurationMs }),
    ...(status === 'timeout'
      ? { error: { type: 'Sandbox.Timedout', message: 'Task timed out' } }
      : status === undefined || status === 'success'
        ? {}
        : { error: { type: 'Runtime.Error', message: `REPORT status ${status}` } }),
  };
}
