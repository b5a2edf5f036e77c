/**
 * Solve speed at every SLO, as users run `mbs solve`: 33 classes (DeepSpeech profile), auto
 * buffers, the CLI's default grid (split classes at 0.5, B 1..25, T 5 ms..1 s in 12 steps refined
 * to 1 ms, every profile memory) on Twitter hours 1 and 8 and the Azure conversation trace:
 * - each SLO from the latency floor (the least p95 any configuration reaches) to 10x it: CPU
 *   seconds per solve (median, p10, p90), evaluations and cost;
 * - an SLO under the floor (infeasible): time to the best achievable percentile;
 * - the 24 Twitter hours at SLO 9 s, one solve each;
 * - a sweep of 10 SLOs (`sweepSlos`, one shared evaluator) against one solve (and the baseline's
 *   sweep against its one solve, with MBS_BENCH_BASELINE).
 * Times are CPU seconds of this process (process.cpuUsage; solves run on one thread), which stay
 * meaningful on a shared machine; wall seconds are printed beside them with the load average.
 * With MBS_BENCH_BASELINE=<a built checkout> (e.g. /work/wt-base), the same problems are solved
 * by that checkout's optimizer in the same run: its time and cost are printed beside ours, and a
 * cost of ours above the baseline's is flagged. Needs ../shared/data (says so and stops without).
 * Run: `npm run bench -w @mbs/validation` (MBS_BENCH_RUNS=n for more runs, default 3;
 * MBS_BENCH_PARTS=sweep, or any of slo,infeasible,windows,sweep comma-separated, for those parts
 * alone).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { usdPerMillionRequests } from '@mbs/core';
import {
  batchSizeGrid,
  createFrontierStrategy,
  latencyFloor,
  type OptimizationProblem,
  type SearchBounds,
  type Solution,
  sweepSlos,
  timeoutGrid,
} from '@mbs/optimizer';
import { createAwsPricing } from '@mbs/pricing-aws';
import { readMbsProfile } from '@mbs/profiles';
import { createCsvTraceReader, readMapFiles } from '@mbs/trace-formats';
import { fitWorkload } from '@mbs/traces';
import { dataDirectory, deepSpeechProfilePath, realDataPresent } from '../src/real-data.js';
import { at, spread } from './run-spread.js';

const RUNS = Number(process.env.MBS_BENCH_RUNS ?? 3);
/** SLOs as multiples of the floor (MBS_BENCH_SLO_FACTORS=1,2,5,10 for a shorter run). */
const SLO_FACTORS = (process.env.MBS_BENCH_SLO_FACTORS ?? '1,1.5,2,3,5,10').split(',').map(Number);
const baselinePath = process.env.MBS_BENCH_BASELINE;
const PART_NAMES = ['slo', 'infeasible', 'windows', 'sweep'] as const;
/** The parts to run (MBS_BENCH_PARTS, default all). */
const parts = new Set(
  (process.env.MBS_BENCH_PARTS ?? PART_NAMES.join(',')).split(',').map((part) => part.trim()),
);
for (const part of parts) {
  if (!(PART_NAMES as readonly string[]).includes(part)) {
    console.error(
      `MBS_BENCH_PARTS: "${part}" is not a part; give some of ${PART_NAMES.join(',')} (comma-separated)`,
    );
    process.exit(2);
  }
}

if (!realDataPresent()) {
  console.log(`solve-slo bench: ${dataDirectory} is absent; nothing to measure.`);
  process.exit(0);
}

type Search = (problem: OptimizationProblem) => Promise<Solution>;
type Sweep = typeof sweepSlos;
const ours: Search = (problem) => createFrontierStrategy().search(problem);
let baseline: Search | undefined;
let baselineSweep: Sweep | undefined;
if (baselinePath) {
  const entry = path.join(baselinePath, 'packages', 'optimizer', 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`MBS_BENCH_BASELINE: ${entry} is not there (build it)`);
  const module = (await import(entry)) as {
    createFrontierStrategy: typeof createFrontierStrategy;
    createModelEvaluator: (problem: OptimizationProblem) => unknown;
    sweepSlos?: Sweep;
  };
  baselineSweep = module.sweepSlos;
  // Older checkouts take the evaluator factory as a required option.
  baseline = (problem) =>
    module
      .createFrontierStrategy({
        createEvaluator: module.createModelEvaluator as never,
      })
      .search(problem);
}

const profile = await readMbsProfile(deepSpeechProfilePath);
const pricing = createAwsPricing({ architecture: 'x86_64' });
/** `mbs solve`'s default grid for this profile. */
const bounds: SearchBounds = {
  maxBuffers: 6,
  batchSizes: batchSizeGrid(1, Math.min(25, profile.maxBatchSize)),
  timeoutsSeconds: timeoutGrid(0.005, 1, 12, 0.001),
  memoriesMb: [...profile.memorySizesMb],
  splitShares: [0.5],
  refineTimeoutResolutionSeconds: 0.001,
};
interface Workload {
  readonly name: string;
  readonly map: OptimizationProblem['map'];
  readonly classShares: readonly number[];
  readonly sizes: readonly number[];
}
const equalShares = new Array<number>(33).fill(1 / 33);
const sizes33 = Array.from({ length: 33 }, (_, classId) => classId + 1);
async function twitterHour(hour: number): Promise<Workload> {
  const directory = path.join(dataDirectory, 'twitter-maps');
  const map = await readMapFiles(
    path.join(directory, `hour${hour}_D0.csv`),
    path.join(directory, `hour${hour}_D1.csv`),
  );
  return { name: `twitter hour ${hour}`, map, classShares: equalShares, sizes: sizes33 };
}
async function azureConversation(): Promise<Workload> {
  const fitted = await fitWorkload(
    createCsvTraceReader().read(path.join(dataDirectory, 'azure-llm-conv-2023.csv')),
    { classes: { by: 'quantile', count: 33 } },
  );
  const window = fitted.windows[0]!;
  return {
    name: 'azure conversation',
    map: window.map,
    classShares: window.classShares,
    sizes: fitted.classRepresentativeSizes,
  };
}
const problemOf = (workload: Workload, sloSeconds: number): OptimizationProblem => ({
  map: workload.map,
  classShares: workload.classShares,
  classRepresentativeSizes: workload.sizes,
  profile,
  pricing,
  percentile: 0.95,
  constraint: { mode: 'latency', sloSeconds },
  bounds,
});

interface Timed {
  readonly cpuSeconds: number[];
  readonly wallSeconds: number[];
  readonly solution: Solution;
}
/** Solves `runs` times (each on a fresh problem object, so nothing is cached between runs). */
async function timed(search: Search, problem: () => OptimizationProblem, runs: number) {
  const cpuSeconds: number[] = [];
  const wallSeconds: number[] = [];
  let solution: Solution | undefined;
  for (let run = 0; run < runs; run++) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    solution = await search(problem());
    const used = process.cpuUsage(cpu);
    cpuSeconds.push((used.user + used.system) / 1e6);
    wallSeconds.push((performance.now() - wall) / 1000);
  }
  return { cpuSeconds, wallSeconds, solution: solution! } satisfies Timed;
}
const usd = (solution: Solution) => usdPerMillionRequests(solution.costPerRequestUsd).toFixed(3);
const load = () => `load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;

function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

// The sweep reads Twitter hour 1 alone (the first workload), so it skips fitting Azure.
const workloads =
  parts.has('slo') || parts.has('infeasible')
    ? [await twitterHour(1), await twitterHour(8), await azureConversation()]
    : [await twitterHour(1)];
if (parts.has('slo')) {
  console.log(
    `Solve at every SLO: 33 classes, DeepSpeech profile, the CLI's default grid (split shares 0.5, B 1..${Math.max(...bounds.batchSizes)}, T ${bounds.timeoutsSeconds.length} steps to 1 s refined to 1 ms, ${bounds.memoriesMb.length} memories, up to 6 buffers), p95. CPU seconds median (p10..p90) of ${RUNS} runs${baseline ? `; before: ${baselinePath}, 1 run` : ''}. Goal: <= 3 s per solve, cost <= before. ${load()}`,
  );
  let worse = 0;
  const rows: string[][] = [];
  for (const workload of workloads) {
    const floor = latencyFloor(problemOf(workload, 1)).percentileSeconds;
    for (const factor of SLO_FACTORS) {
      const slo = Number((floor * factor).toPrecision(4));
      process.stderr.write(`timing ${workload.name} SLO ${slo} s\n`);
      const problem = () => problemOf(workload, slo);
      const now = await timed(ours, problem, RUNS);
      const before = baseline ? await timed(baseline, problem, 1) : undefined;
      const costWorse =
        before !== undefined &&
        now.solution.costPerRequestUsd > before.solution.costPerRequestUsd * (1 + 1e-9);
      if (costWorse) worse++;
      rows.push([
        workload.name,
        `${slo} s (${factor}x)`,
        spread(now.cpuSeconds),
        at(now.wallSeconds, 0.5).toFixed(2),
        String(now.solution.evaluations),
        `${usd(now.solution)}${now.solution.feasible ? '' : ' (infeasible)'}`,
        before ? at(before.cpuSeconds, 0.5).toFixed(2) : '',
        before ? String(before.solution.evaluations) : '',
        before ? `${usd(before.solution)}${costWorse ? ' WORSE' : ''}` : '',
        before ? `${(at(before.cpuSeconds, 0.5) / at(now.cpuSeconds, 0.5)).toFixed(1)}x` : '',
      ]);
    }
  }
  printTable(
    [
      'workload',
      'SLO (x floor)',
      'cpu s',
      'wall s',
      'evals',
      '$/1M',
      'before cpu s',
      'before evals',
      'before $/1M',
      'speed-up',
    ],
    rows,
  );
  if (baseline) console.log(`cost above the baseline's at ${worse} of ${rows.length} SLOs`);
}

if (parts.has('infeasible')) {
  console.log(`\nInfeasible SLO (half the floor): time to the best achievable p95. ${load()}`);
  const infeasible: string[][] = [];
  for (const workload of workloads) {
    const floor = latencyFloor(problemOf(workload, 1)).percentileSeconds;
    const problem = () => problemOf(workload, floor / 2);
    const now = await timed(ours, problem, RUNS);
    const before =
      baseline && process.env.MBS_BENCH_BASELINE_INFEASIBLE
        ? await timed(baseline, problem, 1)
        : undefined;
    infeasible.push([
      workload.name,
      `${(floor / 2).toPrecision(4)} s`,
      spread(now.cpuSeconds),
      `${now.solution.latencyPercentile.toFixed(3)} s`,
      usd(now.solution),
      before ? at(before.cpuSeconds, 0.5).toFixed(2) : 'not run (MBS_BENCH_BASELINE_INFEASIBLE=1)',
      before ? `${before.solution.latencyPercentile.toFixed(3)} s, ${usd(before.solution)}` : '',
    ]);
  }
  printTable(
    ['workload', 'SLO', 'cpu s', 'best p95', '$/1M', 'before cpu s', 'before p95, $/1M'],
    infeasible,
  );
}

if (parts.has('windows')) {
  console.log(
    `\n24 hourly windows (Twitter hours 1..24, SLO 9 s), one solve each on one thread. ${load()}`,
  );
  const hours = await Promise.all(Array.from({ length: 24 }, (_, index) => twitterHour(index + 1)));
  let windowsCpu = 0;
  let windowsWall = 0;
  for (const hour of hours) {
    process.stderr.write(`timing ${hour.name}\n`);
    const now = await timed(ours, () => problemOf(hour, 9), 1);
    windowsCpu += now.cpuSeconds[0]!;
    windowsWall += now.wallSeconds[0]!;
  }
  console.log(
    `24 windows: ${windowsCpu.toFixed(1)} s CPU, ${windowsWall.toFixed(1)} s wall (goal: <= 20 s)`,
  );
}

if (parts.has('sweep')) {
  // The heap in use before the sweep: run after the other parts (and a baseline's solves) the
  // process holds more, and the sweep, which allocates more than one solve, pays more for it.
  const heapMb = (process.memoryUsage().heapUsed / 1e6).toFixed(0);
  console.log(
    `\nSweep of 10 SLOs against one solve (twitter hour 1). ${load()}; ${heapMb} MB heap in use before`,
  );
  const hourOne = workloads[0]!;
  const floorOne = latencyFloor(problemOf(hourOne, 1)).percentileSeconds;
  const slos = Array.from({ length: 10 }, (_, index) =>
    Number((floorOne * (1 + index)).toPrecision(4)),
  );
  const sweepRows = async (
    label: string,
    search: Search,
    sweepOf: Sweep,
    runs: number,
  ): Promise<string[][]> => {
    const one = await timed(search, () => problemOf(hourOne, 9), runs);
    const sweep = await timed(
      async (problem) => (await sweepOf(problem, slos)).at(-1)!.solution,
      () => problemOf(hourOne, 9),
      runs,
    );
    return [
      [
        `${label}one solve (SLO 9 s)`,
        spread(one.cpuSeconds),
        at(one.wallSeconds, 0.5).toFixed(2),
        '1.00',
      ],
      [
        `${label}sweep ${slos[0]}..${slos.at(-1)} s`,
        spread(sweep.cpuSeconds),
        at(sweep.wallSeconds, 0.5).toFixed(2),
        (at(sweep.cpuSeconds, 0.5) / at(one.cpuSeconds, 0.5)).toFixed(2),
      ],
    ];
  };
  // With a baseline, its one solve and sweep are timed in this run too, as many times as ours.
  printTable(
    ['case', 'cpu s', 'wall s', 'x one solve'],
    [
      ...(await sweepRows('', ours, sweepSlos, RUNS)),
      ...(baseline && baselineSweep
        ? await sweepRows('before: ', baseline, baselineSweep, RUNS)
        : []),
    ],
  );
}
