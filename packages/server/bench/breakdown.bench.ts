// Where the front door's overhead goes, at 2,000 requests/s: the server (MBS_BENCH_TIMINGS=1)
// stamps each request at fastify's hooks and at the batcher's record, the client (its own
// process) stamps sending and reading, all on the epoch clock both processes share, and each
// request's client-observed latency splits into consecutive parts. The batcher's part is the
// baseline; the rest is the overhead. Shown per part: p50 and p99 over requests, and the mean of
// each part over the 1 % of requests with the largest overhead (what the tail is made of).
import { quantile } from '@mbs/core';
import { loadNote } from './bench-figures.js';
import { type DriverRun, forkBenchProcess, type RunRequest, serverFlags } from './bench-process.js';
import type { ServerStamps } from './bench-server.js';
import type { GcPause } from './gc-pauses.js';

const SECONDS = Number(process.env.MBS_BENCH_SECONDS ?? 6);
const RATE = Number(process.env.MBS_BENCH_RATE ?? 2000);
const CLIENT = process.env.MBS_BENCH_CLIENT ?? 'undici';
/** Seconds of load before the measured run (JIT, keep-alive connections). */
const WARM_SECONDS = Number(process.env.MBS_BENCH_WARM_SECONDS ?? 2);

type Stamp = Exclude<keyof ServerStamps, 'id'> | 'sent' | 'ended';
/** Consecutive parts of one request's latency, by the stamps that bound them. */
const PARTS: readonly { name: string; from: Stamp; to: Stamp }[] = [
  { name: 'client send, loopback, server event loop, headers', from: 'sent', to: 'onRequest' },
  { name: 'body read + JSON parse', from: 'onRequest', to: 'preValidation' },
  { name: 'schema validation', from: 'preValidation', to: 'preHandler' },
  { name: 'handler admission + submit', from: 'preHandler', to: 'batcherArrival' },
  { name: 'batcher (the baseline)', from: 'batcherArrival', to: 'batcherCompletion' },
  { name: 'result to answer serialised', from: 'batcherCompletion', to: 'onSend' },
  { name: 'answer written', from: 'onSend', to: 'onResponse' },
  {
    // The kernel client stamps the answer's arrival in its kernel, before its own event loop.
    name: CLIENT.startsWith('kernel')
      ? "loopback to the client's kernel"
      : 'loopback, client event loop, read',
    from: 'onResponse',
    to: 'ended',
  },
];
const BATCHER_PART = 4;

const server = await forkBenchProcess(
  './bench-server.ts',
  { MBS_BENCH_TIMINGS: '1' },
  serverFlags(),
);
const { url } = server.hello as { url: string };
const client = await forkBenchProcess('./bench-client.ts', { MBS_BENCH_URL: url });
try {
  const ask = (seconds: number) =>
    client.process.ask<DriverRun>({ rate: RATE, seconds, detail: true } satisfies RunRequest);
  await ask(WARM_SECONDS);
  await server.process.ask<ServerStamps[]>('stamps');
  await server.process.ask<GcPause[]>('gc-pauses');
  const run = await ask(SECONDS);
  const serverPauses = await server.process.ask<GcPause[]>('gc-pauses');
  const stamps = new Map(
    (await server.process.ask<ServerStamps[]>('stamps')).map((entry) => [entry.id, entry]),
  );
  const rows: number[][] = [];
  /** Per row: the request's time in flight [sent, ended], epoch ms. */
  const spans: [number, number][] = [];
  run.ids!.forEach((id, index) => {
    const at = stamps.get(id);
    if (at === undefined) return;
    spans.push([run.sentEpochMs![index]!, run.endEpochMs![index]!]);
    const times: Record<Stamp, number> = {
      ...at,
      sent: run.sentEpochMs![index]!,
      ended: run.endEpochMs![index]!,
    };
    rows.push(PARTS.map((part) => times[part.to] - times[part.from]));
  });
  const overhead = rows.map((row) =>
    row.reduce((sum, ms, part) => sum + (part === BATCHER_PART ? 0 : ms), 0),
  );
  const tailCut = quantile(overhead, 0.99);
  const tail = rows.filter((_, index) => overhead[index]! >= tailCut);
  console.log(
    `front-door breakdown at ${RATE} requests/s for ${SECONDS} s, client ${CLIENT} in its own process; ${rows.length} of ${run.latencyMs.length} answers stamped; ${loadNote()}`,
  );
  console.log(`ms per request${' '.repeat(40)}p50      p99   mean in the slowest 1 %`);
  const print = (name: string, values: number[], tailMean: number) =>
    console.log(
      `${name.padEnd(52)}${quantile(values, 0.5).toFixed(3).padStart(7)}  ${quantile(values, 0.99).toFixed(3).padStart(7)}  ${tailMean.toFixed(3).padStart(9)}`,
    );
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  PARTS.forEach((part, index) => {
    print(
      part.name,
      rows.map((row) => row[index]!),
      mean(tail.map((row) => row[index]!)),
    );
  });
  print(
    'overhead (all but the batcher)',
    overhead,
    mean(
      tail.map((row) => row.reduce((sum, ms, part) => sum + (part === BATCHER_PART ? 0 : ms), 0)),
    ),
  );
  // Which requests a GC pause held: its pause overlapped the request's time in flight (a pause
  // inside the batcher's wait costs the request nothing, so this bounds GC's share from above).
  const hitBy = (pauses: readonly GcPause[]) =>
    spans.map(([sent, ended]) =>
      pauses.some(
        (pause) => pause.startEpochMs < ended && pause.startEpochMs + pause.durationMs > sent,
      ),
    );
  const serverHit = hitBy(serverPauses);
  const clientHit = hitBy(run.gcPauses ?? []);
  const share = (flags: readonly boolean[], among: readonly number[]) =>
    `${((among.filter((index) => flags[index]).length / Math.max(1, among.length)) * 100).toFixed(1)} %`;
  const all = rows.map((_, index) => index);
  const slowest = all.filter((index) => overhead[index]! >= tailCut);
  const neither = all.filter((index) => !serverHit[index] && !clientHit[index]);
  const pauseLine = (name: string, pauses: readonly GcPause[]) =>
    `${name} ${pauses.length} GC pauses (${pauses.filter((pause) => pause.scavenge).length} scavenges), mean ${(pauses.reduce((sum, pause) => sum + pause.durationMs, 0) / Math.max(1, pauses.length)).toFixed(2)} ms`;
  console.log(
    [
      `GC during the run: ${pauseLine('server', serverPauses)}; ${pauseLine('client', run.gcPauses ?? [])}`,
      `requests in flight during a GC pause: server's ${share(serverHit, all)} of all, ${share(serverHit, slowest)} of the slowest 1 %; client's ${share(clientHit, all)} of all, ${share(clientHit, slowest)} of the slowest 1 %`,
      `overhead p99 of the requests no pause touched (${neither.length}): ${quantile(
        neither.map((index) => overhead[index]!),
        0.99,
      ).toFixed(3)} ms (diagnostic only: GC is part of what a client sees)`,
    ].join('\n'),
  );
  console.log(
    `client event-loop delay p99 ${run.eventLoopDelayP99Ms.toFixed(2)} ms; parts before the server's hooks and after its write include both processes' scheduling on a shared machine`,
  );
} finally {
  client.process.stop();
  server.process.stop();
}
