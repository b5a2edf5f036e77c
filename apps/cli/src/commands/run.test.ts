import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
import { readJsonLines } from '@mbs/logs';
import { captureIo } from '@mbs/test-utils';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

const ECHO = `exports.handler = async (event) => ({
  results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })),
});`;
const FAILING = `exports.handler = async () => { throw new TypeError('the model is not loaded'); };`;

const buffer = (firstClass: number, lastClass: number, batchSize: number) => ({
  firstClass,
  lastClass,
  firstClassShare: 1,
  lastClassShare: 1,
  batchSize,
  timeoutSeconds: 0.05,
  memoryMb: 512,
});

/** Two buffers over classes (0, 100] and (100, 1000]; with `windows: 2`, B changes at 1 s. */
function configuration(windows: 1 | 2) {
  const window = (startSeconds: number, endSeconds: number, batchSize: number) => ({
    startSeconds,
    endSeconds,
    system: { buffers: [buffer(0, 0, batchSize), buffer(1, 1, batchSize)] },
  });
  return {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: [100, 1000],
    pricing: 'aws-x86',
    windows: windows === 1 ? [window(0, 10, 4)] : [window(0, 1, 4), window(1, 10, 2)],
  };
}

/** `count` arrivals every `gapSeconds`, sizes alternating 50 and 500. */
function traceCsv(count: number, gapSeconds: number): string {
  const lines = ['timeSeconds,size'];
  for (let index = 0; index < count; index++) {
    lines.push(`${(index * gapSeconds).toFixed(3)},${index % 2 === 0 ? 50 : 500}`);
  }
  return `${lines.join('\n')}\n`;
}

interface RunJson {
  startEpochMs: number;
  endEpochMs: number;
  functionNames: string[][];
  windowSwitches: { traceSeconds: number; window: number }[];
  counts: {
    submitted: number;
    resolved: number;
    rejected: number;
    rejectedByCode: Record<string, number>;
    requestRecords: number;
    batchRecords: number;
  };
  summary: { batches: number; costUsd: number; buffers: { buffer: number; requests: number }[] };
}

describe('mbs run', () => {
  let emulator: EmulatorServer;
  let directory: string;
  let tracePath: string;
  const paths = (name: string) => join(directory, name);
  beforeAll(async () => {
    emulator = await startEmulatorServer({ port: 0, cpuScaling: false });
    directory = await mkdtemp(join(tmpdir(), 'mbs-run-'));
    tracePath = paths('trace.csv');
    await writeFile(tracePath, traceCsv(40, 0.05));
    await writeFile(paths('one.json'), JSON.stringify(configuration(1)));
    await writeFile(paths('two.json'), JSON.stringify(configuration(2)));
    await writeFile(paths('echo.zip'), zipSync({ 'index.js': strToU8(ECHO) }));
    await writeFile(paths('failing.zip'), zipSync({ 'index.js': strToU8(FAILING) }));
  });
  afterAll(async () => {
    await emulator?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const local = (prefix: string) => [
    '--provider',
    'local',
    '--endpoint',
    emulator.url,
    '--prefix',
    prefix,
  ];
  const deploy = async (config: string, zip: string, prefix: string) => {
    const io = captureIo();
    const code = await main(
      ['deploy', '--config', paths(config), '--zip', paths(zip), ...local(prefix)],
      io,
    );
    expect(code, io.err()).toBe(EXIT_OK);
  };
  const run = async (config: string, prefix: string, out: string, extra: string[] = []) => {
    const io = captureIo();
    const code = await main(
      [
        'run',
        '--config',
        paths(config),
        '--trace',
        tracePath,
        '--speed',
        '10',
        ...local(prefix),
        '--out',
        paths(out),
        ...extra,
      ],
      io,
    );
    const document = JSON.parse(await readFile(join(paths(out), 'run.json'), 'utf8')) as RunJson;
    return { code, io, document };
  };

  it('refuses bad options with exit 2 and names them', async () => {
    const cases: [string[], RegExp][] = [
      [['--speed', '0'], /--speed/],
      [['--speed', 'Infinity'], /--speed/],
      [['--limit', '2.5'], /--limit/],
      [['--provider', 'local'], /--endpoint/],
      [['--provider', 'local', '--endpoint', 'http://127.0.0.1:1', '--pricing', 'gcp'], /gcp/],
    ];
    for (const [extra, message] of cases) {
      const io = captureIo();
      const code = await main(
        ['run', '--config', paths('one.json'), '--trace', tracePath, '--out', paths('x'), ...extra],
        io,
      );
      expect(code, extra.join(' ')).toBe(EXIT_USAGE);
      expect(io.err()).toMatch(message);
    }
  });

  it('replays a trace and records every request and batch', async () => {
    await deploy('one.json', 'echo.zip', 'runok');
    const { code, io, document } = await run('one.json', 'runok', 'ok', ['--limit', '30']);
    expect(code, io.err()).toBe(EXIT_OK);
    expect(document.counts).toMatchObject({
      submitted: 30,
      resolved: 30,
      rejected: 0,
      requestRecords: 30,
    });
    expect(document.functionNames).toEqual([['runok-b0', 'runok-b1']]);
    const requests = await readJsonLines<RequestRecord>(join(paths('ok'), 'requests.jsonl'));
    const batches = await readJsonLines<BatchRecord>(join(paths('ok'), 'batches.jsonl'));
    expect(new Set(requests.map((request) => request.requestId)).size).toBe(30);
    expect(batches.reduce((sum, batch) => sum + batch.size, 0)).toBe(30);
    expect(document.counts.batchRecords).toBe(batches.length);
    // Sizes 50 go to buffer 0 and sizes 500 to buffer 1, half each.
    expect(requests.filter((request) => request.buffer === 0)).toHaveLength(15);
    expect(requests.every((request) => request.buffer === (request.size === 50 ? 0 : 1))).toBe(
      true,
    );
    // Record times are seconds from the run's start: 30 arrivals 0.05 s apart at speed 10.
    const lastArrival = Math.max(...requests.map((request) => request.arrivalSeconds));
    expect(lastArrival).toBeGreaterThanOrEqual(29 * 0.005 - 0.002);
    expect(lastArrival).toBeLessThan(1);
    for (const request of requests) {
      expect(request.latencySeconds).toBeCloseTo(
        request.completionSeconds - request.arrivalSeconds,
        9,
      );
    }
    expect(document.endEpochMs - document.startEpochMs).toBeGreaterThan(lastArrival * 1000);
    const batchCost = batches.reduce((sum, batch) => sum + batch.costUsd, 0);
    expect(document.summary.costUsd).toBeCloseTo(batchCost, 15);
    expect(batchCost).toBeGreaterThan(0);
    expect(io.out()).toContain('resolved 30, rejected 0');
    expect(io.out()).toContain('runok-b1');
    expect(io.err()).toMatch(/mbs run: 30 submitted, 30 resolved/);
  });

  it('counts requests whose function fails as rejected, by code, and exits 1', async () => {
    await deploy('one.json', 'failing.zip', 'runfail');
    const { code, io, document } = await run('one.json', 'runfail', 'fail', ['--json']);
    expect(code, io.err()).toBe(EXIT_RUNTIME_ERROR);
    expect(io.err()).toContain(
      'mbs: run failed: 40 of 40 requests failed (100.00 %), more than --max-failed 0',
    );
    // The same run passes when failures are tolerated.
    const tolerated = await run('one.json', 'runfail', 'fail', ['--force', '--max-failed', '1']);
    expect(tolerated.code, tolerated.io.err()).toBe(EXIT_OK);
    expect(document.counts).toMatchObject({
      submitted: 40,
      resolved: 0,
      rejected: 40,
      rejectedByCode: { FUNCTION_ERROR: 40 },
      requestRecords: 40,
    });
    expect(JSON.parse(io.out())).toEqual(document);
  });

  it('refuses a run folder that holds results unless --force, which clears them', async () => {
    await deploy('one.json', 'echo.zip', 'runforce');
    const first = await run('one.json', 'runforce', 'force', ['--limit', '4']);
    expect(first.code, first.io.err()).toBe(EXIT_OK);
    await writeFile(join(paths('force'), 'invocations.jsonl'), '{"stale": true}\n');
    await writeFile(join(paths('force'), 'notes.txt'), 'mine');
    const io = captureIo();
    const refused = await main(
      [
        'run',
        '--config',
        paths('one.json'),
        '--trace',
        tracePath,
        ...local('runforce'),
        '--out',
        paths('force'),
      ],
      io,
    );
    expect(refused).toBe(EXIT_RUNTIME_ERROR);
    expect(io.err()).toContain(
      `--out ${paths('force')} already holds the results of a run (requests.jsonl, batches.jsonl, run.json, invocations.jsonl); give a new folder, or --force`,
    );
    const forced = await run('one.json', 'runforce', 'force', ['--limit', '6', '--force']);
    expect(forced.code, forced.io.err()).toBe(EXIT_OK);
    expect(forced.document.counts.submitted).toBe(6);
    const requests = await readJsonLines<RequestRecord>(join(paths('force'), 'requests.jsonl'));
    expect(requests).toHaveLength(6);
    await expect(readFile(join(paths('force'), 'invocations.jsonl'))).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(paths('force'), 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('stops early and exits 1 when every function is missing', async () => {
    const { code, io, document } = await run('one.json', 'nosuchfunctions', 'missing', [
      '--stop-after-refused',
      '2',
    ]);
    expect(code).toBe(EXIT_RUNTIME_ERROR);
    const verdict = (
      document as unknown as { verdict: { stoppedBecause?: string; failure?: string } }
    ).verdict;
    expect(verdict.stoppedBecause).toMatch(
      /^the first 2 batches were all refused by the provider \(nosuchfunctions-b/,
    );
    expect(io.err()).toContain(
      'mbs: run failed: stopped early: the first 2 batches were all refused',
    );
    expect(document.counts.submitted).toBe(document.counts.resolved + document.counts.rejected);
    expect(document.counts.resolved).toBe(0);
    expect(io.out()).not.toMatch(/NaN/);
  });

  it('fails the requests of an invocation that never answers after --invocation-timeout', async () => {
    // An endpoint that accepts connections and never answers: a frozen emulator or proxy.
    const sockets = new Set<import('node:net').Socket>();
    const frozen: Server = createServer(() => {});
    frozen.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => frozen.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(frozen.address() as AddressInfo).port}`;
    try {
      const io = captureIo();
      const started = Date.now();
      const code = await main(
        [
          'run',
          '--config',
          paths('one.json'),
          '--trace',
          tracePath,
          '--limit',
          '4',
          '--provider',
          'local',
          '--endpoint',
          endpoint,
          '--invocation-timeout',
          '0.5',
          '--out',
          paths('frozen'),
        ],
        io,
      );
      expect(code).toBe(EXIT_RUNTIME_ERROR);
      expect(Date.now() - started).toBeLessThan(30_000);
      const document = JSON.parse(
        await readFile(join(paths('frozen'), 'run.json'), 'utf8'),
      ) as RunJson;
      expect(document.counts).toMatchObject({ submitted: 4, resolved: 0, rejected: 4 });
      const requests = await readJsonLines<RequestRecord>(join(paths('frozen'), 'requests.jsonl'));
      expect(requests).toHaveLength(4);
      for (const request of requests) {
        expect(request.error?.message).toMatch(/within 0\.5 s \(invocationTimeoutSeconds\)/);
      }
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => frozen.close(resolve));
    }
  });

  it('follows the windows of a schedule by trace time and uses their functions', async () => {
    await deploy('two.json', 'echo.zip', 'runwin');
    const { code, io, document } = await run('two.json', 'runwin', 'windows');
    expect(code, io.err()).toBe(EXIT_OK);
    expect(document.functionNames).toEqual([
      ['runwin-w0-b0', 'runwin-w0-b1'],
      ['runwin-w1-b0', 'runwin-w1-b1'],
    ]);
    expect(document.windowSwitches).toEqual([
      { traceSeconds: 0, window: 0 },
      { traceSeconds: 1, window: 1 },
    ]);
    expect(document.counts.resolved).toBe(40);

    const collect = captureIo();
    const collected = await main(
      [
        'logs',
        'collect',
        '--config',
        paths('two.json'),
        '--since',
        new Date(document.startEpochMs - 1000).toISOString(),
        '--until',
        String(Math.ceil(document.endEpochMs) + 1000),
        '--out',
        paths('windows'),
        ...local('runwin'),
        '--json',
      ],
      collect,
    );
    expect(collected, collect.err()).toBe(EXIT_OK);
    const result = JSON.parse(collect.out()) as {
      invocations: number;
      functions: { functionName: string; invocations: number }[];
    };
    expect(result.invocations).toBe(document.counts.batchRecords);
    // Arrivals before 1 s went to window 0's functions, the rest to window 1's.
    for (const entry of result.functions)
      expect(entry.invocations, entry.functionName).toBeGreaterThan(0);
  });
});
