import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorErrors } from './emulator-errors.js';
import { createFaultInjector, type FaultInjector } from './fault-injection.js';
import type { StoredCode } from './function-code.js';
import { functionArn, parseFunctionReference } from './function-name.js';
import type { FunctionSettings } from './function-settings.js';
import type { FunctionInstance } from './instance.js';
import { INSTANCE_BOOTSTRAP_SOURCE } from './instance-bootstrap.js';
import { type InstanceReaper, REAPER_SOURCE, startInstanceReaper } from './instance-reaper.js';
import { functionNotFound } from './lambda-errors.js';
import { LogStore } from './log-store.js';
import {
  type EmulatorOptions,
  type ResolvedEmulatorOptions,
  resolveEmulatorOptions,
} from './options.js';
import { makeTemporaryDirectory } from './temporary-directory.js';

/** An instance the emulator runs for a function, warm (idle) or busy. */
export interface ManagedInstance {
  readonly instance: FunctionInstance;
  /** The function it runs (its state object: a deleted and re-created function is another). */
  readonly owner: FunctionState;
  /** The function's revision the instance was started for; older ones are not reused. */
  readonly revision: number;
  /** Lines of the invocation running now (for the log tail), if any. */
  capture: LogTail | undefined;
  idleTimer?: NodeJS.Timeout;
}

/** The end of an invocation's log, kept for `LogType: Tail`. */
export interface LogTail {
  push(line: string): void;
}

/** An invocation waiting for an instance: whose it is, and how to wake it. */
export interface WaitingInvocation {
  readonly owner: FunctionState;
  readonly wake: () => void;
  /** When it began to wait (Date.now()). */
  readonly sinceMs: number;
}

/**
 * The machine's share of instances: process and thread instances count against
 * `maxInstances`; invocations that need a new instance beyond it wait here, first come first
 * served, except that an instance coming free serves its own function's waiting invocation
 * first, and is shut down for another function's only when that one has no instance or has
 * waited a while (see instance-pool). In-process instances run in the caller's thread and do
 * not count.
 */
export interface InstanceSlots {
  readonly limit: number;
  /** Process and thread instances started and not yet gone. */
  live: number;
  /** Invocations waiting for an instance, in arrival order. */
  readonly waiting: WaitingInvocation[];
  /** When the longest-waiting invocation may take an idle instance of another function. */
  recheck?: NodeJS.Timeout | undefined;
}

/** One function: its configuration, code, concurrency and instances. */
export interface FunctionState {
  readonly name: string;
  readonly arn: string;
  settings: FunctionSettings;
  code: StoredCode;
  /** Bumped on every code or configuration change. */
  revision: number;
  revisionId: string;
  lastModified: string;
  reservedConcurrency: number | undefined;
  /** Invocations admitted and not yet finished. */
  inflight: number;
  deleted: boolean;
  readonly idle: ManagedInstance[];
  readonly live: Set<ManagedInstance>;
  /** Process or thread instances of the function being started (not yet in `live`). */
  starting: number;
}

/** One invocation's request, once Invoke has checked it. */
export interface InvocationRequest {
  /** The event as JSON text. */
  readonly payloadText: string;
  readonly requestId: string;
  /** Decoded client context, handed to the handler as `context.clientContext`. */
  readonly clientContext: unknown;
}

/** An asynchronous (Event) invocation waiting for concurrency. */
export interface QueuedEvent extends InvocationRequest {
  readonly functionName: string;
}

/** What the emulator's operations share: options, files, logs, functions and queued events. */
export interface EmulatorState {
  readonly options: ResolvedEmulatorOptions;
  /** The temporary directory holding unzipped code and the instance bootstrap. */
  readonly root: string;
  readonly bootstrapPath: string;
  readonly reaperPath: string;
  /** Started with the first instance process (see instance-reaper). */
  reaper: InstanceReaper | undefined;
  readonly slots: InstanceSlots;
  /** Idle instances of every function, least recently used first (evicted first when full). */
  readonly idle: Set<ManagedInstance>;
  /** Numbers the instances' sandbox directories. */
  instanceSequence: number;
  /** CloudWatch Logs of every function. */
  readonly logs: LogStore;
  readonly functions: Map<string, FunctionState>;
  readonly queuedEvents: QueuedEvent[];
  readonly faults: FaultInjector;
  disposed: boolean;
}

/** The emulator's reaper, started on first use. */
export function instanceReaper(emulator: EmulatorState): InstanceReaper {
  emulator.reaper ??= startInstanceReaper(emulator.reaperPath, emulator.root);
  return emulator.reaper;
}

/** Resolves the options and creates the emulator's temporary directory, logs and fault draws. */
export function createEmulatorState(options: EmulatorOptions): EmulatorState {
  const resolved = resolveEmulatorOptions(options);
  const root = makeTemporaryDirectory(resolved.workDirectory ?? tmpdir());
  const bootstrapPath = join(root, 'bootstrap.mjs');
  writeFileSync(bootstrapPath, INSTANCE_BOOTSTRAP_SOURCE);
  const reaperPath = join(root, 'reaper.mjs');
  writeFileSync(reaperPath, REAPER_SOURCE);
  return {
    options: resolved,
    root,
    bootstrapPath,
    reaperPath,
    reaper: undefined,
    slots: { limit: resolved.maxInstances, live: 0, waiting: [] },
    idle: new Set(),
    instanceSequence: 0,
    logs: new LogStore(resolved.region, resolved.accountId, resolved.logRetention),
    functions: new Map(),
    queuedEvents: [],
    faults: createFaultInjector(resolved.faults),
    disposed: false,
  };
}

/** Throws `CLOSED` once the emulator was disposed. */
export function assertOpen(emulator: EmulatorState): void {
  if (emulator.disposed) {
    throw emulatorErrors.error('CLOSED', 'the emulator was disposed; create a new one');
  }
}

/**
 * Finds a function by name, ARN or partial ARN; throws Lambda's 404 when it does not exist or
 * the qualifier is not `$LATEST` (the only version the emulator has).
 */
export function lookupFunction(
  emulator: EmulatorState,
  reference: string,
  qualifier?: string,
): FunctionState {
  assertOpen(emulator);
  const parsed = parseFunctionReference(reference);
  const effectiveQualifier = qualifier ?? parsed.qualifier;
  const state = emulator.functions.get(parsed.name);
  if (!state || (effectiveQualifier !== undefined && effectiveQualifier !== '$LATEST')) {
    const { region, accountId } = emulator.options;
    throw functionNotFound(functionArn(region, accountId, parsed.name, effectiveQualifier));
  }
  return state;
}
