/**
 * An SLO under the latency floor through the built `mbs solve` (apps/cli/dist/bin.js, as a user
 * runs it): time until it says the SLO is infeasible with the best achievable percentile (its
 * "under the latency floor" line on stderr), and until it exits with the cheapest configuration
 * at that percentile, with the exit code. Cases: the built-in workload (a synthetic trace, fitted
 * on the fly) at SLO 10 ms, and Twitter hour 1 with the DeepSpeech profile at SLO 100 ms. CPU is
 * the child process's (all its threads, from /proc; Linux only, else blank), which stays
 * meaningful on a loaded machine; wall is printed beside it with the load. Goal: the line within
 * 1 s. Runs MBS_BENCH_RUNS times (default 3): median (p10..p90).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  dataDirectory,
  deepSpeechProfilePath,
  realDataPresent,
  repositoryRoot,
} from '../src/real-data.js';
import { spread } from './run-spread.js';

const RUNS = Number(process.env.MBS_BENCH_RUNS ?? 3);
const bin = path.join(repositoryRoot, 'apps', 'cli', 'dist', 'bin.js');
if (!existsSync(bin)) throw new Error(`${bin} is not built; run npm run build`);

interface Timing {
  readonly lineWall: number;
  readonly lineCpu: number;
  readonly exitWall: number;
  readonly code: number | null;
  readonly line: string;
}

/** CPU seconds of a live process, all threads (Linux /proc), or NaN elsewhere. */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 1/100 s (USER_HZ on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function timeInfeasible(args: readonly string[]): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let line: { wall: number; cpu: number; text: string } | undefined;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (line) return;
      const found = stderr.split('\n').find((text) => text.includes('under the latency floor'));
      if (found)
        line = {
          wall: (performance.now() - started) / 1000,
          cpu: cpuOf(child.pid!),
          text: found,
        };
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!line) reject(new Error(`no latency-floor line from mbs ${args.join(' ')}:\n${stderr}`));
      else
        resolve({
          lineWall: line.wall,
          lineCpu: line.cpu,
          exitWall: (performance.now() - started) / 1000,
          code,
          line: line.text,
        });
    });
  });
}

const cases: { name: string; args: string[] }[] = [
  { name: 'built-in workload, SLO 10 ms', args: ['solve', '--slo', '0.01', '--json'] },
];
if (realDataPresent()) {
  const maps = path.join(dataDirectory, 'twitter-maps');
  cases.push({
    name: 'twitter hour 1 (DeepSpeech), SLO 100 ms',
    args: [
      'solve',
      '--workload',
      `${path.join(maps, 'hour1_D0.csv')},${path.join(maps, 'hour1_D1.csv')}`,
      '--profile',
      deepSpeechProfilePath,
      '--slo',
      '0.1',
      '--no-baselines',
      '--json',
    ],
  });
} else console.log(`(${dataDirectory} is absent: the built-in workload only)`);

console.log(
  `Infeasible SLO through mbs solve: seconds to the latency-floor line and to the exit, median (p10..p90) of ${RUNS} runs. Goal: the line within 1 s. load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`,
);
for (const { name, args } of cases) {
  const runs: Timing[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(await timeInfeasible(args));
  console.log(
    `${name}: line after ${spread(runs.map((run) => run.lineCpu))} s CPU, ${spread(runs.map((run) => run.lineWall))} s wall; exit ${runs.map((run) => run.code).join(',')} after ${spread(runs.map((run) => run.exitWall))} s wall\n  ${runs[0]!.line}`,
  );
}
