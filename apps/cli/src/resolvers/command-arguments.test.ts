import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchRecord, InvocationRecord, RequestRecord } from '@mbs/core';
import { captureIo } from '@mbs/test-utils';
import { generateSyntheticTrace, writeTraceCsv } from '@mbs/trace-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { main } from '../main.js';
import {
  JSON_LINES_READER_SOURCE,
  PRICING_AND_PROVIDER_SOURCE,
} from '../testing/plugin-modules.js';
import { SMALL_SOLVE_GRID } from '../testing/small-solve-grid.js';

// Every command that takes a trace, a workload, a profile or a pricing resolves it the same way:
// each row gives one argument to mbs solve, then the same argument to mbs simulate, mbs run and
// mbs logs summarize of what solve wrote, and each must accept it and report it.

let directory: string;
const path = (name: string) => join(directory, name);
let csv: string;
let jsonl: string;
let pair: string;
let plugins: string;

/** An MBS-format profile of 8 classes (as the default workload's), batch 1..8, 512..2048 MB. */
function profileJson(): string {
  const row = (base: number) => Array.from({ length: 8 }, (_, batch) => base * (1 + 0.6 * batch));
  const classes = (base: number) => Array.from({ length: 8 }, (_, c) => row(base * (1 + c / 2)));
  return JSON.stringify({
    service_time: { '512': classes(70), '1024': classes(40), '2048': classes(25) },
  });
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-command-arguments-'));
  csv = path('trace.csv');
  await writeTraceCsv(generateSyntheticTrace({ seed: 4, count: 4000 }), csv);
  const lines: string[] = [];
  for await (const arrival of generateSyntheticTrace({ seed: 4, count: 4000 })) {
    lines.push(JSON.stringify({ t: arrival.timeSeconds, size: arrival.size }));
  }
  jsonl = path('trace.jsonl');
  await writeFile(jsonl, `${lines.join('\n')}\n`);
  // Twitter hour 1, as published with the BATCH and MBS solvers.
  await writeFile(path('D0.csv'), '-14.625001,0.000000\n0.000000,-35.171226\n');
  await writeFile(path('D1.csv'), '0.051020,14.573981\n0.063796,35.107429\n');
  pair = `${path('D0.csv')},${path('D1.csv')}`;
  await writeFile(path('profile.json'), profileJson());
  plugins = path('plugins.mjs');
  await writeFile(
    plugins,
    `${JSON_LINES_READER_SOURCE}\n${PRICING_AND_PROVIDER_SOURCE.replace(
      'export default { plugins: {',
      "export default { plugins: { 'trace-reader': [jsonLinesReader],",
    )}`,
  );
  expect(await mbs('fit', csv, '--out', path('workload.json'))).toBe(EXIT_OK);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

let lastOut = '';
let lastErr = '';
/** Runs mbs with the plugin module loaded; keeps its output for the next assertions. */
async function mbs(...args: string[]): Promise<number> {
  const io = captureIo();
  const code = await main([...args, '--plugin', plugins], io);
  lastOut = io.out();
  lastErr = io.err();
  return code;
}

async function json(...args: string[]) {
  const code = await mbs(...args, '--json');
  expect(code, `mbs ${args.join(' ')}: ${lastErr}`).toBe(EXIT_OK);
  return JSON.parse(lastOut);
}

/** The platform's invocation records of a run with the echo provider, from its batch records. */
async function writeInvocations(runDirectory: string): Promise<void> {
  const run = JSON.parse(await readFile(join(runDirectory, 'run.json'), 'utf8'));
  const batches = (await readFile(join(runDirectory, 'batches.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as BatchRecord);
  const invocations: InvocationRecord[] = batches.map((batch) => ({
    requestId: batch.invocationId!,
    functionName: run.functionNames[0][batch.buffer],
    durationMs: batch.durationMs,
    billedDurationMs: batch.billedDurationMs ?? Math.ceil(batch.durationMs),
    memorySizeMb: batch.memoryMb,
    maxMemoryUsedMb: 64,
  }));
  await writeFile(
    join(runDirectory, 'invocations.jsonl'),
    invocations.map((record) => `${JSON.stringify(record)}\n`).join(''),
  );
}

/** Share of requests of each class in a records file. */
async function classShares(requestsPath: string, classCount: number): Promise<number[]> {
  const requests = (await readFile(requestsPath, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RequestRecord);
  const counts = new Array<number>(classCount).fill(0);
  for (const request of requests) counts[request.classId] = (counts[request.classId] ?? 0) + 1;
  return counts.map((count) => count / requests.length);
}

interface Row {
  readonly label: string;
  /** The argument under test. */
  readonly args: () => string[];
  /** Which commands take it: traces go to run as well, workloads and profiles do not. */
  readonly kind: 'trace' | 'workload' | 'profile' | 'pricing';
  readonly profile?: string;
  readonly pricing?: string;
}

const SOLVE = [...SMALL_SOLVE_GRID, '--no-baselines', '--slo', '3'];
const DEFAULT_TRACE = 'synthetic:seed=3,count=5000';

const rows: Row[] = [
  { label: 'a CSV trace', kind: 'trace', args: () => ['--trace', csv] },
  { label: 'a synthetic trace', kind: 'trace', args: () => ['--trace', DEFAULT_TRACE] },
  { label: 'a MAP pair as a trace', kind: 'trace', args: () => ['--trace', pair] },
  {
    label: 'a trace of a plugin format',
    kind: 'trace',
    args: () => ['--trace', jsonl, '--format', 'jsonl'],
  },
  {
    label: 'a workload document',
    kind: 'workload',
    args: () => ['--workload', path('workload.json')],
  },
  { label: 'a MAP pair as a workload', kind: 'workload', args: () => ['--workload', pair] },
  {
    label: 'the parametric profile',
    kind: 'profile',
    args: () => ['--profile', 'parametric'],
    profile: 'parametric',
  },
  {
    label: 'a profile file',
    kind: 'profile',
    args: () => ['--profile', path('profile.json')],
    profile: 'profile',
  },
  {
    label: 'a built-in pricing',
    kind: 'pricing',
    args: () => ['--pricing', 'aws-arm64'],
    pricing: 'aws-arm64',
  },
  {
    label: 'a plugin pricing',
    kind: 'pricing',
    args: () => ['--pricing', 'double-x86'],
    pricing: 'double-x86',
  },
];

describe('the same arguments in solve, simulate, run and logs summarize', () => {
  for (const row of rows) {
    it(`accepts ${row.label}`, async () => {
      const config = path(`${row.label.replace(/ /g, '-')}.json`);
      const solved = await json('solve', ...row.args(), ...SOLVE, '--out', config);
      expect(solved.profile).toBe(row.profile ?? 'parametric');
      expect(solved.pricing).toBe(row.pricing ?? 'aws-x86');

      // simulate: the same argument against the configuration; a profile or pricing row
      // replays the default trace.
      const source =
        row.kind === 'trace' || row.kind === 'workload' ? [] : ['--trace', DEFAULT_TRACE];
      const records = path(`${row.label.replace(/ /g, '-')}-records`);
      const simulated = await json(
        'simulate',
        '--config',
        config,
        ...row.args(),
        ...source,
        '--requests',
        '4000',
        '--records',
        records,
      );
      expect(simulated.profile).toBe(row.profile ?? 'parametric');
      expect(simulated.pricing).toBe(row.pricing ?? 'aws-x86');
      expect(simulated.summary.overall.requests).toBe(4000);
      if (row.args().includes(pair)) {
        // A MAP's requests spread over the configuration's classes (equal shares), as the model
        // assumed; they used to land in class 0 and cost a twelfth of the prediction.
        const shares = await classShares(join(records, 'requests.jsonl'), 8);
        for (const share of shares) expect(Math.abs(share - 1 / 8)).toBeLessThan(0.03);
        const predicted = solved.windows[0].solution.costPerRequestUsd;
        expect(simulated.summary.overall.costPerRequestUsd / predicted).toBeGreaterThan(0.8);
        expect(simulated.summary.overall.costPerRequestUsd / predicted).toBeLessThan(1.25);
      }
      if (row.kind === 'workload' || row.kind === 'profile') return;

      // run (with the in-process echo provider of the plugin module) and logs summarize.
      const runDirectory = path(`${row.label.replace(/ /g, '-')}-run`);
      const trace = row.kind === 'trace' ? row.args() : ['--trace', csv];
      const run = await json(
        'run',
        '--config',
        config,
        ...trace,
        ...(row.kind === 'pricing' ? row.args() : []),
        '--provider',
        'echo',
        '--speed',
        '1000',
        '--limit',
        '300',
        '--input',
        'size',
        '--out',
        runDirectory,
      );
      expect(run.counts).toMatchObject({ submitted: 300, resolved: 300, rejected: 0 });
      expect(run.pricing).toBe(row.pricing ?? 'aws-x86');
      if (row.args().includes(pair)) {
        const shares = await classShares(join(runDirectory, 'requests.jsonl'), 8);
        expect(shares.filter((share) => share > 0).length).toBeGreaterThanOrEqual(6);
      }
      await writeInvocations(runDirectory);
      const summary = await json(
        'logs',
        'summarize',
        runDirectory,
        ...(row.kind === 'pricing' ? row.args() : []),
      );
      expect(summary.pricing).toBe(row.pricing ?? 'aws-x86');
      expect(summary.join.matched).toBe(summary.invocations.batches);
    }, 60_000);
  }
});

describe('bugs of issue 16', () => {
  it('solve --profile parametric is the default profile, not a file to read', async () => {
    const named = await json('solve', '--profile', 'parametric', ...SOLVE);
    const unnamed = await json('solve', ...SOLVE);
    expect(named.windows[0].solution.system).toEqual(unnamed.windows[0].solution.system);
    expect(named.windows[0].solution.costPerRequestUsd).toBe(
      unnamed.windows[0].solution.costPerRequestUsd,
    );
  });

  it('solve --workload D0,D1 needs no --profile: the parametric profile gives the classes', async () => {
    const solved = await json('solve', '--workload', pair, ...SOLVE);
    expect(solved.configuration.classUpperEdges).toHaveLength(8);
    expect(solved.feasible).toBe(true);
  });

  it('simulate --config of solve --out with a profile file needs no --profile, and says when the file moved or changed', async () => {
    const profile = path('moving-profile.json');
    await writeFile(profile, profileJson());
    const config = path('solved-with-file.json');
    const solved = await json(
      'solve',
      '--workload',
      pair,
      '--profile',
      profile,
      ...SOLVE,
      '--out',
      config,
    );
    expect(solved.configuration.profileSource).toMatchObject({ kind: 'file', path: profile });
    // The MAP's requests take the profile's classes in the replay as in the model, so the
    // replayed cost is the predicted one (it was 12 times lower when they all fell in class 0).
    const simulated = await json(
      'simulate',
      '--config',
      config,
      '--trace',
      pair,
      '--requests',
      '20000',
    );
    expect(simulated.profile).toBe('moving-profile');
    const ratio =
      simulated.summary.overall.costPerRequestUsd / solved.windows[0].solution.costPerRequestUsd;
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);

    const failure = async () => {
      const code = await mbs('simulate', '--config', config, '--workload', pair, '--json');
      return { code, error: JSON.parse(lastOut).error, err: lastErr };
    };
    await writeFile(profile, profileJson().replace('"512"', '"768"'));
    expect(await failure()).toMatchObject({
      code: EXIT_RUNTIME_ERROR,
      error: { code: 'CONFIG_INVALID' },
      err: expect.stringContaining(`${profile}, which has changed since`),
    });
    await rm(profile);
    expect(await failure()).toMatchObject({
      code: EXIT_RUNTIME_ERROR,
      error: { code: 'IO' },
      err: expect.stringMatching(
        /moving-profile\.json, which cannot be read now \(ENOENT\); pass --profile FILE/,
      ),
    });
    // Given again, the profile is used as it is now.
    await writeFile(path('elsewhere.json'), profileJson());
    const given = await json(
      'simulate',
      '--config',
      config,
      '--workload',
      pair,
      '--profile',
      path('elsewhere.json'),
    );
    expect(given.profile).toBe('elsewhere');

    // A configuration from before profile sources names the profile only.
    const { profileSource: _source, ...old } = JSON.parse(await readFile(config, 'utf8'));
    await writeFile(path('old.json'), JSON.stringify(old));
    const code = await mbs('simulate', '--config', path('old.json'), '--workload', pair);
    expect(code).toBe(EXIT_RUNTIME_ERROR);
    expect(lastErr).toMatch(
      /names the profile "moving-profile" but not where it came from .*; pass --profile/,
    );
  }, 60_000);
});
