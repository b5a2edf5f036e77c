import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@mbs/cli';
import { formatSeconds, formatUsd } from '@mbs/core';
import { DEFAULT_MODEL_DESCRIPTOR } from '@mbs/handler';
import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
import { sleepingTokenHandlerZip } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/capture-io.js';
import { profileRoundTrip, type RoundTripFigures } from './support/profile-round-trip.js';

// A team's own model, end to end on the emulator: mbs profile -> mbs solve --profile
// measured.json -> mbs deploy -> mbs run -> mbs logs collect -> mbs logs summarize. What solve
// predicted from the measured profile must be what the run measures.

/** 5 ms + 2 µs per padded token per request at one vCPU: 38 ms for 16 requests of 1024 tokens. */
const LAW = { baseMs: 5, msPerPaddedToken: 0.002 };

/** The same loop with the packaged ONNX model (`mbs package`): opt in, it is CPU-bound and long. */
const ONNX = process.env.MBS_PROFILE_ONNX === '1';

function describeFigures(label: string, figures: RoundTripFigures): string {
  return [
    `${label}: ${figures.requests} requests; profile measured in ${formatSeconds(figures.profileSeconds)}`,
    `  p95: predicted ${formatSeconds(figures.predictedP95Seconds)}, measured ${formatSeconds(figures.measuredP95Seconds)} (${(figures.p95RelativeError * 100).toFixed(1)} %)`,
    `  cost per request: predicted ${formatUsd(figures.predictedCostPerRequestUsd)}, measured ${formatUsd(figures.measuredCostPerRequestUsd)} (${(figures.costRelativeError * 100).toFixed(1)} %)`,
    `  configuration: ${JSON.stringify(figures.configuration)}`,
    `  comparison: ${JSON.stringify((figures.summary as { comparison: unknown }).comparison)}`,
    `  invocations: ${JSON.stringify((figures.summary as { invocations: unknown }).invocations)}`,
  ].join('\n');
}

describe('profile round trip on the emulator', () => {
  let emulator: EmulatorServer;
  let directory: string;
  beforeAll(async () => {
    // CPU scaling on (the default): the memory/time trade-off is the emulator's.
    emulator = await startEmulatorServer({ port: 0, host: '127.0.0.1' });
    directory = await mkdtemp(join(tmpdir(), 'mbs-profile-round-trip-'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  const roundTrip = (zipPath: string, workDirectory: string, profileFlags: readonly string[]) =>
    profileRoundTrip({
      main,
      directory: workDirectory,
      connection: ['--provider', 'local', '--endpoint', emulator.url],
      zipPath,
      edges: [64, 256, 1024],
      // Up to one vCPU: above it the emulator reports a shorter Duration but cannot answer sooner.
      memories: '512,1024,1769',
      batchSizes: '1,2,4,8,16',
      profileFlags,
      // The workload actually offered: the trace is replayed at speed 1.
      trace: {
        ratePerSecond: 20,
        durationSeconds: 36,
        sizes: [
          { size: 64, probability: 0.5 },
          { size: 256, probability: 0.3 },
          { size: 1024, probability: 0.2 },
        ],
        seed: 5,
      },
      // Long enough that the buffers' timeouts, which the model knows, make the tail, rather than
      // the replay's lateness under this shared machine's load, which it cannot know.
      sloSeconds: 1,
      warmUpRequests: 200,
    });

  it('runs at the p95 and cost per request that solve predicted from the measured profile', async () => {
    // A handler that sleeps a known law of the padded batch: on this shared machine a CPU-bound
    // model's times move with the other jobs' load between profiling and the run.
    const zipPath = join(directory, 'sleeping.zip');
    await writeFile(zipPath, sleepingTokenHandlerZip(LAW, DEFAULT_MODEL_DESCRIPTOR));
    const figures = await roundTrip(zipPath, directory, [
      '--min-repetitions',
      '5',
      '--max-repetitions',
      '15',
      '--ci-width',
      '0.05',
      // A sleeping handler has no idle state to start from: back to back, as fast as it goes.
      '--gap-ms',
      '0',
    ]);
    console.log(describeFigures('profile round trip (sleeping handler)', figures));
    expect(Math.abs(figures.p95RelativeError)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(figures.costRelativeError)).toBeLessThanOrEqual(0.1);
  });

  it.runIf(ONNX)('does the same with the packaged ONNX model (MBS_PROFILE_ONNX=1)', async () => {
    const workDirectory = join(directory, 'onnx');
    const zipPath = join(directory, 'mbs-lambda.zip');
    const packaged = await runCli(main, ['package', '--model', 'default', '--out', zipPath]);
    expect(packaged.code, packaged.err).toBe(0);
    await mkdir(workDirectory);
    // Idle gaps as in service: the runtime's threads and caches cool down between batches.
    const figures = await roundTrip(zipPath, workDirectory, [
      '--min-repetitions',
      '5',
      '--max-repetitions',
      '20',
      '--gap-ms',
      '100',
    ]);
    console.log(describeFigures('profile round trip (packaged ONNX model)', figures));
    expect(Math.abs(figures.p95RelativeError)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(figures.costRelativeError)).toBeLessThanOrEqual(0.1);
  });
});
