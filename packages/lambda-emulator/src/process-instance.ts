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
  type LambdaErrorPayload,
  type StartedInstance,
} from './instance.js';
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
}

type InstanceMessage =
  | { type: 'started' }
  | { type: 'ready'; maxMemoryBytes: number }
  | { type: 'init-error'; error: LambdaErrorPayload }
  | { type: 'log'; timestamp: number; requestId: string; level: string; message: string }
  | {
      type: 'result';
      requestId: string;
      handlerMs: number;
      maxMemoryBytes: number;
      payload?: string;
      error?: LambdaErrorPayload;
    };

/** The two transports behind one shape: a child process or a worker thread. */
interface Channel {
  send(message: unknown): void;
  onMessage(listener: (message: InstanceMessage) => void): void;
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

function childChannel(options: ProcessInstanceOptions): Channel {
  // Lambda's Node.js runtime caps the V8 heap below the memory size; the emulator does the same
  // so that a function that outgrows its memory fails here too.
  const heapMb = Math.max(64, Math.floor(options.memoryMb * 0.9));
  const child: ChildProcess = fork(options.bootstrapPath, [], {
    cwd: options.directory,
    env: { ...options.environment },
    execArgv: [`--max-old-space-size=${heapMb}`],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const handles = () =>
    [child, child.channel, child.stdout, child.stderr] as (
      | { ref?(): void; unref?(): void }
      | null
      | undefined
    )[];
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener as (message: unknown) => void),
    onExit: (listener) =>
      child.on('exit', (code, signal) =>
        listener(signal ? `signal: ${SIGNAL_WORDS[signal] ?? signal}` : `exit status ${code ?? 0}`),
      ),
    stdout: child.stdout,
    stderr: child.stderr,
    kill: () => {
      child.kill('SIGKILL');
    },
    setKeepsProcessAlive: (keep) => {
      for (const handle of handles()) {
        if (keep) handle?.ref?.();
        else handle?.unref?.();
      }
    },
  };
}

function threadChannel(options: ProcessInstanceOptions): Channel {
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
  return {
    send: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) =>
      worker.on('exit', (code) =>
        listener(
          error ? `exit status ${code} (${error.name}: ${error.message})` : `exit status ${code}`,
        ),
      ),
    stdout: worker.stdout,
    stderr: worker.stderr,
    kill: () => {
      void worker.terminate();
    },
    setKeepsProcessAlive: (keep) => (keep ? worker.ref() : worker.unref()),
  };
}

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
  });
  stream?.on('end', () => {
    if (pending) onLog(Date.now(), `${pending}\n`);
  });
}

/**
 * Starts an instance running the function's code in a child process (or worker thread), and
 * measures its init: from spawning to the handler module loaded (runtime start-up plus the
 * module's import-time work).
 */
export function startProcessInstance(options: ProcessInstanceOptions): Promise<StartedInstance> {
  const spawnedAt = performance.now();
  const channel = options.isolation === 'thread' ? threadChannel(options) : childChannel(options);
  forwardRawOutput(channel.stdout, options.onLog);
  forwardRawOutput(channel.stderr, options.onLog);
  let alive = true;
  let maxMemoryUsedMb = 0;
  let pending:
    | { requestId: string; resolve: (outcome: InstanceOutcome) => void; timer: NodeJS.Timeout }
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
    invoke(invocation: InstanceInvocation, realTimeoutMs: number) {
      if (!alive)
        return Promise.resolve({ kind: 'exit', reason: 'instance was shut down', maxMemoryUsedMb });
      channel.setKeepsProcessAlive(true);
      return new Promise<InstanceOutcome>((resolve) => {
        const timer = setTimeout(() => {
          settle({ kind: 'timeout', maxMemoryUsedMb });
          instance.kill();
        }, realTimeoutMs);
        pending = { requestId: invocation.requestId, resolve, timer };
        channel.send({
          type: 'invoke',
          requestId: invocation.requestId,
          payload: invocation.payloadText,
          timeoutMs: invocation.timeoutMs,
          scale: invocation.scale,
          context: invocation.context,
        });
      });
    },
    kill() {
      if (!alive) return;
      alive = false;
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

  channel.onMessage((message) => {
    switch (message.type) {
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
    settle({ kind: 'exit', reason, maxMemoryUsedMb });
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
