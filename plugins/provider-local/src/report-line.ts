import type { InvocationRecord } from '@mbs/core';
import { parseReportLine as parseReportFields } from '@mbs/core';

/**
 * Parses a Lambda REPORT line into an invocation record, or undefined when the line is not a
 * REPORT line or lacks a figure every REPORT line has. A `Status: timeout` becomes a
 * `Sandbox.Timedout` error and any other status but `success` a `Runtime.Error`.
 *
 * @example
 * ```ts
 * parseReportLine('REPORT RequestId: 1a\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t', 'echo');
 * ```
 */
export function parseReportLine(line: string, functionName: string): InvocationRecord | undefined {
  const parsed = parseReportFields(line);
  if (!parsed.ok) return undefined;
  const { requestId, durationMs, billedDurationMs, memorySizeMb, maxMemoryUsedMb } = parsed.report;
  const { initDurationMs, status } = parsed.report;
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
