/**
 * Size and time of the report for the Azure LLM conversation trace (../shared/data) solved with 33
 * classes (the DeepSpeech Lambda profile, p95 <= 9 s) and replayed through the chosen
 * configuration: the whole `mbs report --solve --replay --profile` process, against `mbs --version`
 * (the CLI's start-up) measured in the same run, and `buildReport` alone in this process; wall
 * time and each process's CPU time (on a shared machine the wall time is mostly the wait for a
 * core). Goals: under 2 MB, written in under 2 s. The solve and the replay are made once, untimed, with the
 * built CLI (`npx turbo run build` first; `npm run bench` at the root builds).
 * Run: `npm run bench -w @mbs/report`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { type BenchResult, measure, printBenchTable } from '@mbs/test-utils';
import {
  buildReport,
  parseProfileDocument,
  parseSolveDocument,
  reportSections,
} from '../src/index.js';

const RUNS = Number(process.env.MBS_BENCH_RUNS ?? 5);
const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const data = path.resolve(repositoryRoot, '..', 'shared', 'data');
const trace = path.join(data, 'azure-llm-conv-2023.csv');
const profilePath = path.join(data, 'deepspeech-lambda-service-time.json');
const cli = path.join(repositoryRoot, 'apps', 'cli', 'dist', 'bin.js');
const SIZE_GOAL_BYTES = 2 * 1024 * 1024;
const TIME_GOAL_MS = 2000;

if (!existsSync(trace) || !existsSync(profilePath)) {
  console.log(
    `report bench skipped: ${trace} or ${profilePath} is absent (the reference data lives in ../shared/data beside the clone).`,
  );
  process.exit(0);
}
if (!existsSync(cli)) {
  console.log(`report bench skipped: ${cli} is not built; run npx turbo run build first.`);
  process.exit(0);
}

// CPU time (user + system) of a CLI process, printed by a hook at its exit: on a machine shared
// with other jobs, wall time mostly measures the wait for a core, CPU time the work itself.
const CPU_HOOK = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('MBS_CPU_MS '+(u.user+u.system)/1000+'\\n')})`;
const cpuMs: Record<string, number[]> = {};
const startup = 'mbs --version (start-up)';
const whole = 'mbs report (whole process)';
function mbsTimed(name: string, args: readonly string[]): void {
  const child = spawnSync(process.execPath, ['--import', CPU_HOOK, cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (child.status !== 0) throw new Error(`mbs ${args.join(' ')} failed: ${child.stderr}`);
  const match = child.stderr.match(/MBS_CPU_MS ([\d.]+)/);
  if (!match) return;
  const list = cpuMs[name] ?? [];
  list.push(Number(match[1]));
  cpuMs[name] = list;
}
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};

const directory = mkdtempSync(path.join(tmpdir(), 'mbs-report-bench-'));
const mbs = (args: readonly string[]) =>
  execFileSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 1 << 28,
  });
try {
  const solvePath = path.join(directory, 'solve.json');
  const config = path.join(directory, 'config.json');
  const replay = path.join(directory, 'replay');
  const out = path.join(directory, 'report.html');
  console.log('Solving the Azure trace with 33 classes (untimed; about half a minute)...');
  const solved = mbs([
    'solve',
    '--trace',
    trace,
    '--classes',
    '33',
    '--profile',
    profilePath,
    '--slo',
    '9',
    '--json',
    '--out',
    config,
  ]);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(solvePath, solved);
  console.log('Replaying the trace through the configuration (untimed)...');
  mbs([
    'simulate',
    '--config',
    config,
    '--trace',
    trace,
    '--profile',
    profilePath,
    '--records',
    replay,
  ]);
  const reportArgs = [
    'report',
    '--solve',
    solvePath,
    '--replay',
    replay,
    '--profile',
    profilePath,
    '--out',
    out,
  ];

  const results: BenchResult[] = [];
  results.push(
    await measure(startup, () => mbsTimed(startup, ['--version']), { warmup: 1, runs: RUNS }),
  );
  results.push(await measure(whole, () => mbsTimed(whole, reportArgs), { warmup: 1, runs: RUNS }));
  const bytes = statSync(out).size;

  // The package's own part: building the page from inputs already read.
  const lines = <T>(file: string) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as T);
  const inputs = {
    solve: {
      source: solvePath,
      document: parseSolveDocument(JSON.parse(solved), solvePath).document,
    },
    replay: {
      source: replay,
      requests: lines<RequestRecord>(path.join(replay, 'requests.jsonl')),
      batches: lines<BatchRecord>(path.join(replay, 'batches.jsonl')),
    },
    profile: parseProfileDocument(JSON.parse(readFileSync(profilePath, 'utf8')), profilePath),
  };
  results.push(
    await measure('buildReport (in process)', () => buildReport(inputs), { warmup: 2, runs: RUNS }),
  );
  printBenchTable('Report of the Azure trace, 33 classes, replayed', results, startup);
  const charts = reportSections(inputs).reduce((sum, section) => sum + section.figures.length, 0);
  const wall = results[1]!;
  const cpu = median(cpuMs[whole]!.slice(-RUNS));
  console.log(
    `CPU time (user + system) median: ${startup} ${median(cpuMs[startup]!.slice(-RUNS)).toFixed(0)} ms, ${whole} ${cpu.toFixed(0)} ms (goal < ${TIME_GOAL_MS} ms: ${cpu < TIME_GOAL_MS ? 'met' : 'MISSED'}); load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(', ')} on ${availableParallelism()} cores`,
  );
  console.log(
    `report: ${(bytes / 1024).toFixed(0)} KB (goal < ${SIZE_GOAL_BYTES / 1024 / 1024} MB: ${bytes < SIZE_GOAL_BYTES ? 'met' : 'MISSED'}), ${charts} charts, ${inputs.replay.requests.length} requests replayed; ` +
      `mbs report wall median ${wall.medianMs.toFixed(0)} ms (goal < ${TIME_GOAL_MS} ms: ${wall.medianMs < TIME_GOAL_MS ? 'met' : 'MISSED'}), p90 ${wall.p90Ms.toFixed(0)} ms`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
