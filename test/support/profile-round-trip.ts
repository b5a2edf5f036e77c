import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '@mbs/cli';
import { createRandom } from '@mbs/core';
import { runCli } from './capture-io.js';

/** A Poisson trace of sized requests, sizes drawn from a few values. */
export interface SizedPoissonTrace {
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  /** Sizes and their probabilities (summing to 1). */
  readonly sizes: readonly { readonly size: number; readonly probability: number }[];
  readonly seed: number;
}

/**
 * Writes a sized CSV trace (`timeSeconds,size`) of Poisson arrivals whose sizes take the given
 * values, so that every batch pads to one of them exactly (the class edges) and the round trip
 * tests the profile, not the spread of sizes inside a class. Returns the number of requests.
 */
export async function writeSizedPoissonTrace(
  path: string,
  trace: SizedPoissonTrace,
): Promise<number> {
  const random = createRandom(trace.seed);
  const lines = ['timeSeconds,size'];
  for (let time = 0; ; ) {
    time += -Math.log(1 - random.next()) / trace.ratePerSecond;
    if (time >= trace.durationSeconds) break;
    const draw = random.next();
    let cumulative = 0;
    const chosen =
      trace.sizes.find((entry) => {
        cumulative += entry.probability;
        return draw < cumulative;
      }) ?? trace.sizes.at(-1)!;
    lines.push(`${time.toFixed(4)},${chosen.size}`);
  }
  await writeFile(path, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

/** Figures of one round trip. */
export interface RoundTripFigures {
  readonly profileSeconds: number;
  readonly requests: number;
  readonly predictedP95Seconds: number;
  readonly measuredP95Seconds: number;
  readonly predictedCostPerRequestUsd: number;
  readonly measuredCostPerRequestUsd: number;
  readonly p95RelativeError: number;
  readonly costRelativeError: number;
  readonly configuration: unknown;
  readonly summary: unknown;
}

/** Where and what a round trip runs. */
export interface RoundTripOptions {
  readonly main: (args: readonly string[], io: CliIo) => Promise<number>;
  readonly directory: string;
  /** `--provider local --endpoint <emulator>`. */
  readonly connection: readonly string[];
  readonly zipPath: string;
  /** Class upper edges: the trace's sizes. */
  readonly edges: readonly number[];
  readonly memories: string;
  readonly batchSizes: string;
  /** Extra `mbs profile` flags (repetitions). */
  readonly profileFlags: readonly string[];
  readonly trace: SizedPoissonTrace;
  readonly sloSeconds: number;
  /** Requests of the warm-up replay that starts the instances before the measured one. */
  readonly warmUpRequests: number;
}

async function step(options: RoundTripOptions, args: readonly string[]) {
  const result = await runCli(options.main, args);
  if (result.code !== 0) {
    throw new Error(`mbs ${args.join(' ')} exited ${result.code}: ${result.err}`);
  }
  return result;
}

/**
 * The loop a team with its own model runs, every step through `mbs`: profile the package on
 * the emulator, solve the trace's workload with the measured profile, deploy, replay the trace,
 * collect the logs and summarize them against the prediction.
 */
export async function profileRoundTrip(options: RoundTripOptions): Promise<RoundTripFigures> {
  const { directory, connection } = options;
  const path = (name: string) => join(directory, name);
  const edges = options.edges.join(',');
  const profileStarted = Date.now();
  await step(options, [
    'profile',
    ...connection,
    '--zip',
    options.zipPath,
    '--memories',
    options.memories,
    '--batch-sizes',
    options.batchSizes,
    '--edges',
    edges,
    ...options.profileFlags,
    '--out',
    path('measured.json'),
    '--prefix',
    'rt-profile',
    '--json',
  ]);
  const profileSeconds = (Date.now() - profileStarted) / 1000;
  const requests = await writeSizedPoissonTrace(path('trace.csv'), options.trace);
  const solved = await step(options, [
    'solve',
    '--profile',
    path('measured.json'),
    '--trace',
    path('trace.csv'),
    '--edges',
    edges,
    '--memories',
    options.memories,
    '--slo',
    String(options.sloSeconds),
    '--split-shares',
    'none',
    '--no-baselines',
    '--out',
    path('config.json'),
    '--json',
  ]);
  const deployConnection = [...connection, '--prefix', 'rt'];
  await step(options, [
    'deploy',
    '--config',
    path('config.json'),
    '--zip',
    options.zipPath,
    ...deployConnection,
  ]);
  const run = (out: string, extra: readonly string[]) =>
    step(options, [
      'run',
      '--config',
      path('config.json'),
      '--trace',
      path('trace.csv'),
      ...deployConnection,
      '--out',
      out,
      ...extra,
      '--json',
    ]);
  // A warm-up replay starts the instances the bursts need, as a measurement on Lambda would
  // discard its first minutes.
  await run(path('warm-up'), ['--limit', String(options.warmUpRequests)]);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const ran = await run(path('run'), []);
  const runDocument = ran.json as { startEpochMs: number; endEpochMs: number };
  await step(options, [
    'logs',
    'collect',
    '--config',
    path('config.json'),
    '--since',
    String(runDocument.startEpochMs - 500),
    '--until',
    String(Math.ceil(runDocument.endEpochMs) + 1000),
    '--out',
    path('run'),
    ...deployConnection,
  ]);
  const summarized = await step(options, ['logs', 'summarize', path('run'), '--json']);
  const summary = summarized.json as {
    comparison: { metric: string; predicted: number; measured: number; relativeError: number }[];
  };
  const metric = (name: string) => {
    const row = summary.comparison.find((entry) => entry.metric === name);
    if (row === undefined) throw new Error(`mbs logs summarize gave no ${name} comparison`);
    return row;
  };
  const p95 = metric('latencyPercentileSeconds');
  const cost = metric('costPerRequestUsd');
  return {
    profileSeconds,
    requests,
    predictedP95Seconds: p95.predicted,
    measuredP95Seconds: p95.measured,
    predictedCostPerRequestUsd: cost.predicted,
    measuredCostPerRequestUsd: cost.measured,
    p95RelativeError: p95.relativeError,
    costRelativeError: cost.relativeError,
    configuration: (solved.json as { configuration?: unknown }).configuration,
    summary,
  };
}
