import { performance } from 'node:perf_hooks';
import type { InvocationRecord } from '@mbs/core';
import { cpuScale, excludesHostWait } from './cpu-scaling.js';
import type {
  EmulatorState,
  FunctionState,
  InvocationRequest,
  ManagedInstance,
} from './emulator-state.js';
import { INJECTED_ERROR } from './fault-injection.js';
import { type InstanceOutcome, invokeErrorMessage, type LambdaErrorPayload } from './instance.js';
import { acquireInstance, releaseInstance } from './instance-pool.js';
import { endingOf, type InvocationEnding } from './invocation-ending.js';
import { reportInvocation } from './invocation-report.js';
import { applicationLine, endLine, logGroupName, startLine } from './log-format.js';
import { InvocationLogTail } from './log-tail.js';

/** What one invocation answers, before Invoke puts it in wire terms. */
export interface RunResult {
  readonly payload: Uint8Array;
  readonly functionError?: 'Unhandled';
  /** Every log line of the invocation, for the log tail. */
  readonly tail: string;
  readonly record: InvocationRecord;
}

type LogLine = (message: string, timestampMs?: number) => void;

const encoder = new TextEncoder();

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** The lines Lambda writes when a function's init phase throws. */
function logInitError(log: LogLine, initError: LambdaErrorPayload, initDurationMs = 0): void {
  const now = Date.now();
  log(
    applicationLine(
      now,
      'undefined',
      'ERROR',
      `Uncaught Exception \t${JSON.stringify({
        errorType: initError.errorType,
        errorMessage: initError.errorMessage,
        stack: initError.trace ?? [],
      })}`,
    ),
    now,
  );
  log(
    `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${initError.errorType}\n`,
  );
}

function responseBody(ending: InvocationEnding): string {
  const { error } = ending;
  return error === undefined
    ? (ending.payload ?? 'null')
    : JSON.stringify({
        errorType: error.errorType,
        errorMessage: error.errorMessage,
        ...(error.trace === undefined ? {} : { trace: error.trace }),
      });
}

/** How many instances an invocation may be handed when each dies before starting it. */
const MAXIMUM_PLACEMENTS = 3;

/** An invocation run on an instance, up to its outcome. */
interface Placement {
  readonly managed: ManagedInstance;
  readonly initDurationMs: number | undefined;
  readonly initError: LambdaErrorPayload | undefined;
  readonly outcome: InstanceOutcome;
  /** `performance.now()` when the invocation was handed to the instance. */
  readonly startedAt: number;
  readonly log: LogLine;
  /** The end of the invocation's log on this instance. */
  readonly tail: InvocationLogTail;
}

/**
 * Hands the invocation to an instance (warm, or a cold start) and waits for its outcome. An
 * instance that dies before it starts the invocation (a runtime that crashed while idle, e.g.
 * from a timer its last invocation left behind) does not fail it: Lambda's runtimes pull their
 * work, so a dead one is never given any. The invocation moves to another instance instead.
 */
async function place(
  emulator: EmulatorState,
  state: FunctionState,
  { payloadText, requestId, clientContext }: InvocationRequest,
): Promise<Placement> {
  const { logs, options, faults } = emulator;
  const settings = state.settings;
  const scale = cpuScale(settings.memoryMb, options.cpuScaling);
  const timeoutMs = settings.timeoutSeconds * 1000;
  const group = logGroupName(state.name);
  for (let placement = 1; ; placement++) {
    const tail = new InvocationLogTail();
    const { managed, started } = await acquireInstance(emulator, state, tail);
    const initDurationMs = started?.initDurationMs;
    const initError = started?.initError;
    const stream = managed.instance.logStreamName;
    const log: LogLine = (message, timestampMs = Date.now()) => {
      logs.append(group, stream, timestampMs, message);
      tail.push(message);
    };
    const placed = { managed, initDurationMs, initError, log, tail };
    if (initError) {
      logInitError(log, initError, initDurationMs);
      log(startLine(requestId));
      const outcome: InstanceOutcome = {
        kind: 'error',
        handlerMs: 0,
        error: initError,
        maxMemoryUsedMb: 1,
      };
      return { ...placed, outcome, startedAt: performance.now() };
    }
    if (faults.crashes()) {
      log(startLine(requestId));
      managed.instance.kill();
      const outcome: InstanceOutcome = {
        kind: 'exit',
        reason: 'signal: killed',
        maxMemoryUsedMb: 1,
      };
      return { ...placed, outcome, startedAt: performance.now() };
    }
    let startLogged = false;
    const logStart = () => {
      if (startLogged) return;
      startLogged = true;
      log(startLine(requestId));
    };
    const startedAt = performance.now();
    const outcome = await managed.instance.invoke(
      {
        requestId,
        payloadText,
        timeoutMs,
        scale,
        excludeHostWait: excludesHostWait(options.cpuScaling),
        context: {
          functionName: state.name,
          functionVersion: '$LATEST',
          invokedFunctionArn: state.arn,
          memoryLimitInMB: String(settings.memoryMb),
          logGroupName: group,
          logStreamName: stream,
          ...(clientContext === undefined ? {} : { clientContext }),
        },
      },
      timeoutMs / scale,
      logStart,
    );
    if (outcome.kind === 'exit' && outcome.unstarted && placement < MAXIMUM_PLACEMENTS) {
      releaseInstance(emulator, managed);
      continue;
    }
    logStart();
    return { ...placed, outcome, startedAt };
  }
}

/**
 * Runs one admitted invocation to its end: a warm instance or a cold start, the START, END and
 * REPORT lines, timeouts and injected faults, then the instance back to the pool. The caller
 * counts the invocation in flight.
 */
export async function runInvocation(
  emulator: EmulatorState,
  state: FunctionState,
  request: InvocationRequest,
): Promise<RunResult> {
  const { options, faults } = emulator;
  const { requestId } = request;
  const settings = state.settings;
  const scale = cpuScale(settings.memoryMb, options.cpuScaling);
  const { managed, initDurationMs, initError, outcome, startedAt, log, tail } = await place(
    emulator,
    state,
    request,
  );
  let ending = endingOf(outcome, {
    requestId,
    instance: managed.instance,
    scale,
    timeoutSeconds: settings.timeoutSeconds,
    startedAt,
    initFailed: initError !== undefined,
    log,
  });
  if (ending.error === undefined && faults.failsFunction()) {
    ending = { durationMs: ending.durationMs, error: INJECTED_ERROR };
    const now = Date.now();
    log(applicationLine(now, requestId, 'ERROR', invokeErrorMessage(INJECTED_ERROR)), now);
  }
  // The instance stays busy for the emulated duration, so callers see Lambda's timing.
  const remainingMs = ending.durationMs - (performance.now() - startedAt);
  if (remainingMs > 1) await sleep(remainingMs);
  log(endLine(requestId));
  const record = reportInvocation(
    {
      requestId,
      functionName: state.name,
      ending,
      initDurationMs,
      memorySizeMb: settings.memoryMb,
      maxMemoryUsedMb: outcome.maxMemoryUsedMb,
      billInitPhase: options.billInitPhase,
    },
    log,
  );
  releaseInstance(emulator, managed);
  const extraLatencyMs = faults.extraLatencyMs();
  if (extraLatencyMs > 0) await sleep(extraLatencyMs);
  return {
    payload: encoder.encode(responseBody(ending)),
    ...(ending.error === undefined ? {} : { functionError: 'Unhandled' as const }),
    tail: tail.text(),
    record,
  };
}
