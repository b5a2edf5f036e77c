// The bench's processes and what they say to each other: the orchestrator forks the server, the
// HTTP client and the direct driver as separate Node processes (each its own event loop, so
// nobody's work is billed to another) and asks each driver for runs over IPC.
import { type ChildProcess, fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type GcPause, type GcPauses, watchGcPauses } from './gc-pauses.js';

/**
 * The HTTP clients the bench can drive (bench-client.ts); `kernel` is the C client of
 * timestamping-client.c, which also stamps each answer's arrival in the kernel, and `kernel-tick`
 * the same client releasing requests on a 1 ms tick like the Node clients' pacing loop.
 */
export const CLIENT_KINDS = ['undici', 'http', 'raw', 'kernel', 'kernel-tick'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** The C clients, which stamp each answer's arrival in the kernel too. */
export type KernelClientKind = Extract<ClientKind, 'kernel' | 'kernel-tick'>;
export const isKernelClient = (kind: ClientKind): kind is KernelClientKind =>
  kind === 'kernel' || kind === 'kernel-tick';

/** Checks a client name from MBS_BENCH_CLIENTS or MBS_BENCH_CLIENT (`from`). */
export function clientKind(name: string, from: string): ClientKind {
  if (!(CLIENT_KINDS as readonly string[]).includes(name)) {
    throw new Error(`${from} names ${JSON.stringify(name)}; use ${CLIENT_KINDS.join(', ')}`);
  }
  return name as ClientKind;
}

/** One measured run a driver was asked for. */
export interface RunRequest {
  readonly rate: number;
  readonly seconds: number;
  /** The HTTP client's server (its origin); MBS_BENCH_URL when absent. */
  readonly url?: string;
  /** The HTTP client to use; MBS_BENCH_CLIENT (else undici) when absent. */
  readonly client?: ClientKind;
  /** Also return each request's id and epoch times (for the breakdown). */
  readonly detail?: boolean;
}

/** What a driver measured in one run; per-request arrays are aligned, answered requests only. */
export interface DriverRun {
  readonly sent: number;
  readonly achievedRate: number;
  /** Requests without a result (non-200 answers, transport errors, rejections). */
  readonly failed: number;
  /** HTTP only: those by status, 0 for no answer (a transport error). */
  readonly failedByStatus?: Readonly<Record<string, number>>;
  /** As the caller saw it: HTTP request sent to answer read (client), or submit to resolve (direct). */
  readonly latencyMs: readonly number[];
  /** The batcher's own latency for the same request (arrival to result, its records). */
  readonly batcherMs: readonly number[];
  /** HTTP only: the server's receipt of the request (in the handler) to its answer. */
  readonly serverMs?: readonly number[];
  /**
   * The `kernel` client only: issue to the answer's arrival in the client's kernel (a receive
   * timestamp), so without the client's own lateness in reading it.
   */
  readonly kernelLatencyMs?: readonly number[];
  readonly ids?: readonly string[];
  readonly sentEpochMs?: readonly number[];
  readonly endEpochMs?: readonly number[];
  /** p99 of the driver process's event-loop delay during the run, ms: its own load. */
  readonly eventLoopDelayP99Ms: number;
  /**
   * CPU time (user + system) the driver process spent per request sent, microseconds (with the
   * `kernel` client, the C client's).
   */
  readonly cpuMicrosPerRequest: number;
  /** The driver process's GC pauses during the run. */
  readonly gc: GcPauses;
  /** With `detail`: each of those pauses. */
  readonly gcPauses?: readonly GcPause[];
}

/** A forked bench process. */
export interface BenchProcess {
  readonly child: ChildProcess;
  /** Sends a message and resolves with the next message the process sends back. */
  ask<Answer>(message: unknown): Promise<Answer>;
  stop(): void;
}

/**
 * Forks `script` (a .ts file beside this one) under tsx and waits for its first message.
 * `execArgv` adds Node flags, e.g. `--cpu-prof` (MBS_BENCH_PROFILE=dir profiles the server).
 */
export async function forkBenchProcess(
  script: string,
  env: Readonly<Record<string, string>> = {},
  execArgv: readonly string[] = [],
): Promise<{ process: BenchProcess; hello: unknown }> {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    execArgv: ['--import', 'tsx', ...nodeFlags(), ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${script} exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  const hello = await next();
  return {
    hello,
    process: {
      child,
      ask<Answer>(message: unknown) {
        const answer = next();
        child.send(message as never);
        return answer as Promise<Answer>;
      },
      // Disconnecting lets the process exit on its own (a profile is then written).
      stop: () => {
        if (child.connected) child.disconnect();
      },
    },
  };
}

/**
 * The child side of a driver: announces itself, then answers each {@link RunRequest} with the
 * {@link DriverRun} `run` measured, with the process's event-loop delay during it.
 */
export function serveRuns(
  run: (request: RunRequest) => Promise<
    Omit<DriverRun, 'eventLoopDelayP99Ms' | 'cpuMicrosPerRequest' | 'gc' | 'gcPauses'> & {
      /** CPU time of a child that did the run's work, microseconds (the C client's). */
      readonly childCpuMicros?: number;
    }
  >,
): void {
  const gc = watchGcPauses();
  process.on('message', (request: RunRequest) => {
    gc.take();
    gc.takePauses();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const cpu = process.cpuUsage();
    void run(request).then(({ childCpuMicros, ...result }) => {
      delay.disable();
      const used = process.cpuUsage(cpu);
      process.send!({
        ...result,
        eventLoopDelayP99Ms: delay.percentile(99) / 1e6,
        cpuMicrosPerRequest: (childCpuMicros ?? used.user + used.system) / result.sent,
        gc: gc.take(),
        ...(request.detail ? { gcPauses: gc.takePauses() } : {}),
      });
    });
  });
  process.once('disconnect', () => process.exit(0));
  process.send!({ ready: true });
}

/** CPU time (user + system) a process has used so far, microseconds. */
export const cpuMicros = (): number => {
  const used = process.cpuUsage();
  return used.user + used.system;
};

/** Node flags for every bench process from MBS_BENCH_NODE_FLAGS (e.g. `--trace-gc`), space-separated. */
const nodeFlags = (): string[] =>
  (process.env.MBS_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

/**
 * Node flags of the bench's server: MBS_BENCH_SERVER_FLAGS (space-separated), and a CPU profile
 * when MBS_BENCH_PROFILE names a directory.
 */
export const serverFlags = (): string[] => {
  const directory = process.env.MBS_BENCH_PROFILE;
  return [
    ...(process.env.MBS_BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean),
    ...(directory ? ['--cpu-prof', `--cpu-prof-dir=${directory}`] : []),
  ];
};
