/**
 * A day of hourly windows through `mbs solve`, as a user re-plans it: the 24 Twitter hours as one
 * workload (33 classes, DeepSpeech profile, the CLI's default grid, SLO 9 s, no baselines), solved
 * with `--threads 1` and with `--threads N` (N = MBS_BENCH_THREADS, default the cores, at most 24)
 * in this process through the CLI's `main`. Prints wall and CPU seconds of each (process CPU,
 * worker threads included), the speed-up in wall time, and whether the two JSON results are
 * identical (the seconds each search took aside). Goal: <= 20 s for the day; identical results.
 * On a shared machine wall time depends on the load, printed beside it. Needs ../shared/data.
 * Run: `npm run bench -w @mbs/validation` (MBS_BENCH_WINDOW_RUNS=n runs of each, default 1).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '@mbs/cli';
import type { WorkloadDocument } from '@mbs/core';
import { arrivalRate } from '@mbs/markov';
import { readMapFiles } from '@mbs/trace-formats';
import { dataDirectory, deepSpeechProfilePath, realDataPresent } from '../src/real-data.js';

const RUNS = Number(process.env.MBS_BENCH_WINDOW_RUNS ?? 1);
const THREADS = Number(process.env.MBS_BENCH_THREADS ?? Math.min(24, os.availableParallelism()));

if (!realDataPresent()) {
  console.log(`solve-windows bench: ${dataDirectory} is absent; nothing to measure.`);
  process.exit(0);
}

const CLASSES = 33;
const windows = await Promise.all(
  Array.from({ length: 24 }, async (_, hour) => {
    const directory = path.join(dataDirectory, 'twitter-maps');
    const map = await readMapFiles(
      path.join(directory, `hour${hour + 1}_D0.csv`),
      path.join(directory, `hour${hour + 1}_D1.csv`),
    );
    return {
      startSeconds: hour * 3600,
      endSeconds: (hour + 1) * 3600,
      arrivals: Math.round(arrivalRate(map) * 3600),
      map,
      classShares: new Array<number>(CLASSES).fill(1 / CLASSES),
    };
  }),
);
const workload: WorkloadDocument = {
  schema: 'mbs.workload',
  version: 1,
  source: 'twitter hours 1..24',
  classUpperEdges: Array.from({ length: CLASSES }, (_, classId) => classId + 1),
  classRepresentativeSizes: Array.from({ length: CLASSES }, (_, classId) => classId + 1),
  windows,
};
const scratch = mkdtempSync(path.join(os.tmpdir(), 'mbs-bench-windows-'));
const workloadPath = path.join(scratch, 'twitter-day.json');
writeFileSync(workloadPath, JSON.stringify(workload));

interface Run {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly json: string;
  readonly code: number;
}
async function solveDay(threads: number): Promise<Run> {
  let out = '';
  let err = '';
  const io = {
    stdout: (text: string) => {
      out += text;
    },
    stderr: (text: string) => {
      err += text;
    },
    stderrIsTty: false,
  };
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const code = await main(
    [
      'solve',
      '--workload',
      workloadPath,
      '--profile',
      deepSpeechProfilePath,
      '--slo',
      '9',
      '--no-baselines',
      '--threads',
      String(threads),
      '--json',
    ],
    io,
  );
  const used = process.cpuUsage(cpu);
  if (code !== 0) throw new Error(`mbs solve --threads ${threads} exited ${code}: ${err}`);
  return {
    wallSeconds: (performance.now() - wall) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    json: JSON.stringify(JSON.parse(out), (key, value) =>
      key === 'elapsedSeconds' ? undefined : value,
    ),
    code,
  };
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = (sorted.length - 1) / 2;
  return (sorted[Math.floor(middle)]! + sorted[Math.ceil(middle)]!) / 2;
};
const load = () => `load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;

console.log(
  `24 hourly windows through mbs solve (Twitter hours 1..24, 33 classes, DeepSpeech, default grid, SLO 9 s, no baselines), ${RUNS} run(s) each. ${load()}`,
);
const one: Run[] = [];
const many: Run[] = [];
for (let run = 0; run < RUNS; run++) {
  process.stderr.write(`run ${run + 1}: one thread\n`);
  one.push(await solveDay(1));
  process.stderr.write(`run ${run + 1}: ${THREADS} threads\n`);
  many.push(await solveDay(THREADS));
}
const identical = many.every((run) => run.json === one[0]!.json);
const row = (label: string, runs: readonly Run[]) =>
  `${label.padEnd(12)}  wall ${median(runs.map((run) => run.wallSeconds))
    .toFixed(1)
    .padStart(6)} s  cpu ${median(runs.map((run) => run.cpuSeconds))
    .toFixed(1)
    .padStart(6)} s`;
console.log(row('1 thread', one));
console.log(row(`${THREADS} threads`, many));
console.log(
  `speed-up in wall time: ${(median(one.map((run) => run.wallSeconds)) / median(many.map((run) => run.wallSeconds))).toFixed(2)}x; results identical to one thread: ${identical ? 'yes' : 'NO'}; goal <= 20 s. ${load()}`,
);
rmSync(scratch, { recursive: true, force: true });
if (!identical) process.exitCode = 1;
