import type { InvocationRecord } from '@mbs/core';
import { parseReportLine } from '@mbs/core';

/**
 * The invocation record of one function's REPORT line (read with core's `parseReportLine`), or
 * undefined when the line is not a REPORT line or lacks a figure every REPORT line has. A
 * `Status: timeout` becomes a `Sandbox.Timedout` error and any other status but `success` a
 * `Runtime.Error`.
 *
 * @example
 * ```ts
 * invocationRecordOfReportLine('REPORT RequestId: 1a\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t', 'echo');
 * ```
 */
export function invocationRecordOfReportLine(
  line: string,
  functionName: string,
): InvocationRecord | undefined {
  const parsed = parseReportLine(line);
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
