// Front-door overhead of @mbs/server. Three processes, each on its own event loop: the server
// (bench-server.ts), the HTTP load generator (bench-client.ts: undici and a raw keep-alive client)
// and the baseline driver (bench-direct.ts), which submits the same open-loop Poisson requests to
// the batcher directly (same configuration and function). Each driver measures per request what
// its caller saw minus the batcher's own latency for that request (the server reports it in the
// answer's timings.latencySeconds; the direct driver reads the batcher's record), so the batcher's
// batching wait cancels out and what is left is the cost of the way in and out. The front door's
// overhead is the HTTP figure; the direct figure (promise resolution and this event loop) is shown
// beside it. Goal: p99 overhead <= 2 ms at 2,000 requests/s; then the highest rate one server
// process sustains with p99 overhead < 5 ms. Runs alternate between the drivers so that changing
// load on a shared machine hits both alike. MBS_BENCH_B_MODULE (another build) and/or
// MBS_BENCH_B_FLAGS (other Node flags for the server) add a server B, and MBS_BENCH_FLOOR=1 a bare
// node:http server over the same batcher, measured in the same alternation, so a change is
// compared with what it replaces, and the front door with the floor under it, under the same load.
// MBS_BENCH_CLIENTS=kernel adds a C client that also stamps each answer's arrival in its kernel
// (the overhead without the load generator's own lateness), and MBS_BENCH_PIN=1 measures every
// path also with the server and the client pinned to separate cores, in the same rounds.
import { quantile } from '@mbs/core';
import {
  kernelOverheadMs,
  loadNote,
  median,
  overheadMs,
  serverOverheadMs,
  spread,
} from './bench-figures.js';
import {
  type BenchProcess,
  type ClientKind,
  clientKind,
  type DriverRun,
  forkBenchProcess,
  isKernelClient,
  type RunRequest,
  serverFlags,
} from './bench-process.js';
import { ALL_CORES, checkPinning, PINNED_CORES, setCores } from './cpu-pinning.js';
import { describeGcPauses, type GcPauses } from './gc-pauses.js';

const SECONDS = Number(process.env.MBS_BENCH_SECONDS ?? 6);
const RUNS = Number(process.env.MBS_BENCH_RUNS ?? 5);
/**
 * The HTTP clients measured, each against each server in every round (MBS_BENCH_CLIENTS, comma-
 * separated): undici, what applications use, and raw, the least client-side work per request.
 */
const CLIENTS = (process.env.MBS_BENCH_CLIENTS ?? process.env.MBS_BENCH_CLIENT ?? 'undici,raw')
  .split(',')
  .map((name) => clientKind(name.trim(), 'MBS_BENCH_CLIENTS'));
/** The sweep's offered rates, comma-separated (MBS_BENCH_RATES=2000,4000 shortens it, '' skips it). */
const RATES = (process.env.MBS_BENCH_RATES ?? '2000,3000,4000,5000,6000,8000,10000')
  .split(',')
  .filter((rate) => rate.trim() !== '')
  .map((rate) => {
    const value = Number(rate);
    if (!(value > 0 && Number.isFinite(value))) {
      throw new Error(
        `MBS_BENCH_RATES has ${JSON.stringify(rate)}; give requests per second > 0, comma-separated`,
      );
    }
    return value;
  });

interface Server {
  readonly name: string;
  readonly describe: string;
  readonly process: BenchProcess;
  readonly url: string;
}
const forkServer = async (
  name: string,
  env: Record<string, string>,
  flags: string[],
  module: string,
  script = './bench-server.ts',
): Promise<Server> => {
  const forked = await forkBenchProcess(script, env, flags);
  return {
    name,
    describe: `server ${name}: ${module}, Node flags ${flags.join(' ') || 'none'}`,
    process: forked.process,
    url: (forked.hello as { url: string }).url,
  };
};
const servers: Server[] = [];
servers.push(
  await forkServer('A', {}, serverFlags(), process.env.MBS_BENCH_SERVER_MODULE ?? '@mbs/server'),
);
const bModule = process.env.MBS_BENCH_B_MODULE;
const bFlags = process.env.MBS_BENCH_B_FLAGS;
if (bModule !== undefined || bFlags !== undefined) {
  servers.push(
    await forkServer(
      'B',
      bModule === undefined ? {} : { MBS_BENCH_SERVER_MODULE: bModule },
      bFlags === undefined ? serverFlags() : bFlags.split(' ').filter(Boolean),
      bModule ?? process.env.MBS_BENCH_SERVER_MODULE ?? '@mbs/server',
    ),
  );
}
if (process.env.MBS_BENCH_FLOOR === '1') {
  servers.push(
    await forkServer(
      'floor',
      {},
      [],
      'a bare node:http server over the same batcher (bench-floor-server.ts)',
      './bench-floor-server.ts',
    ),
  );
}
const client = (await forkBenchProcess('./bench-client.ts')).process;
/**
 * MBS_BENCH_PIN=1: every path is also measured with the server on one core and the drivers on
 * the other (cpu-pinning.ts), in the same rounds as unpinned.
 */
const PIN = process.env.MBS_BENCH_PIN === '1';
if (PIN) checkPinning();
/** What is measured: each client against each server, unpinned and (MBS_BENCH_PIN=1) pinned. */
interface Path {
  readonly name: string;
  readonly server: Server;
  readonly kind: ClientKind;
  readonly pinned: boolean;
}
const paths: Path[] = servers.flatMap((server) =>
  CLIENTS.flatMap((kind) =>
    (PIN ? [false, true] : [false]).map((pinned) => ({
      name: `${kind} client -> server ${server.name}${pinned ? ' (pinned)' : ''}`,
      server,
      kind,
      pinned,
    })),
  ),
);
const direct = (await forkBenchProcess('./bench-direct.ts')).process;
type HttpRun = DriverRun & {
  readonly serverCpuMicrosPerRequest: number;
  readonly serverGc: GcPauses;
};
const runDirect = (rate: number, seconds = SECONDS) =>
  direct.ask<DriverRun>({ rate, seconds } satisfies RunRequest);
/** A run of the HTTP client against `server`, with the server's CPU time and GC over it. */
const runHttp = async (
  { server, kind, pinned }: Path,
  rate: number,
  seconds = SECONDS,
): Promise<HttpRun> => {
  if (PIN) {
    setCores(server.process.child.pid!, pinned ? PINNED_CORES.server : ALL_CORES);
    setCores(client.child.pid!, pinned ? PINNED_CORES.drivers : ALL_CORES);
  }
  const before = await server.process.ask<number>('cpu');
  await server.process.ask<GcPauses>('gc');
  const result = await client.ask<DriverRun>({
    rate,
    seconds,
    url: server.url,
    client: kind,
  } satisfies RunRequest);
  const after = await server.process.ask<number>('cpu');
  const serverGc = await server.process.ask<GcPauses>('gc');
  return { ...result, serverCpuMicrosPerRequest: (after - before) / result.sent, serverGc };
};

const p = (values: readonly number[], q: number) => quantile(values, q);
const over = (runs: readonly DriverRun[], q: number, of = overheadMs) =>
  runs.map((r) => p(of(r), q));
const latency = (runs: readonly DriverRun[], q: number) => runs.map((r) => p(r.latencyMs, q));
/** Failed requests of `runs` by status, as JSON ({} when none failed). */
const failedByStatus = (runs: readonly DriverRun[]): string => {
  const total: Record<string, number> = {};
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.failedByStatus ?? {})) {
      total[status] = (total[status] ?? 0) + count;
    }
  }
  return JSON.stringify(total);
};
const loopDelay = (runs: readonly DriverRun[]) => runs.map((r) => r.eventLoopDelayP99Ms);
try {
  console.log(`front-door bench: clients ${CLIENTS.join(', ')}; ${loadNote()}`);
  if (PIN) {
    console.log(
      `pinned runs: the server on core ${PINNED_CORES.server}, the HTTP client on core ${PINNED_CORES.drivers} (all their threads; the machine's other work still shares both); unpinned runs: every core`,
    );
  }
  for (const server of servers) console.log(server.describe);
  // Warm every path (JIT, keep-alive connections) at the measured rate before measuring.
  await runDirect(2000, 2);
  for (const path of paths) await runHttp(path, 2000, 2);
  const baseline: DriverRun[] = [];
  const http = paths.map((): HttpRun[] => []);
  for (let index = 0; index < RUNS; index++) {
    baseline.push(await runDirect(2000));
    for (const [at, path] of paths.entries()) http[at]!.push(await runHttp(path, 2000));
  }
  const seconds = RUNS * SECONDS;
  console.log(
    `\nat 2,000 requests/s, Poisson arrivals, ${RUNS} runs of ${SECONDS} s each: median (p10-p90 over runs), ms`,
  );
  console.log(
    [
      `batcher called directly     latency p50 ${spread(latency(baseline, 0.5))}  p99 ${spread(latency(baseline, 0.99))}`,
      `  caller's latency - the batcher's: p50 ${spread(over(baseline, 0.5))}  p99 ${spread(over(baseline, 0.99))}  (driver event-loop delay p99 ${spread(loopDelay(baseline))})`,
      `  direct driver GC: ${describeGcPauses(
        baseline.map((r) => r.gc),
        seconds,
      )}; CPU ${spread(baseline.map((r) => r.cpuMicrosPerRequest))} us/request (load loop + batcher + function)`,
    ].join('\n'),
  );
  for (const [at, path] of paths.entries()) {
    const runs = http[at]!;
    const p99 = median(over(runs, 0.99));
    console.log(
      [
        `${path.name} -> batcher latency p50 ${spread(latency(runs, 0.5))}  p99 ${spread(latency(runs, 0.99))}`,
        `  front-door overhead, client's latency - the batcher's: p50 ${spread(over(runs, 0.5))}  p99 ${spread(over(runs, 0.99))}  p99.9 ${spread(over(runs, 0.999))}  (client event-loop delay p99 ${spread(loopDelay(runs))})`,
        ...(isKernelClient(path.kind)
          ? [
              `  to the answer's arrival in the client's kernel (without the client's lateness): p50 ${spread(over(runs, 0.5, kernelOverheadMs))}  p99 ${spread(over(runs, 0.99, kernelOverheadMs))}  p99.9 ${spread(over(runs, 0.999, kernelOverheadMs))}`,
            ]
          : []),
        `  of which inside the server's handler: p50 ${spread(over(runs, 0.5, serverOverheadMs))}  p99 ${spread(over(runs, 0.99, serverOverheadMs))}`,
        `  failed requests: ${runs.reduce((sum, r) => sum + r.failed, 0)} ${failedByStatus(runs)}; achieved rate ${spread(runs.map((r) => r.achievedRate))} requests/s`,
        `  server GC: ${describeGcPauses(
          runs.map((r) => r.serverGc),
          seconds,
        )}`,
        `  HTTP client GC: ${describeGcPauses(
          runs.map((r) => r.gc),
          seconds,
        )}`,
        `  CPU time per request, microseconds (less sensitive to the machine's load than latency): server ${spread(runs.map((r) => r.serverCpuMicrosPerRequest))}, HTTP client ${spread(runs.map((r) => r.cpuMicrosPerRequest))}`,
        `  goal p99 overhead <= 2 ms: ${p99.toFixed(2)} ms (${p99 <= 2 ? 'met' : 'NOT met'}); beyond the direct call's own ${(p99 - median(over(baseline, 0.99))).toFixed(2)} ms`,
        ...(isKernelClient(path.kind)
          ? [
              `  goal p99 overhead <= 2 ms, to the answer's arrival in the client's kernel: ${median(over(runs, 0.99, kernelOverheadMs)).toFixed(2)} ms (${median(over(runs, 0.99, kernelOverheadMs)) <= 2 ? 'met' : 'NOT met'})`,
            ]
          : []),
      ].join('\n'),
    );
  }
  for (const [at, path] of paths.entries()) {
    if (at === 0) continue;
    // Per-round ratios: each round's runs were back to back, so the machine's load was alike.
    const ratio = (q: number) =>
      http[at]!.map((run, index) => p(overheadMs(run), q) / p(overheadMs(http[0]![index]!), q));
    console.log(
      `${path.name} / ${paths[0]!.name} per round (same load): overhead p50 ${spread(ratio(0.5))}, p99 ${spread(ratio(0.99))}`,
    );
  }

  if (RATES.length > 0) {
    console.log(
      `\nhighest rate with p99 overhead < 5 ms (one server process, the client in another; median of ${RUNS} runs)`,
    );
    console.log(
      'path                          offered req/s  achieved req/s  failed  overhead p50  overhead p99  to kernel p99  in handler p99  client loop p99  server CPU us/req  server scavenges/s',
    );
    // The sweep goes on past the p99 goal to the rate one server process still carries (every
    // request answered, 95 % of the offered rate sent, and no standing queue: the median overhead
    // under 10 ms), which tells the latency limit from the throughput limit; a client event-loop
    // delay that grows with the rate means the client is the limit. The kernel client's p99 to
    // the answer's arrival in its kernel ("to kernel") has its own highest rate beside.
    const sweep = paths.map(() => ({
      best: 0,
      bestToKernel: 0,
      carried: 0,
      withinGoal: true,
      withinGoalToKernel: true,
      stopped: false,
    }));
    for (const rate of RATES) {
      const runs = paths.map((): HttpRun[] => []);
      for (let index = 0; index < RUNS; index++) {
        for (const [at, path] of paths.entries()) {
          if (!sweep[at]!.stopped) runs[at]!.push(await runHttp(path, rate));
        }
      }
      for (const [at, path] of paths.entries()) {
        const state = sweep[at]!;
        if (state.stopped) continue;
        const measured = runs[at]!;
        const achieved = median(measured.map((r) => r.achievedRate));
        const failed = measured.reduce((sum, r) => sum + r.failed, 0);
        const rateP99 = median(over(measured, 0.99));
        const toKernelP99 = median(over(measured, 0.99, kernelOverheadMs));
        console.log(
          [
            path.name.padEnd(28),
            String(rate).padStart(13),
            achieved.toFixed(0).padStart(14),
            String(failed).padStart(6),
            median(over(measured, 0.5)).toFixed(2).padStart(12),
            rateP99.toFixed(2).padStart(12),
            (isKernelClient(path.kind) ? toKernelP99.toFixed(2) : '-').padStart(13),
            median(over(measured, 0.99, serverOverheadMs))
              .toFixed(2)
              .padStart(14),
            median(loopDelay(measured)).toFixed(2).padStart(15),
            median(measured.map((r) => r.serverCpuMicrosPerRequest))
              .toFixed(0)
              .padStart(17),
            (
              measured.reduce((sum, r) => sum + r.serverGc.scavenges, 0) /
              (measured.length * SECONDS)
            )
              .toFixed(1)
              .padStart(18),
          ].join('  '),
        );
        if (failed > 0)
          console.log(`  failed by status (0: no answer): ${failedByStatus(measured)}`);
        if (failed > 0 || achieved < rate * 0.95 || median(over(measured, 0.5)) >= 10) {
          state.stopped = true;
          continue;
        }
        state.carried = rate;
        state.withinGoal &&= rateP99 < 5;
        if (state.withinGoal) state.best = rate;
        state.withinGoalToKernel &&= toKernelP99 < 5;
        if (state.withinGoalToKernel) state.bestToKernel = rate;
      }
      if (sweep.every((state) => state.stopped)) break;
    }
    for (const [at, path] of paths.entries()) {
      const { best, bestToKernel, carried } = sweep[at]!;
      const rateOf = (found: number) =>
        found > 0 ? `${found} requests/s` : `below ${RATES[0]} requests/s`;
      console.log(
        `${path.name}: highest sustained rate with p99 overhead < 5 ms: ${rateOf(best)}${isKernelClient(path.kind) ? ` (to the answer's arrival in the client's kernel: ${rateOf(bestToKernel)})` : ''}; highest rate carried: ${rateOf(carried)}`,
      );
    }
  }
  console.log(loadNote());
} finally {
  for (const child of [client, direct, ...servers.map((server) => server.process)]) child.stop();
}
