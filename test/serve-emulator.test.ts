import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@mbs/cli';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { classSchemeFromEdges, formatSeconds, formatUsd } from '@mbs/core';
import { readJsonLines } from '@mbs/logs';
import { createAwsPricing } from '@mbs/pricing-aws';
import {
  createCsvTraceReader,
  DEFAULT_SYNTHETIC_WORKLOAD,
  generateSyntheticTrace,
  writeTraceCsv,
} from '@mbs/trace-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchHandlerTiming, batchHandlerZip } from './support/batch-handler.js';
import { runCli } from './support/capture-io.js';
import {
  EIGHT_CLASS_EDGES,
  FOUR_BUFFER_SYSTEM,
  fourBufferConfiguration,
} from './support/four-buffer-configuration.js';
import { predictWithModel, speedUpMap } from './support/model-prediction.js';
import {
  type ServeProcess,
  startEmulatorCliProcess,
  startServeProcess,
} from './support/serve-process.js';
import { retryWhenStarved, servedTiming } from './support/served-timing.js';

// mbs serve over real HTTP against the emulator, driven by mbs run --target: the served period
// summarised against the model, two front ends split by size class, and SIGTERM under faults.

/** The synthetic workload (30 req/s) at 10 times real speed: 300 requests per second. */
const SPEED = 10;
const REQUESTS = 3000;
const SEED = 5;
const TIMING: BatchHandlerTiming = {
  classUpperEdges: EIGHT_CLASS_EDGES,
  baseMs: 60,
  msPerPaddedUnit: 0.004,
};
/** HTTP and process hand-off per invocation beyond the handler's sleep, a model input. */
const OVERHEAD_SECONDS = 0.003;
const PREFIX = 'srv';

interface TargetRun {
  sent: number;
  routing: string;
  answersByStatus: Record<string, number>;
  serverLatencySeconds: { p95: number };
  startEpochMs: number;
  endEpochMs: number;
}

describe('mbs serve + mbs run --target against the emulator', () => {
  let emulator: ServeProcess;
  let directory: string;
  let tracePath: string;
  let configPath: string;
  const servers: ServeProcess[] = [];
  const local = () => ['--provider', 'local', '--endpoint', emulator.url, '--prefix', PREFIX];
  const serve = async (extra: readonly string[]) => {
    const server = await startServeProcess(['--config', configPath, ...local(), ...extra]);
    servers.push(server);
    return server;
  };
  const runTarget = async (targets: string, out: string, extra: readonly string[] = []) => {
    const ran = await runCli(main, [
      'run',
      '--config',
      configPath,
      '--trace',
      tracePath,
      '--speed',
      String(SPEED),
      '--input',
      'size',
      '--target',
      targets,
      '--out',
      join(directory, out),
      '--json',
      ...extra,
    ]);
    return { ...ran, run: ran.json as TargetRun };
  };

  beforeAll(async () => {
    // In its own process: the test's event loop runs the open-loop client.
    emulator = await startEmulatorCliProcess(['--no-cpu-scaling', '--max-instances', '32']);
    directory = await mkdtemp(join(tmpdir(), 'mbs-serve-'));
    tracePath = join(directory, 'trace.csv');
    configPath = join(directory, 'config.json');
    await writeTraceCsv(
      generateSyntheticTrace({ ...DEFAULT_SYNTHETIC_WORKLOAD, seed: SEED, count: REQUESTS }),
      tracePath,
      { timeFormat: 'seconds' },
    );
    const scheme = classSchemeFromEdges(EIGHT_CLASS_EDGES);
    const classCounts = new Array<number>(scheme.count).fill(0);
    let span = 0;
    for await (const arrival of createCsvTraceReader().read(tracePath)) {
      classCounts[scheme.classOf(arrival.size)]!++;
      span = arrival.timeSeconds;
    }
    const modelOutcome = await predictWithModel({
      map: speedUpMap(DEFAULT_SYNTHETIC_WORKLOAD.arrivals.map, SPEED),
      classShares: classCounts.map((count) => count / REQUESTS),
      system: FOUR_BUFFER_SYSTEM,
      timing: TIMING,
      pricing: createAwsPricing({ architecture: 'x86_64' }),
      percentile: 0.95,
      overheadSeconds: OVERHEAD_SECONDS,
    });
    if (!('prediction' in modelOutcome)) throw new Error(modelOutcome.missing);
    await writeFile(
      configPath,
      JSON.stringify(fourBufferConfiguration(modelOutcome.prediction, Math.ceil(span) + 1)),
    );
    const zipPath = join(directory, 'handler.zip');
    await writeFile(zipPath, batchHandlerZip(TIMING));
    const deployed = await runCli(main, [
      'deploy',
      '--config',
      configPath,
      '--zip',
      zipPath,
      '--function-timeout',
      '30',
      ...local(),
    ]);
    expect(deployed.code, deployed.err).toBe(0);
    // Warm the instances the bursts need, as a measurement on Lambda discards its first minutes.
    const warmUp = await runCli(main, [
      'run',
      '--config',
      configPath,
      '--trace',
      tracePath,
      '--speed',
      String(SPEED),
      '--input',
      'size',
      '--limit',
      '1000',
      ...local(),
      '--out',
      join(directory, 'warm-up'),
    ]);
    expect(warmUp.code, warmUp.err).toBe(0);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop('SIGKILL')));
    await emulator?.stop();
    if (directory && !process.env.MBS_KEEP) await rm(directory, { recursive: true, force: true });
    if (process.env.MBS_KEEP) console.log('kept', directory);
  });

  it('serves a replayed trace; mbs logs summarize compares the served records with the model', async () => {
    // The comparison with the model holds only if this machine kept the timings the model
    // assumes (a batch leaves at its timeout, an invocation takes the handler's sleep plus a few
    // ms); under other jobs' load a starved server fires its timers late (bigger batches, longer
    // waits) and the emulator's path adds hundreds of ms. The served records show both, so a run
    // that fails its checks on a starved machine is repeated (retryWhenStarved).
    const timeouts = FOUR_BUFFER_SYSTEM.buffers.map((buffer) => buffer.timeoutSeconds);
    await retryWhenStarved('serve end-to-end', 3, async (attempt, report) => {
      const records = join(directory, `served-${attempt}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const server = await serve(['--records', records]);
      const { code, err, run } = await runTarget(server.url, `client-${attempt}`);
      expect(await server.stop()).toBe(0);
      const batches = await readJsonLines<BatchRecord>(join(records, 'batches.jsonl'));
      report(servedTiming(batches, timeouts));
      expect(code, err).toBe(0);
      expect(run).toMatchObject({ sent: REQUESTS, routing: 'round-robin' });
      expect(run.answersByStatus).toEqual({ '200': REQUESTS });
      const served = JSON.parse(await readFile(join(records, 'serve.json'), 'utf8'));
      expect(served.counts).toMatchObject({
        submitted: REQUESTS,
        resolved: REQUESTS,
        requestRecords: REQUESTS,
      });
      const requests = await readJsonLines<RequestRecord>(join(records, 'requests.jsonl'));
      expect(requests).toHaveLength(REQUESTS);
      expect(batches.reduce((sum, batch) => sum + batch.size, 0)).toBe(REQUESTS);
      const collected = await runCli(main, [
        'logs',
        'collect',
        '--config',
        configPath,
        '--since',
        String(served.startEpochMs),
        '--until',
        String(served.endEpochMs + 1000),
        '--out',
        records,
        ...local(),
      ]);
      expect(collected.code, collected.err).toBe(0);
      const summarized = await runCli(main, [
        'logs',
        'summarize',
        records,
        '--config',
        configPath,
        '--json',
      ]);
      expect(summarized.code, summarized.err).toBe(0);
      const summary = summarized.json as {
        requests: { total: number; failed: number };
        join: { matched: number; unmatchedBatches: number };
        cost: { perRequestUsd: number; matchedRelativeDifference: number };
        comparison: {
          metric: string;
          predicted: number;
          measured: number;
          relativeError: number;
        }[];
      };
      expect(summary.requests).toMatchObject({ total: REQUESTS, failed: 0 });
      expect(summary.join).toMatchObject({ matched: batches.length, unmatchedBatches: 0 });
      expect(summary.cost.matchedRelativeDifference).toBeLessThanOrEqual(0.001);
      const metric = (name: string) => summary.comparison.find((row) => row.metric === name)!;
      const p95 = metric('latencyPercentileSeconds');
      const cost = metric('costPerRequestUsd');
      console.log(
        `serve end-to-end, attempt ${attempt} (${REQUESTS} requests at ${((REQUESTS / (run.endEpochMs - run.startEpochMs)) * 1000) | 0} req/s over HTTP): p95 ${formatSeconds(p95.measured)} vs model ${formatSeconds(p95.predicted)} (${(p95.relativeError * 100).toFixed(1)} %), cost ${formatUsd(cost.measured)} vs ${formatUsd(cost.predicted)} per request (${(cost.relativeError * 100).toFixed(1)} %)`,
      );
      // A small sample with short service times (60 ms to 1 s) on a shared 2-core machine, where
      // the invocation path (AWS SDK, HTTP, emulator, child process) adds about 10 ms at the median
      // and 50-80 ms at p95 under the other jobs' load, which the model does not know: the served p95
      // sits 30-90 % above it here while a replay of the same trace in @mbs/sim matches the model
      // within 1 %. The 5 % acceptance is the validation script's (Azure, 10,000 requests, service
      // times of seconds); this test bounds the serving overhead.
      expect(p95.relativeError).toBeGreaterThan(-0.1);
      expect(p95.relativeError).toBeLessThan(1.2);
      expect(Math.abs(cost.relativeError)).toBeLessThan(0.1);
    });
  });

  it('splits buffers between two front ends routed by size, or spreads over two whole ones', async () => {
    const small = await serve(['--buffers', '0,1', '--records', join(directory, 'small')]);
    const large = await serve(['--buffers', '2,3', '--records', join(directory, 'large')]);
    const split = await runTarget(`${small.url},${large.url}`, 'split', ['--limit', '600']);
    expect(split.code, split.err).toBe(0);
    expect(split.run).toMatchObject({ routing: 'size', answersByStatus: { '200': 600 } });
    expect(await small.stop()).toBe(0);
    expect(await large.stop()).toBe(0);
    const smallRecords = await readJsonLines<RequestRecord>(
      join(directory, 'small', 'requests.jsonl'),
    );
    const largeRecords = await readJsonLines<RequestRecord>(
      join(directory, 'large', 'requests.jsonl'),
    );
    expect(smallRecords.length + largeRecords.length).toBe(600);
    expect(new Set(smallRecords.map((record) => record.buffer))).toEqual(new Set([0, 1]));
    expect(largeRecords.every((record) => record.buffer >= 2)).toBe(true);

    const first = await serve([]);
    const second = await serve([]);
    const spread = await runTarget(`${first.url},${second.url}`, 'spread', ['--limit', '600']);
    expect(spread.run).toMatchObject({ routing: 'round-robin', answersByStatus: { '200': 600 } });
    const answers = await readJsonLines<{ target: number }>(
      join(directory, 'spread', 'answers.jsonl'),
    );
    expect(answers.filter((answer) => answer.target === 0)).toHaveLength(300);
    expect(await first.stop()).toBe(0);
    expect(await second.stop()).toBe(0);
  });
});

describe('mbs serve under overload and faults', () => {
  let directory: string;
  const processes: ServeProcess[] = [];
  const start = async (starter: () => Promise<ServeProcess>) => {
    const started = await starter();
    processes.push(started);
    return started;
  };
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mbs-serve-faults-'));
  });
  afterAll(async () => {
    await Promise.all(processes.map((started) => started.stop('SIGKILL')));
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  /** Deploys the 4-buffer configuration (buffer 0 with `batchSize`) on an emulator process. */
  const deployOn = async (emulatorArgs: readonly string[], prefix: string, batchSize: number) => {
    const emulator = await start(() =>
      startEmulatorCliProcess(['--no-cpu-scaling', '--max-instances', '16', ...emulatorArgs]),
    );
    const configPath = join(directory, `${prefix}.json`);
    const config = fourBufferConfiguration(undefined, 3600);
    const buffers = config.windows[0]!.system.buffers;
    await writeFile(
      configPath,
      JSON.stringify({
        ...config,
        windows: [
          {
            ...config.windows[0]!,
            system: { buffers: [{ ...buffers[0]!, batchSize }, ...buffers.slice(1)] },
          },
        ],
      }),
    );
    const zipPath = join(directory, `${prefix}.zip`);
    await writeFile(zipPath, batchHandlerZip(TIMING));
    const connection = ['--provider', 'local', '--endpoint', emulator.url, '--prefix', prefix];
    const deployed = await runCli(main, [
      'deploy',
      '--config',
      configPath,
      '--zip',
      zipPath,
      '--function-timeout',
      '30',
      ...connection,
    ]);
    expect(deployed.code, deployed.err).toBe(0);
    return { configPath, connection };
  };
  const uniformTrace = async (
    name: string,
    count: number,
    ratePerSecond: number,
    size: (index: number) => number,
  ) => {
    const path = join(directory, name);
    const lines = ['timeSeconds,size'];
    for (let index = 0; index < count; index++)
      lines.push(`${(index / ratePerSecond).toFixed(6)},${size(index)}`);
    await writeFile(path, `${lines.join('\n')}\n`);
    return path;
  };
  const target = (configPath: string, tracePath: string, url: string, out: string) =>
    runCli(main, [
      'run',
      '--config',
      configPath,
      '--trace',
      tracePath,
      '--input',
      'size',
      '--target',
      url,
      '--out',
      join(directory, out),
      '--json',
    ]);

  it('refuses load beyond capacity with 429, keeps memory bounded and the accepted requests fast', async () => {
    // Buffer 0: B = 4, one invocation in flight, a full batch takes 60 + 0.004 x 4 x 256 = 64 ms:
    // capacity 4 / 0.064 = 62.5 requests/s. Offered: 3 times that, 1,500 requests in 8 s.
    const { configPath, connection } = await deployOn([], 'over', 4);
    const tracePath = await uniformTrace('over.csv', 1500, 187.5, () => 100);
    const timeouts = fourBufferConfiguration(undefined, 1).windows[0]!.system.buffers.map(
      (buffer) => buffer.timeoutSeconds,
    );
    // The latency bound assumes timely timers and invocations near the handler's sleep: a run
    // that fails its checks on a machine that starved mbs serve (judged from the server's own
    // records) is repeated (retryWhenStarved).
    await retryWhenStarved('overload', 3, async (attempt, report) => {
      const records = join(directory, `over-records-${attempt}`);
      const server = await start(() =>
        startServeProcess([
          '--config',
          configPath,
          ...connection,
          '--max-in-flight-per-buffer',
          '1',
          '--max-queued-per-buffer',
          '4',
          '--records',
          records,
        ]),
      );
      const ran = await target(configPath, tracePath, server.url, `over-${attempt}`);
      const peakRssMb = server.peakRssMb();
      expect(await server.stop()).toBe(0);
      const batches = await readJsonLines<BatchRecord>(join(records, 'batches.jsonl'));
      report(servedTiming(batches, timeouts, true));
      const run = ran.json as TargetRun;
      expect(run.sent).toBe(1500);
      const statuses = run.answersByStatus;
      expect(Object.keys(statuses).sort()).toEqual(['200', '429']);
      expect(statuses['200']! + statuses['429']!).toBe(1500);
      // At most capacity x time is served; the rest is refused at once.
      expect(statuses['200']!).toBeLessThan(1500 * 0.5);
      expect(statuses['429']!).toBeGreaterThan(1500 * 0.5);
      const answers = await readJsonLines<{
        status: string;
        serverLatencySeconds?: number;
        latencySeconds: number;
      }>(join(directory, `over-${attempt}`, 'answers.jsonl'));
      const refusedMs = answers
        .filter((answer) => answer.status === '429')
        .map((answer) => answer.latencySeconds * 1000)
        .sort((a, b) => a - b);
      const served = answers
        .flatMap((answer) =>
          answer.serverLatencySeconds === undefined ? [] : [answer.serverLatencySeconds],
        )
        .sort((a, b) => a - b);
      // An accepted request waits at most for the batch in flight and its own: T + 2 full batches
      // (20 + 2 x 64 ms), plus the invocation path's overhead on this machine.
      const boundSeconds = 0.02 + 2 * 0.064;
      const p95 = served[Math.floor(served.length * 0.95)]!;
      console.log(
        `overload, attempt ${attempt}: 3x capacity, ${statuses['200']} served (p95 ${formatSeconds(p95)}, bound ${formatSeconds(boundSeconds)}), ${statuses['429']} refused with 429 (p50 ${refusedMs[Math.floor(refusedMs.length / 2)]!.toFixed(1)} ms), peak RSS of mbs serve ${peakRssMb.toFixed(0)} MB`,
      );
      expect(p95).toBeLessThan(boundSeconds + 0.08);
      if (Number.isFinite(peakRssMb)) expect(peakRssMb).toBeLessThan(300);
    });
  });

  it('answers every request exactly once under throttling, errors, crashes, latency and SIGTERM', async () => {
    const { configPath, connection } = await deployOn(
      [
        '--fault-seed',
        '3',
        '--fault-throttle-rate',
        '0.2',
        '--fault-error-rate',
        '0.05',
        '--fault-crash-rate',
        '0.02',
        '--fault-extra-latency-ms',
        '100',
        '--fault-latency-rate',
        '0.2',
      ],
      'fault',
      32,
    );
    const records = join(directory, 'fault-records');
    const server = await start(() =>
      startServeProcess(['--config', configPath, ...connection, '--records', records]),
    );
    // 200 requests/s for 10 s over all classes; SIGTERM after 4 s.
    const tracePath = await uniformTrace('fault.csv', 2000, 200, (index) => 100 * 2 ** (index % 9));
    const running = target(configPath, tracePath, server.url, 'fault');
    setTimeout(() => server.child.kill('SIGTERM'), 4000);
    const [ran, exit] = await Promise.all([running, server.exited()]);
    expect(exit.code, server.stderr()).toBe(0);
    const run = ran.json as TargetRun;
    const statuses = run.answersByStatus;
    const total = Object.values(statuses).reduce((sum, count) => sum + count, 0);
    expect(total).toBe(run.sent);
    expect(run.sent).toBe(2000);
    const answers = await readJsonLines<{
      status: string;
      sentSeconds: number;
      latencySeconds: number;
    }>(join(directory, 'fault', 'answers.jsonl'));
    expect(answers).toHaveLength(2000);
    // HTTP answers all came before the server exited; after it, only refused connections.
    const exitSeconds = (exit.exitedAtMs - run.startEpochMs) / 1000;
    for (const answer of answers) {
      if (/^\d+$/.test(answer.status))
        expect(answer.sentSeconds + answer.latencySeconds).toBeLessThan(exitSeconds + 0.05);
      else expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']).toContain(answer.status);
    }
    const served = JSON.parse(await readFile(join(records, 'serve.json'), 'utf8'));
    expect(served.counts.submitted).toBe(served.counts.resolved + served.counts.rejected);
    expect(statuses['200']).toBe(served.counts.resolved);
    // Every request the server read got one HTTP answer, and the client got exactly those; the
    // rest were refused or reset at the connection (the server closed it) and never entered.
    for (const [status, count] of Object.entries(served.counts.answeredByStatus)) {
      expect(statuses[status], status).toBe(count);
    }
    const transport = Object.entries(statuses).filter(([status]) => !/^\d+$/.test(status));
    expect(transport.reduce((sum, [, count]) => sum + count, 0)).toBe(
      run.sent -
        Object.values(served.counts.answeredByStatus as Record<string, number>).reduce(
          (sum, count) => sum + count,
          0,
        ),
    );
    const requests = await readJsonLines<RequestRecord>(join(records, 'requests.jsonl'));
    expect(requests).toHaveLength(served.counts.submitted - served.counts.cancelled);
    // The faults showed: function errors and crashes as 502, throttling retried (and mostly hidden).
    expect(statuses['502']).toBeGreaterThan(0);
    console.log(
      `faults + SIGTERM at 4 s: sent ${run.sent}, answered ${Object.entries(statuses)
        .map(([status, count]) => `${status} ${count}`)
        .join(', ')}; mbs serve exited ${exit.code} at ${formatSeconds(exitSeconds)}`,
    );
  });
});

describe('mbs serve reloads its configuration on SIGHUP', () => {
  it('applies a valid file, keeps the configuration in force on an invalid one', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'mbs-serve-hup-'));
    const configPath = join(directory, 'config.json');
    const write = (edges: number[], batchSize: number) =>
      writeFile(
        configPath,
        JSON.stringify({
          schema: 'mbs.configuration',
          version: 1,
          classUpperEdges: edges,
          windows: [
            {
              startSeconds: 0,
              endSeconds: 3600,
              system: {
                buffers: [
                  {
                    firstClass: 0,
                    lastClass: edges.length - 1,
                    batchSize,
                    timeoutSeconds: 0.1,
                    memoryMb: 512,
                  },
                ],
              },
            },
          ],
        }),
      );
    await write([100, 1000], 2);
    // No invocation is made: the provider only has to be constructible.
    const server = await startServeProcess([
      '--config',
      configPath,
      '--provider',
      'local',
      '--endpoint',
      'http://127.0.0.1:9',
    ]);
    try {
      const edges = async () =>
        ((await (await fetch(`${server.url}/v1/routes`)).json()) as { classUpperEdges: number[] })
          .classUpperEdges;
      expect(await edges()).toEqual([100, 1000]);
      await write([50, 500, 5000], 4);
      server.child.kill('SIGHUP');
      const deadline = Date.now() + 10_000;
      while ((await edges()).length !== 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await edges()).toEqual([50, 500, 5000]);
      await writeFile(configPath, '{"schema": "mbs.configuration"');
      server.child.kill('SIGHUP');
      while (!server.stderr().includes('kept the configuration') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(server.stderr()).toMatch(/SIGHUP: kept the configuration in force; .*config\.json/);
      expect(await edges()).toEqual([50, 500, 5000]);
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/mbs_configuration_changes 2/);
      expect(await server.stop()).toBe(0);
    } finally {
      await server.stop('SIGKILL');
      await rm(directory, { recursive: true, force: true });
    }
  });
});
