import type { InvocationRecord } from '@mbs/core';
import type { LogLineKind } from './log-line.js';
import { classifyLogLine } from './log-line.js';

/** One log event as CloudWatch Logs returns it. */
export interface LogEvent {
  /** When the line was written, in milliseconds since the epoch. */
  readonly timestamp: number;
  readonly message: string;
  readonly logStreamName?: string;
}

/** An invocation as its log lines describe it: the REPORT fields plus START time and errors. */
export interface CollectedInvocation extends InvocationRecord {
  /** Timestamp of the START line in milliseconds since the epoch (REPORT time when absent). */
  readonly startMs: number;
  /** Timestamp of the REPORT line in milliseconds since the epoch. */
  readonly reportMs: number;
  /** Whether the function hit its timeout (`Task timed out` line or `Status: timeout`). */
  readonly timedOut: boolean;
  /** Number of ERROR-level lines of this invocation (a handler may log errors and succeed). */
  readonly errorLines: number;
  readonly logStreamName?: string;
}

/** Counts of log lines by kind. */
export type LogLineCounts = Record<LogLineKind, number>;

/** What {@link assembleInvocations} found in a function's log events. */
export interface AssembledInvocations {
  /** One per REPORT line, in START order. */
  readonly invocations: readonly CollectedInvocation[];
  /** Request ids with a START line but no REPORT line (still running, or the range cut it). */
  readonly incompleteRequestIds: readonly string[];
  readonly lineCounts: LogLineCounts;
  /** Up to 20 unknown lines, with why a malformed REPORT line was rejected. */
  readonly unknownSamples: readonly string[];
}

/** Zero counts for every line kind. */
export function emptyLineCounts(): LogLineCounts {
  return {
    start: 0,
    end: 0,
    report: 0,
    timeout: 0,
    error: 0,
    application: 0,
    platform: 0,
    unknown: 0,
  };
}

const UNKNOWN_SAMPLE_LIMIT = 20;

interface Pending {
  startMs?: number;
  logStreamName?: string;
  timedOut: boolean;
  errorLines: number;
  error?: { type: string; message: string };
}

/**
 * Groups a function's log events by request id into invocation records (one per REPORT line),
 * with START time, errors and timeouts; every line is counted by kind, unknown ones included.
 *
 * @example
 * ```ts
 * const { invocations } = assembleInvocations('mbs-b0', events);
 * ```
 */
export function assembleInvocations(
  functionName: string,
  events: readonly LogEvent[],
): AssembledInvocations {
  const lineCounts = emptyLineCounts();
  const unknownSamples: string[] = [];
  const pending = new Map<string, Pending>();
  const invocations: CollectedInvocation[] = [];
  const pendingOf = (requestId: string): Pending => {
    let entry = pending.get(requestId);
    if (entry === undefined) {
      entry = { timedOut: false, errorLines: 0 };
      pending.set(requestId, entry);
    }
    return entry;
  };
  const ordered = [...events].sort((a, b) => a.timestamp - b.timestamp);
  for (const event of ordered) {
    const line = classifyLogLine(event.message);
    lineCounts[line.kind] += 1;
    switch (line.kind) {
      case 'start': {
        const entry = pendingOf(line.requestId);
        entry.startMs = event.timestamp;
        if (event.logStreamName !== undefined) entry.logStreamName = event.logStreamName;
        break;
      }
      case 'timeout': {
        const entry = pendingOf(line.requestId);
        entry.timedOut = true;
        entry.error = {
          type: 'Sandbox.Timedout',
          message: `Task timed out after ${line.timeoutSeconds.toFixed(2)} seconds`,
        };
        break;
      }
      case 'error': {
        const entry = pendingOf(line.requestId);
        entry.errorLines += 1;
        // The runtime's first failure line explains the failure; later lines are its echoes.
        if (entry.error === undefined && line.failure) {
          entry.error = { type: line.errorType ?? 'Error', message: line.errorMessage ?? '' };
        }
        break;
      }
      case 'report': {
        const report = line.report;
        const entry = pending.get(report.requestId) ?? { timedOut: false, errorLines: 0 };
        pending.delete(report.requestId);
        const timedOut = entry.timedOut || report.status === 'timeout';
        const error =
          entry.error ??
          (timedOut
            ? { type: 'Sandbox.Timedout', message: 'Task timed out' }
            : report.status === 'error'
              ? { type: 'Error', message: 'REPORT line says Status: error' }
              : undefined);
        const logStreamName = entry.logStreamName ?? event.logStreamName;
        invocations.push({
          requestId: report.requestId,
          functionName,
          durationMs: report.durationMs,
          billedDurationMs: report.billedDurationMs,
          memorySizeMb: report.memorySizeMb,
          maxMemoryUsedMb: report.maxMemoryUsedMb,
          ...(report.initDurationMs === undefined ? {} : { initDurationMs: report.initDurationMs }),
          ...(error === undefined ? {} : { error }),
          startMs: entry.startMs ?? event.timestamp,
          reportMs: event.timestamp,
          timedOut,
          errorLines: entry.errorLines,
          ...(logStreamName === undefined ? {} : { logStreamName }),
        });
        break;
      }
      case 'unknown':
        if (unknownSamples.length < UNKNOWN_SAMPLE_LIMIT) {
          const text = event.message.trim().slice(0, 200);
          unknownSamples.push(line.problem === undefined ? text : `${text} (${line.problem})`);
        }
        break;
      default:
        break;
    }
  }
  const incompleteRequestIds = [...pending.entries()]
    .filter(([, entry]) => entry.startMs !== undefined)
    .map(([requestId]) => requestId);
  invocations.sort((a, b) => a.startMs - b.startMs);
  return { invocations, incompleteRequestIds, lineCounts, unknownSamples };
}
