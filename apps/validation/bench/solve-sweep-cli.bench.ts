/**
 * A sweep of 10 SLOs against one solve, through the built `mbs solve` as a user runs each (a
 * fresh process per command): Twitter hour 1 with the DeepSpeech profile, the CLI's defaults, one
 * solve at SLO 9 s with `--no-baselines` (the sweep computes no baselines either) against
 * `--slos` at 1x..10x the latency floor (the best achievable p95, read from an infeasible solve's
 * JSON). CPU is the child's user + system time (bash's `times`, all threads), which stays
 * meaningful on a loaded machine; wall is printed beside it with the load. The two commands
 * alternate, MBS_BENCH_RUNS times (default 5): medians (p10..p90), and the median of the per-run
 * ratios. Goal (issue 14): the sweep costs at most 2x one solve. The library-level comparison,
 * with the search alone timed in one long-lived process, is the sweep part of solve-slo.bench.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  dataDirectory,
  deepSpeechProfilePath,
  realDataPresent,
  repositoryRoot,
} from '../src/real-data.js';
import { at, spread } from './run-spread.js';

const RUNS = Number(process.env.MBS_BENCH_RUNS ?? 5);
if (!(Number.isInteger(RUNS) && RUNS >= 1)) {
  console.error(`MBS_BENCH_RUNS is "${process.env.MBS_BENCH_RUNS}"; give a whole number >= 1`);
  process.exit(2);
}
const bin = path.join(repositoryRoot, 'apps', 'cli', 'dist', 'bin.js');
if (!existsSync(bin)) throw new Error(`${bin} is not built; run npm run build`);
if (!realDataPresent()) {
  console.log(`solve-sweep-cli bench: ${dataDirectory} is absent; nothing to measure.`);
  process.exit(0);
}

interface Run {
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
  readonly stdout: string;
}

/** Runs `mbs` in bash and reads the child's CPU from bash's `times` (its second line). */
function timeMbs(args: readonly string[], expectedCodes: readonly number[] = [0]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // mbs's JSON on stdout, its progress dropped; bash's `times` on stderr.
    const script = `"$@" 2>/dev/null; code=$?; times >&2; exit $code`;
    const child = spawn('bash', ['-c', script, 'bash', process.execPath, bin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const children = stderr.trim().split('\n').at(-1) ?? '';
      const times = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map(
        (match) => Number(match[1]) * 60 + Number(match[2]),
      );
      if (!expectedCodes.includes(code ?? -1) || times.length !== 2) {
        reject(new Error(`mbs ${args.join(' ')} exited ${code}; bash times: ${children}`));
        return;
      }
      resolve({ cpuSeconds: times[0]! + times[1]!, wallSeconds, stdout });
    });
  });
}

/** Rounded up to 4 significant digits, so the floor itself stays feasible. */
function ceilTo4(value: number): number {
  const scale = 10 ** (3 - Math.floor(Math.log10(value)));
  return Math.ceil(value * scale - 1e-9) / scale;
}

const maps = path.join(dataDirectory, 'twitter-maps');
const common = [
  'solve',
  '--workload',
  `${path.join(maps, 'hour1_D0.csv')},${path.join(maps, 'hour1_D1.csv')}`,
  '--profile',
  deepSpeechProfilePath,
  '--json',
];
// An SLO no configuration meets: the CLI answers with the best achievable p95 (exit 1).
const infeasible = await timeMbs([...common, '--slo', '0.001', '--no-baselines'], [1]);
const floor = (() => {
  try {
    const answer = JSON.parse(infeasible.stdout) as {
      windows?: { solution?: { latencyPercentile?: unknown } }[];
    };
    return answer.windows?.[0]?.solution?.latencyPercentile;
  } catch {
    return undefined;
  }
})();
if (!(typeof floor === 'number' && Number.isFinite(floor) && floor > 0)) {
  throw new Error(
    `mbs solve --slo 0.001 --json gave no best achievable p95 (windows[0].solution.latencyPercentile is ${floor}); its output began: ${infeasible.stdout.slice(0, 200)}`,
  );
}
const slos = Array.from({ length: 10 }, (_, index) => ceilTo4(floor * (index + 1)));

console.log(
  `Sweep of 10 SLOs (${slos[0]}..${slos.at(-1)} s, 1x..10x the floor) against one solve (SLO 9 s, --no-baselines), Twitter hour 1 + DeepSpeech profile, CLI defaults, each a fresh mbs process. ${RUNS} runs; load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
);
const one: Run[] = [];
const sweep: Run[] = [];
for (let run = 0; run < RUNS; run++) {
  const solveOne = () => timeMbs([...common, '--slo', '9', '--no-baselines']);
  const solveSweep = () => timeMbs([...common, '--slos', slos.join(',')]);
  // Alternating which goes first, so drift in the machine's load lands on both alike.
  if (run % 2 === 0) {
    one.push(await solveOne());
    sweep.push(await solveSweep());
  } else {
    sweep.push(await solveSweep());
    one.push(await solveOne());
  }
  process.stderr.write(
    `run ${run + 1}: one ${one.at(-1)!.cpuSeconds.toFixed(2)} s CPU, sweep ${sweep.at(-1)!.cpuSeconds.toFixed(2)} s CPU\n`,
  );
}
const cpuOne = one.map((run) => run.cpuSeconds);
const cpuSweep = sweep.map((run) => run.cpuSeconds);
console.log(
  `one solve: ${spread(cpuOne)} s CPU, ${spread(one.map((run) => run.wallSeconds))} s wall`,
);
console.log(
  `sweep:     ${spread(cpuSweep)} s CPU, ${spread(sweep.map((run) => run.wallSeconds))} s wall`,
);
const ratios = cpuSweep.map((cpu, index) => cpu / cpuOne[index]!);
console.log(
  `sweep / one solve, CPU: ${(at(cpuSweep, 0.5) / at(cpuOne, 0.5)).toFixed(2)}x by medians; per run ${spread(ratios)} (goal: <= 2x); load ${os.loadavg()[0]!.toFixed(1)}`,
);
