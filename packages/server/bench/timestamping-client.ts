// The kernel-timestamped client (MBS_BENCH_CLIENTS=kernel): timestamping-client.c, built with the
// machine's C compiler the first time it is asked for, run once per measured run. It stamps each
// answer where the Node clients do (when the client read it) and where the kernel received it, so
// the bench can tell the front door's overhead from the load generator's own lateness.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One run of the C client, in the shape the other clients' runs have. */
export interface TimestampedRun {
  readonly sent: number;
  readonly achievedRate: number;
  readonly failed: number;
  readonly failedByStatus: Record<string, number>;
  /** Issue to the answer read by the client, ms (as the Node clients measure it). */
  readonly latencyMs: number[];
  /** Issue to the answer's arrival in the client's kernel (SO_TIMESTAMPNS), ms. */
  readonly kernelLatencyMs: number[];
  readonly batcherMs: number[];
  readonly serverMs: number[];
  /** Answered requests' ids, issue times and answers' arrival in the kernel, epoch ms. */
  readonly ids: string[];
  readonly sentEpochMs: number[];
  readonly endEpochMs: number[];
  /** CPU time the C client used, microseconds. */
  readonly childCpuMicros: number;
}

let binary: string | undefined;
/** Compiles the client once per process (CC, else cc); throws naming the compiler when it fails. */
function timestampingClientBinary(): string {
  if (binary !== undefined) return binary;
  const source = fileURLToPath(new URL('./timestamping-client.c', import.meta.url));
  const directory = mkdtempSync(join(tmpdir(), 'mbs-bench-'));
  process.once('exit', () => rmSync(directory, { recursive: true, force: true }));
  const output = join(directory, 'timestamping-client');
  const compiler = process.env.CC ?? 'cc';
  try {
    execFileSync(compiler, ['-O2', '-o', output, source, '-lm'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `MBS_BENCH_CLIENTS=kernel needs a C compiler (CC, else cc) to build ${source}: ${String((error as { stderr?: Buffer }).stderr ?? error)}`,
    );
  }
  binary = output;
  return output;
}

/**
 * Runs the C client against `url` at `rate` requests/s for `seconds`; with `tickMs` > 0 the
 * requests due are released together every `tickMs` at the soonest (the Node clients' pacing).
 */
export function runTimestampingClient(
  url: URL,
  rate: number,
  seconds: number,
  tickMs = 0,
): Promise<TimestampedRun> {
  const path = timestampingClientBinary();
  return new Promise((resolve, reject) => {
    execFile(
      path,
      [url.hostname, url.port, String(rate), String(seconds), '7', String(tickMs)],
      { maxBuffer: 1 << 30 },
      (error, stdout) => {
        if (error) {
          reject(new Error(`${path} failed: ${error.message}`));
          return;
        }
        const run: TimestampedRun = {
          sent: 0,
          achievedRate: 0,
          failed: 0,
          failedByStatus: {},
          latencyMs: [],
          kernelLatencyMs: [],
          batcherMs: [],
          serverMs: [],
          ids: [],
          sentEpochMs: [],
          endEpochMs: [],
          childCpuMicros: 0,
        };
        const mutable = run as { -readonly [K in keyof TimestampedRun]: TimestampedRun[K] };
        for (const line of stdout.split('\n')) {
          if (line === '') continue;
          const fields = line.split(' ');
          if (fields[0] === 'end') {
            mutable.sent = Number(fields[1]);
            mutable.achievedRate = Number(fields[2]);
            mutable.childCpuMicros = Number(fields[3]);
            continue;
          }
          const [status, user, kernel, batcher, server, issued] = fields.map(Number) as [
            number,
            number,
            number,
            number,
            number,
            number,
          ];
          if (status !== 200) {
            mutable.failed++;
            run.failedByStatus[status] = (run.failedByStatus[status] ?? 0) + 1;
            continue;
          }
          run.latencyMs.push(user);
          run.kernelLatencyMs.push(kernel);
          run.batcherMs.push(batcher);
          run.serverMs.push(server);
          run.ids.push(fields[6]!);
          run.sentEpochMs.push(issued);
          run.endEpochMs.push(issued + kernel);
        }
        if (run.sent === 0) reject(new Error(`${path} printed no closing line`));
        else resolve(run);
      },
    );
  });
}
