// Front-door overhead of @mbs/server: latency of requests sent over HTTP (keep-alive, open loop,
// Poisson arrivals) to a server in another process, against the same requests submitted to the
// batcher directly in this process (the baseline, same configuration and function). Per HTTP
// request the overhead is its client-side latency minus the batcher latency the server reports
// for it (timings.latencySeconds): parsing, validation, routing, the answer and both HTTP stacks.
// Goal: p99 overhead <= 2 ms at 2,000 requests/s; then the highest rate one process sustains
// with p99 overhead < 5 ms.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createBatcher, createFunctionProvider } from '@mbs/batcher';
import { createRandom } from '@mbs/core';
import { BENCH_CONFIGURATION, benchFunction } from './bench-setup.js';

const SECONDS = Number(process.env.MBS_BENCH_SECONDS ?? 6);
const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/** Calls `send` at Poisson times of `rate` per second for `seconds`, from a 1 ms pacing loop. */
async function openLoop(rate: number, seconds: number, send: (index: number) => Promise<void>) {
  const random = createRandom(7);
  const start = performance.now();
  let next = start;
  let sent = 0;
  const pending: Promise<void>[] = [];
  await new Promise<void>((done) => {
    const pace = () => {
      const now = performance.now();
      while (next <= now && next < start + seconds * 1000) {
        pending.push(send(sent++));
        next += (-Math.log(1 - random.next()) / rate) * 1000;
      }
      if (next >= start + seconds * 1000) done();
      else setTimeout(pace, 1);
    };
    pace();
  });
  const elapsed = (performance.now() - start) / 1000;
  await Promise.all(pending);
  return { sent, achievedRate: sent / elapsed };
}

const sizeOf = (index: number) => 1 + ((index * 37) % 400);

async function direct(rate: number) {
  const batcher = createBatcher({
    config: BENCH_CONFIGURATION,
    provider: createFunctionProvider(benchFunction),
    limits: { maxPendingPerBuffer: 100_000 },
  });
  const latencies: number[] = [];
  const { achievedRate } = await openLoop(rate, SECONDS, async (index) => {
    const started = performance.now();
    await batcher.submit({ size: sizeOf(index), input: index });
    latencies.push(performance.now() - started);
  });
  await batcher.close();
  return { achievedRate, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

async function startServer(): Promise<{ url: URL; stop: () => void }> {
  const script = fileURLToPath(new URL('./bench-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { url: string }).url);
    });
  });
  return { url: new URL(url), stop: () => child.kill('SIGTERM') };
}

async function overHttp(url: URL, rate: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const client: number[] = [];
  const overhead: number[] = [];
  const serverSide: number[] = [];
  let failed = 0;
  const { achievedRate } = await openLoop(rate, SECONDS, (index) => {
    const payload = JSON.stringify({ size: sizeOf(index), input: index });
    const started = performance.now();
    return new Promise<void>((resolve) => {
      const sent = request(
        {
          hostname: url.hostname,
          port: url.port,
          path: '/v1/infer',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => {
            const elapsed = performance.now() - started;
            if (response.statusCode === 200) {
              const answer = JSON.parse(body) as {
                timings: { latencySeconds: number; serverSeconds: number };
              };
              client.push(elapsed);
              overhead.push(elapsed - answer.timings.latencySeconds * 1000);
              serverSide.push(
                (answer.timings.serverSeconds - answer.timings.latencySeconds) * 1000,
              );
            } else failed++;
            resolve();
          });
        },
      );
      sent.on('error', () => {
        failed++;
        resolve();
      });
      sent.end(payload);
    });
  });
  agent.destroy();
  return {
    achievedRate,
    failed,
    p50: quantile(client, 0.5),
    p99: quantile(client, 0.99),
    overheadP50: quantile(overhead, 0.5),
    overheadP99: quantile(overhead, 0.99),
    serverOverheadP50: quantile(serverSide, 0.5),
    serverOverheadP99: quantile(serverSide, 0.99),
  };
}

const RUNS = Number(process.env.MBS_BENCH_RUNS ?? 3);
/** Median, p10 and p90 of one figure over runs. */
const spread = (values: number[]) =>
  `${quantile(values, 0.5).toFixed(2)} (${quantile(values, 0.1).toFixed(2)}-${quantile(values, 0.9).toFixed(2)})`;

async function repeat<T>(run: () => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let index = 0; index < RUNS; index++) results.push(await run());
  return results;
}

const server = await startServer();
try {
  // Warm both paths (JIT, keep-alive sockets) at the measured rate before measuring.
  await direct(2000);
  await overHttp(server.url, 2000);
  const baseline = await repeat(() => direct(2000));
  const http = await repeat(() => overHttp(server.url, 2000));
  const pick = <T>(results: T[], key: keyof T) => results.map((result) => result[key] as number);
  console.log(
    `\nfront-door overhead at 2,000 requests/s, Poisson arrivals, ${RUNS} runs of ${SECONDS} s: median (p10-p90 over runs), ms`,
  );
  console.log(
    [
      `batcher in process (baseline)    latency p50 ${spread(pick(baseline, 'p50'))}  p99 ${spread(pick(baseline, 'p99'))}`,
      `HTTP -> mbs server -> batcher    latency p50 ${spread(pick(http, 'p50'))}  p99 ${spread(pick(http, 'p99'))}`,
      `  overhead seen by the client (its latency - the batcher latency the server reports): p50 ${spread(pick(http, 'overheadP50'))}  p99 ${spread(pick(http, 'overheadP99'))}`,
      `  overhead inside the server (receipt to answer - batcher latency): p50 ${spread(pick(http, 'serverOverheadP50'))}  p99 ${spread(pick(http, 'serverOverheadP99'))}`,
      `  p99 latency x baseline: ${(quantile(pick(http, 'p99'), 0.5) / quantile(pick(baseline, 'p99'), 0.5)).toFixed(2)}; failed requests: ${http.reduce((sum, run) => sum + run.failed, 0)}`,
    ].join('\n'),
  );
  const clientP99 = quantile(pick(http, 'overheadP99'), 0.5);
  console.log(
    `goal p99 overhead <= 2 ms: client-observed ${clientP99.toFixed(2)} ms (${clientP99 <= 2 ? 'met' : 'NOT met'}), inside the server ${quantile(pick(http, 'serverOverheadP99'), 0.5).toFixed(2)} ms`,
  );
  console.log(
    '\nhighest rate with client-observed p99 overhead < 5 ms (median of the runs; one server process, the client in this one)',
  );
  console.log('offered req/s  achieved req/s  failed  overhead p50  overhead p99  server p99');
  let best = 0;
  for (const rate of [2000, 3000, 4000, 5000, 6000, 8000, 10_000]) {
    const runs = await repeat(() => overHttp(server.url, rate));
    const achieved = quantile(pick(runs, 'achievedRate'), 0.5);
    const failed = runs.reduce((sum, run) => sum + run.failed, 0);
    const p99 = quantile(pick(runs, 'overheadP99'), 0.5);
    console.log(
      `${String(rate).padStart(13)}  ${achieved.toFixed(0).padStart(14)}  ${String(failed).padStart(6)}  ${quantile(pick(runs, 'overheadP50'), 0.5).toFixed(2).padStart(12)}  ${p99.toFixed(2).padStart(12)}  ${quantile(pick(runs, 'serverOverheadP99'), 0.5).toFixed(2).padStart(10)}`,
    );
    if (p99 >= 5 || failed > 0 || achieved < rate * 0.95) break;
    best = rate;
  }
  console.log(
    `highest sustained rate with p99 overhead < 5 ms: ${best > 0 ? `${best} requests/s` : 'below 2,000 requests/s'}`,
  );
} finally {
  server.stop();
}
