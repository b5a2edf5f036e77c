import type { EmulatorState, FunctionState, ManagedInstance } from './emulator-state.js';
import { startInProcessInstance } from './in-process-instance.js';
import type { StartedInstance } from './instance.js';
import { instanceEnvironment } from './instance-environment.js';
import { INIT_PHASE_LIMIT_MS } from './limits.js';
import { logGroupName, newLogStreamName } from './log-format.js';
import { startProcessInstance } from './process-instance.js';

/** A cold-started instance, now live and busy, and how its init phase went. */
export interface ColdStart {
  readonly managed: ManagedInstance;
  readonly started: StartedInstance;
}

/**
 * Takes a warm instance of the function, if one is idle, and points its log capture at
 * `capture`.
 */
export function takeIdleInstance(
  state: FunctionState,
  capture: string[],
): ManagedInstance | undefined {
  const managed = state.idle.pop();
  if (managed) {
    clearTimeout(managed.idleTimer);
    managed.capture = capture;
  }
  return managed;
}

/**
 * Starts a new instance of the function (a child process for a zip, this thread for in-process
 * code) on a new log stream; its init lines land in `capture`.
 */
export async function startInstance(
  emulator: EmulatorState,
  state: FunctionState,
  capture: string[],
): Promise<ColdStart> {
  const { logs, options } = emulator;
  const group = logGroupName(state.name);
  const stream = newLogStreamName(Date.now());
  logs.createStream(group, stream);
  let managedRef: ManagedInstance | undefined;
  const earlyLines: string[] = capture;
  const onLog = (timestampMs: number, message: string) => {
    logs.append(group, stream, timestampMs, message);
    (managedRef ? managedRef.capture : earlyLines)?.push(message);
  };
  const { code } = state;
  const started =
    code.kind === 'zip' && code.unpacked
      ? await startProcessInstance({
          bootstrapPath: emulator.bootstrapPath,
          isolation: options.isolation,
          directory: code.unpacked.directory,
          handler: state.settings.handler,
          environment: instanceEnvironment(state, options.region, stream, code.unpacked.directory),
          memoryMb: state.settings.memoryMb,
          logStreamName: stream,
          initTimeoutMs: Math.max(INIT_PHASE_LIMIT_MS, state.settings.timeoutSeconds * 1000),
          onLog,
        })
      : await startInProcessInstance(code.inProcess!, stream, onLog);
  const managed: ManagedInstance = {
    instance: started.instance,
    revision: state.revision,
    capture,
  };
  managedRef = managed;
  state.live.add(managed);
  return { managed, started };
}

/**
 * Hands an instance back after an invocation: it stays warm for `warmSeconds` when it is alive
 * and still runs the function's current revision; otherwise it is killed.
 */
export function releaseInstance(
  emulator: EmulatorState,
  state: FunctionState,
  managed: ManagedInstance,
): void {
  managed.capture = undefined;
  const reusable =
    managed.instance.alive &&
    !emulator.disposed &&
    !state.deleted &&
    emulator.functions.get(state.name) === state &&
    managed.revision === state.revision;
  if (!reusable) {
    managed.instance.kill();
    state.live.delete(managed);
    return;
  }
  managed.idleTimer = setTimeout(() => {
    const index = state.idle.indexOf(managed);
    if (index >= 0) state.idle.splice(index, 1);
    state.live.delete(managed);
    managed.instance.kill();
  }, emulator.options.warmSeconds * 1000);
  managed.idleTimer.unref();
  state.idle.push(managed);
}

/** Kills the function's idle instances (after a change, a delete, or on dispose). */
export function retireIdleInstances(state: FunctionState): void {
  for (const managed of state.idle.splice(0)) {
    clearTimeout(managed.idleTimer);
    managed.instance.kill();
    state.live.delete(managed);
  }
}

/** Kills every instance of the function, idle or busy. */
export function killAllInstances(state: FunctionState): void {
  retireIdleInstances(state);
  for (const managed of state.live) managed.instance.kill();
  state.live.clear();
}
