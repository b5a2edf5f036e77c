import type { InvocationRecord } from '@mbs/core';
import { billedMilliseconds } from '@mbs/core';
import type { InvocationEnding } from './invocation-ending.js';
import { reportLine } from './log-format.js';

/** The figures of one finished invocation, for its REPORT line and record. */
export interface InvocationFigures {
  readonly requestId: string;
  readonly functionName: string;
  readonly ending: InvocationEnding;
  /** Set on a cold start. */
  readonly initDurationMs: number | undefined;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
  /** Whether the init phase is billed (see the `billInitPhase` option). */
  readonly billInitPhase: boolean;
}

function roundToHundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Writes the invocation's REPORT line through `log` and returns its record, durations rounded
 * to hundredths (the REPORT line's precision).
 */
export function reportInvocation(
  figures: InvocationFigures,
  log: (message: string) => void,
): InvocationRecord {
  const { requestId, ending, initDurationMs, memorySizeMb, maxMemoryUsedMb } = figures;
  const { durationMs, error, status } = ending;
  const billedDurationMs = billedMilliseconds(
    durationMs + (figures.billInitPhase && initDurationMs !== undefined ? initDurationMs : 0),
  );
  const record: InvocationRecord = {
    requestId,
    functionName: figures.functionName,
    durationMs: roundToHundredths(durationMs),
    billedDurationMs,
    ...(initDurationMs === undefined ? {} : { initDurationMs: roundToHundredths(initDurationMs) }),
    memorySizeMb,
    maxMemoryUsedMb,
    ...(error === undefined
      ? {}
      : { error: { type: error.errorType, message: error.errorMessage } }),
  };
  log(
    reportLine({
      requestId,
      durationMs,
      billedDurationMs,
      memorySizeMb,
      maxMemoryUsedMb,
      ...(initDurationMs === undefined ? {} : { initDurationMs }),
      ...(status === undefined ? {} : { status }),
    }),
  );
  return record;
}
