import { type ChildProcess, fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import {
  bytesToMegabytes,
  type FunctionInstance,
  type InstanceInvocation,
  type InstanceLogSink,
  type InstanceOutcome,
  type StartedInstance,
} from './instance.js';
import { parseInstanceMessage } from './instance-messages.js';
import { MAXIMUM_LOG_EVENT_BYTES } from './limits.js';
import { applicationLine } from './log-format.js';

/** Where instances run: one child process each (default), or one worker thread each. */
export type InstanceIsolation = 'process' | 'thread';

/** What a code instance is started with. */
export interface ProcessInstanceOptions {
  /** Path of the written bootstrap program (see INSTANCE_BOOTSTRAP_SOURCE). */
  readonly bootstrapPath: string;
  readonly isolation: InstanceIsolation;
  /** Task root: the unzipped deployment package. */
  readonly directory: string;
  /** Handler setting, e.g. `index.handler`. */
  readonly handler: string;
  /** The process environment (Lambda's variables plus the function's). */
  readonly environment: Readonly<Record<string, string>>;
  readonly memoryMb: number;
  readonly logStreamName: string;
  /** Real milliseconds the init phase may take. */
  readonly initTimeoutMs: number;
  readonly onLog: InstanceLogSink;
  /** Called with a child process's id once it is spawned (not for threads). */
  readonly onSpawn?: (pid: number) => void;
  /** Called once when the instance no longer runs: it exited, was killed, or never started. */
  readonly onGone?: () => void;
}

/** The two transports behind one shape: a child process or a worker thread. */
interface Channel {
  /** Sends a message; a failed send (the instance died meanwhile) ends the instance. */
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, when the instance has gone (exit, or a spawn that failed). */
  onExit(listener: (reason: string) => void): void;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  kill(): void;
  /** Whether the channel keeps the emulator's process alive (only while it has work). */
  setKeepsProcessAlive(keep: boolean): void;
}

const SIGNAL_WORDS: Readonly<Record<string, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
};

/**
 * On POSIX an instance leads its own process group, so killing it also kills whatever it
 * spawned, and a terminal's Ctrl-C reaches the emulator (which then ends its instances) rather
 * than every instance at once.
 */
const OWN_PROCESS_GROUP = process.platform !== 'win32';

/** Calls `listener` once, with the first reason given. */
function exitOnce(): {
  listen(listener: (reason: string) => void): void;
  exit(reason: string): void;
} {
  let listener: ((reason: string) => void) | undefined;
  let reason: string | undefined;
  return {
    listen(next) {
      listener = next;
      if (reason !== undefined) next(reason);
    },
    exit(next) {
      if (reason !== undefined) return;
      reason = next;
      listener?.(next);
    },
  };
}

function childChannel(options: ProcessInstanceOptions): Channel {
  // Lambda's Node.js runtime caps the V8 heap below the memory size; the emulator does the same
  // so that a function that outgrows its memory fails here too.
  const heapMb = Math.max(64, Math.floor(options.memoryMb * 0.9));
  const gone = exitOnce();
  const child: ChildProcess = fork(options.bootstrapPath, [], {
    cwd: options.directory,
    env: { ...options.environment },
    execArgv: [`--max-old-space-size=${heapMb}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
    detached: OWN_PROCESS_GROUP,
  });
  // Every error of a child is handled here: a send to a child that just died (EPIPE), a failed
  // kill, or a spawn that failed (no pid, and then maybe no 'exit' event).
  child.on('error', (error) => {
    if (child.pid === undefined) gone.exit(`spawn failed: ${error.message}`);
  });
  child.stdout?.on('error', () => {});
  child.stderr?.on('error', () => {});
  child.on('exit', (code, signal) => {
    const reason = signal
      ? `signal: ${SIGNAL_WORDS[signal] ?? signal}`
      : `exit status ${code ?? 0}`;
    // Messages the child sent just before it exited (an invocation's error, say) can still be
    // in the IPC pipe: the instance is gone once the channel has been read to its end.
    if (!child.connected) return gone.exit(reason);
    const backstop = setTimeout(() => gone.exit(reason), 1000);
    child.once('disconnect', () => {
      clearTimeout(backstop);
      gone.exit(reason);
    });
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      if (OWN_PROCESS_GROUP && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  };
  const handles = () =>
    [child, child.channel, child.stdout, child.stderr] as (
      | { ref?(): void; unref?(): void }
      | null
      | undefined
    )[];
  return {
    send: (message) => {
      if (!child.connected) return kill();
      child.send(message as object, (error) => {
        if (error) kill();
      });
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => gone.listen(listener),
    stdout: child.stdout,
    stderr: child.stderr,
    kill,
    setKeepsProcessAlive: (keep) => {
      for (const handle of handles()) {
        if (keep) handle?.ref?.();
        else handle?.unref?.();
      }
    },
  };
}

function threadChannel(options: ProcessInstanceOptions): Channel {
  const gone = exitOnce();
  const worker = new Worker(options.bootstrapPath, {
    env: { ...options.environment },
    execArgv: [],
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: Math.max(64, Math.floor(options.memoryMb * 0.9)) },
  });
  let error: Error | undefined;
  worker.on('error', (caught) => {
    error = caught;
  });
  worker.on('exit', (code) =>
    gone.exit(
      error ? `exit status ${code} (${error.name}: ${error.message})` : `exit status ${code}`,
    ),
  );
  return {
    send: (message) => {
      try {
        worker.postMessage(message);
      } catch {
        void worker.terminate();
      }
    },
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => gone.listen(listener),
    stdout: worker.stdout,
    stderr: worker.stderr,
    kill: () => {
      void worker.terminate();
    },
    setKeepsProcessAlive: (keep) => (keep ? worker.ref() : worker.unref()),
  };
}

/** A channel that never started (the spawn threw): it reports its exit at once. */
function failedChannel(error: unknown): Channel {
  const reason = `spawn failed: ${(error as Error)?.message ?? String(error)}`;
  return {
    send: () => {},
    onMessage: () => {},
    onExit: (listener) => queueMicrotask(() => listener(reason)),
    stdout: null,
    stderr: null,
    kill: () => {},
    setKeepsProcessAlive: () => {},
  };
}

function openChannel(options: ProcessInstanceOptions): Channel {
  try {
    return options.isolation === 'thread' ? threadChannel(options) : childChannel(options);
  } catch (error) {
    return failedChannel(error);
  }
}

/**
 * Forwards a raw output stream line by line; a line longer than one log event is cut into
 * events, so output with no newline cannot grow the buffer without bound.
 */
function forwardRawOutput(stream: Readable | null, onLog: InstanceLogSink): void {
  stream?.setEncoding('utf8');
  let pending = '';
  stream?.on('data', (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      onLog(Date.now(), pending.slice(0, newline + 1));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    // Characters, not bytes: a cut at most this long is within the event limit once truncated.
    while (pending.length > MAXIMUM_LOG_EVENT_BYTES) {
      onLog(Date.now(), `${pending.slice(0, MAXIMUM_LOG_EVENT_BYTES)}\n`);
      pending = pending.slice(MAXIMUM_LOG_EVENT_BYTES);
    }
  });
  stream?.on('end', () => {
    if (pending) onLog(Date.now(), `${pending}\n`);
  });
}

/**
 * Starts an instance running the function's code in a child process (or worker thread), and
 * measures its init: from spawning to the handler module loaded (runtime start-up plus the
 * module's import-time work). Every way an instance can fail (a spawn that fails, a child that
 * dies between invocations or during one, a send to a dead child) ends as an `exit` outcome or
 * an init error, never as an error thrown in the emulator.
 */
export function startProcessInstance(options: ProcessInstanceOptions): Promise<StartedInstance> {
  const spawnedAt = performance.now();
  const channel = openChannel(options);
  forwardRawOutput(channel.stdout, options.onLog);
  forwardRawOutput(channel.stderr, options.onLog);
  let alive = true;
  let maxMemoryUsedMb = 0;
  let pending:
    | {
        requestId: string;
        resolve: (outcome: InstanceOutcome) => void;
        timer: NodeJS.Timeout;
        onStart: () => void;
        started: boolean;
      }
    | undefined;
  let initDone: ((started: StartedInstance) => void) | undefined;

  const settle = (outcome: InstanceOutcome) => {
    const current = pending;
    if (!current) return;
    pending = undefined;
    clearTimeout(current.timer);
    channel.setKeepsProcessAlive(false);
    current.resolve(outcome);
  };

  const instance: FunctionInstance = {
    logStreamName: options.logStreamName,
    get alive() {
      return alive;
    },
    invoke(invocation: InstanceInvocation, realTimeoutMs: number, onStart: () => void) {
      if (!alive) {
        return Promise.resolve({
          kind: 'exit',
          reason: 'instance was shut down',
          maxMemoryUsedMb,
          unstarted: true,
        });
      }
      channel.setKeepsProcessAlive(true);
      return new Promise<InstanceOutcome>((resolve) => {
        const timer = setTimeout(() => {
          settle({ kind: 'timeout', maxMemoryUsedMb });
          instance.kill();
        }, realTimeoutMs);
        pending = { requestId: invocation.requestId, resolve, timer, onStart, started: false };
        channel.send({
          type: 'invoke',
          requestId: invocation.requestId,
          payload: invocation.payloadText,
          timeoutMs: invocation.timeoutMs,
          scale: invocation.scale,
          excludeHostWait: invocation.excludeHostWait,
          context: invocation.context,
        });
      });
    },
    kill() {
      if (!alive) return;
      alive = false;
      // An idle instance does not keep this process alive; one being shut down must, until it is
      // gone: an invocation may be waiting for its slot (nothing else is pending then).
      channel.setKeepsProcessAlive(true);
      channel.kill();
    },
  };

  const finishInit = (started: Omit<StartedInstance, 'instance'>) => {
    const done = initDone;
    initDone = undefined;
    clearTimeout(initTimer);
    if (started.initError === undefined) channel.setKeepsProcessAlive(false);
    done?.({ instance, ...started });
  };

  channel.onMessage((raw) => {
    const message = parseInstanceMessage(raw);
    switch (message?.type) {
      case 'started':
        channel.send({ type: 'init', directory: options.directory, handler: options.handler });
        break;
      case 'ready':
        maxMemoryUsedMb = bytesToMegabytes(message.maxMemoryBytes);
        finishInit({ initDurationMs: performance.now() - spawnedAt });
        break;
      case 'init-error':
        finishInit({ initDurationMs: performance.now() - spawnedAt, initError: message.error });
        instance.kill();
        break;
      case 'invoked':
        if (pending?.requestId !== message.requestId || pending.started) break;
        pending.started = true;
        pending.onStart();
        break;
      case 'exiting':
        // The runtime is going down (an uncaught error while idle): no invocation may land on it.
        alive = false;
        break;
      case 'log':
        options.onLog(
          message.timestamp,
          applicationLine(message.timestamp, message.requestId, message.level, message.message),
        );
        break;
      case 'result':
        if (pending?.requestId !== message.requestId) break;
        maxMemoryUsedMb = bytesToMegabytes(message.maxMemoryBytes);
        settle(
          message.error !== undefined
            ? { kind: 'error', handlerMs: message.handlerMs, error: message.error, maxMemoryUsedMb }
            : {
                kind: 'result',
                handlerMs: message.handlerMs,
                payload: message.payload ?? 'null',
                maxMemoryUsedMb,
              },
        );
        break;
      default:
        // Not a bootstrap message (the function's own process.send, or a malformed one).
        break;
    }
  });
  channel.onExit((reason) => {
    alive = false;
    finishInit({
      initDurationMs: performance.now() - spawnedAt,
      initError: {
        errorType: 'Runtime.ExitError',
        errorMessage: `Runtime exited with error: ${reason}`,
      },
    });
    settle({
      kind: 'exit',
      reason,
      maxMemoryUsedMb,
      ...(pending?.started === false ? { unstarted: true as const } : {}),
    });
    options.onGone?.();
  });
  const initTimer = setTimeout(() => {
    finishInit({
      initDurationMs: performance.now() - spawnedAt,
      initError: {
        errorType: 'Sandbox.Timedout',
        errorMessage: `INIT phase timed out after ${(options.initTimeoutMs / 1000).toFixed(2)} seconds`,
      },
    });
    instance.kill();
  }, options.initTimeoutMs);
  channel.setKeepsProcessAlive(true);
  return new Promise((resolve) => {
    initDone = resolve;
  });
}
