import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  assertOpen,
  type EmulatorState,
  type FunctionState,
  instanceReaper,
  type LogTail,
  type ManagedInstance,
  type WaitingInvocation,
} from './emulator-state.js';
import { startInProcessInstance } from './in-process-instance.js';
import type { StartedInstance } from './instance.js';
import { instanceEnvironment } from './instance-environment.js';
import { INIT_PHASE_LIMIT_MS } from './limits.js';
import { logGroupName, newLogStreamName } from './log-format.js';
import { startProcessInstance } from './process-instance.js';

/** An instance for one invocation, now busy: a warm one, or a new one and how its init went. */
export interface AcquiredInstance {
  readonly managed: ManagedInstance;
  /** Set on a cold start. */
  readonly started?: StartedInstance;
}

function forgetIdle(emulator: EmulatorState, managed: ManagedInstance): void {
  clearTimeout(managed.idleTimer);
  emulator.idle.delete(managed);
  const index = managed.owner.idle.indexOf(managed);
  if (index >= 0) managed.owner.idle.splice(index, 1);
}

/** Shuts an instance down and drops it from its function's lists. */
function retire(emulator: EmulatorState, managed: ManagedInstance): void {
  forgetIdle(emulator, managed);
  managed.owner.live.delete(managed);
  managed.instance.kill();
}

/**
 * How long the longest-waiting invocation waits for an instance of its own function to come
 * free before an idle instance of another function is shut down to make room for it, when its
 * function has an instance at all (without one it does not wait for this). Shutting an instance
 * down for another function costs a cold start: doing it whenever the freed instance's function
 * had no invocation waiting made instances thrash under a steady load on two functions (with 10
 * callers on 8 slots, a cold start for 4 invocations in 10).
 */
const LONGEST_OWN_WAIT_MS = 1000;

/** Wakes the invocation that has waited longest for an instance, if any. */
function wakeNext(emulator: EmulatorState): void {
  emulator.slots.waiting.shift()?.wake();
}

/** Whether a function has an instance, running, idle or starting. */
function hasInstance(state: FunctionState): boolean {
  return state.live.size + state.starting > 0;
}

/**
 * Wakes an invocation for an instance of `owner` that just came free and idle. When an invocation
 * of `owner` waits, the first one takes it warm, unless the longest-waiting invocation (of
 * another function) has no instance of its own and has waited {@link LONGEST_OWN_WAIT_MS}: then
 * that one goes first (shutting the idle instance down to start one of its own). When none of
 * `owner` waits, the longest-waiting invocation goes if its function has no instance or it has
 * waited that long; otherwise it waits for its own function's instances, and is looked at again
 * when it has waited that long.
 */
function wakeForFreedInstance(emulator: EmulatorState, owner: FunctionState): void {
  const { slots } = emulator;
  const head = slots.waiting[0];
  if (head === undefined) return;
  const own = slots.waiting.findIndex((entry) => entry.owner === owner);
  const waitedMs = Date.now() - head.sinceMs;
  const waitedLong = waitedMs >= LONGEST_OWN_WAIT_MS;
  const headGoes =
    own === 0 ||
    (own > 0 ? !hasInstance(head.owner) && waitedLong : !hasInstance(head.owner) || waitedLong);
  if (headGoes) wakeNext(emulator);
  else if (own > 0) slots.waiting.splice(own, 1)[0]!.wake();
  else if (slots.recheck === undefined) {
    // Nothing else may come free in time: look again when the head has waited long enough.
    slots.recheck = setTimeout(() => {
      slots.recheck = undefined;
      const first = slots.waiting[0];
      if (first !== undefined && emulator.idle.size > 0) {
        if (Date.now() - first.sinceMs >= LONGEST_OWN_WAIT_MS) wakeNext(emulator);
        else wakeForFreedInstance(emulator, emulator.idle.values().next().value!.owner);
      }
    }, LONGEST_OWN_WAIT_MS - waitedMs);
  }
}

/**
 * Takes a slot for a new process or thread instance. When all are taken, the least recently
 * used idle instance (of any function) is shut down; its slot frees when it is gone, which wakes
 * the next waiting invocation.
 */
function reserveSlot(emulator: EmulatorState): boolean {
  const { slots } = emulator;
  if (slots.live < slots.limit) {
    slots.live += 1;
    return true;
  }
  const oldest = emulator.idle.values().next().value;
  if (oldest) retire(emulator, oldest);
  return false;
}

/**
 * Takes a warm instance of the function, if one is idle and alive, and points its log capture
 * at `capture`.
 */
function takeIdleInstance(
  emulator: EmulatorState,
  state: FunctionState,
  capture: LogTail,
): ManagedInstance | undefined {
  for (let managed = state.idle.at(-1); managed; managed = state.idle.at(-1)) {
    forgetIdle(emulator, managed);
    if (!managed.instance.alive) {
      retire(emulator, managed);
      continue;
    }
    managed.capture = capture;
    return managed;
  }
  return undefined;
}

/**
 * An instance for one invocation: a warm one if the function has one idle, else a new one. New
 * process or thread instances are bounded by `maxInstances`; beyond it the invocation waits,
 * first come first served (but a freed instance serves its own function first), until an
 * instance is free or gone. Throws `CLOSED` if the emulator is
 * disposed meanwhile.
 */
export async function acquireInstance(
  emulator: EmulatorState,
  state: FunctionState,
  capture: LogTail,
): Promise<AcquiredInstance> {
  const { slots } = emulator;
  let waited = false;
  // When it first began to wait: a wait goes on across wake-ups that found no instance.
  let sinceMs: number | undefined;
  for (;;) {
    assertOpen(emulator);
    const warm = takeIdleInstance(emulator, state, capture);
    if (warm) return { managed: warm };
    if (state.code.kind !== 'zip') return startInstance(emulator, state, capture, false);
    // A newcomer does not pass invocations already waiting.
    if ((waited || slots.waiting.length === 0) && reserveSlot(emulator)) {
      return startInstance(emulator, state, capture, true);
    }
    sinceMs ??= Date.now();
    await new Promise<void>((resolve) => {
      const entry: WaitingInvocation = { owner: state, wake: resolve, sinceMs: sinceMs! };
      if (waited) slots.waiting.unshift(entry);
      else slots.waiting.push(entry);
    });
    waited = true;
  }
}

/** Invocations waiting for an instance now. */
export function waitingInvocations(emulator: EmulatorState): number {
  return emulator.slots.waiting.length;
}

/**
 * Starts a new instance of the function (a child process or thread for a zip, this thread for
 * in-process code) on a new log stream, with its own sandbox directory as HOME and TMPDIR (as
 * Lambda's /tmp, gone with the instance); its init lines land in `capture`.
 */
async function startInstance(
  emulator: EmulatorState,
  state: FunctionState,
  capture: LogTail,
  holdsSlot: boolean,
): Promise<AcquiredInstance> {
  const { logs, options } = emulator;
  const group = logGroupName(state.name);
  const stream = newLogStreamName(Date.now());
  logs.createStream(group, stream);
  let managedRef: ManagedInstance | undefined;
  const onLog = (timestampMs: number, message: string) => {
    logs.append(group, stream, timestampMs, message);
    (managedRef ? managedRef.capture : capture)?.push(message);
  };
  const { code } = state;
  let started: StartedInstance;
  if (code.kind === 'zip' && code.unpacked) {
    emulator.instanceSequence += 1;
    const sandbox = join(emulator.root, 'sandbox', String(emulator.instanceSequence));
    try {
      mkdirSync(sandbox, { recursive: true });
    } catch (error) {
      // No instance will run: its slot goes to the next waiting invocation.
      if (holdsSlot) {
        emulator.slots.live -= 1;
        wakeNext(emulator);
      }
      throw error;
    }
    let pid: number | undefined;
    // Counted while it starts, so that the function is not seen as having no instance.
    state.starting += 1;
    try {
      started = await startProcessInstance({
        bootstrapPath: emulator.bootstrapPath,
        isolation: options.isolation,
        directory: code.unpacked.directory,
        handler: state.settings.handler,
        environment: instanceEnvironment(state, {
          region: options.region,
          logStreamName: stream,
          taskRoot: code.unpacked.directory,
          sandbox,
          ...(options.cpuScaling === false
            ? {}
            : { cores: Math.max(1, Math.round(options.cpuScaling.referenceVcpu)) }),
        }),
        memoryMb: state.settings.memoryMb,
        logStreamName: stream,
        initTimeoutMs: Math.max(INIT_PHASE_LIMIT_MS, state.settings.timeoutSeconds * 1000),
        onLog,
        onSpawn: (spawned) => {
          pid = spawned;
          instanceReaper(emulator).track(spawned);
        },
        onGone: () => {
          if (pid !== undefined) emulator.reaper?.untrack(pid);
          if (managedRef) retire(emulator, managedRef);
          void rm(sandbox, { recursive: true, force: true }).catch(() => {});
          if (holdsSlot) {
            emulator.slots.live -= 1;
            wakeNext(emulator);
          }
        },
      });
    } finally {
      state.starting -= 1;
    }
  } else {
    started = await startInProcessInstance(code.inProcess!, stream, onLog);
  }
  const managed: ManagedInstance = {
    instance: started.instance,
    owner: state,
    revision: state.revision,
    capture,
  };
  managedRef = managed;
  // Listed even if it died during init: the invocation releases it, which retires it.
  state.live.add(managed);
  return { managed, started };
}

/**
 * Hands an instance back after an invocation: it stays warm for `warmSeconds` when it is alive
 * and still runs the function's current revision; otherwise it is shut down.
 */
export function releaseInstance(emulator: EmulatorState, managed: ManagedInstance): void {
  const state = managed.owner;
  managed.capture = undefined;
  const reusable =
    managed.instance.alive &&
    !emulator.disposed &&
    !state.deleted &&
    emulator.functions.get(state.name) === state &&
    managed.revision === state.revision;
  if (!reusable) {
    retire(emulator, managed);
    // In-process instances hold no slot; their end must still let a waiting invocation retry.
    wakeNext(emulator);
    return;
  }
  managed.idleTimer = setTimeout(
    () => retire(emulator, managed),
    emulator.options.warmSeconds * 1000,
  );
  managed.idleTimer.unref();
  state.idle.push(managed);
  emulator.idle.add(managed);
  // An idle instance serves a waiting invocation of its function, or makes room for another.
  wakeForFreedInstance(emulator, state);
}

/** Shuts the function's idle instances down (after a change, a delete, or on dispose). */
export function retireIdleInstances(emulator: EmulatorState, state: FunctionState): void {
  for (const managed of [...state.idle]) retire(emulator, managed);
}

/** Shuts every instance of the function down, idle or busy. */
export function killAllInstances(emulator: EmulatorState, state: FunctionState): void {
  retireIdleInstances(emulator, state);
  for (const managed of [...state.live]) retire(emulator, managed);
}

/** Wakes every waiting invocation so that it fails with `CLOSED` (on dispose). */
export function releaseWaiting(emulator: EmulatorState): void {
  clearTimeout(emulator.slots.recheck);
  emulator.slots.recheck = undefined;
  for (const entry of emulator.slots.waiting.splice(0)) entry.wake();
}
