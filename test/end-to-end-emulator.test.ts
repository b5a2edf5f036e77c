import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@mbs/cli';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { classSchemeFromEdges, formatSeconds, formatUsd } from '@mbs/core';
import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
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
import { deployAndRun, writeSizedTrace } from './support/deploy-and-run.js';
import {
  EIGHT_CLASS_EDGES,
  FOUR_BUFFER_SYSTEM,
  fourBufferConfiguration,
} from './support/four-buffer-configuration.js';
import { predictWithModel, speedUpMap } from './support/model-prediction.js';

// The seed's experiment end to end on this machine: the emulator's HTTP server stands in for
// AWS, and every step goes through `mbs` with the real AWS SDK clients underneath.

/** Trace seconds per real second: three minutes of the synthetic workload in three seconds. */
const SPEED = 60;
/** The synthetic workload runs at 30 requests/s: 5,400 requests are about three minutes. */
const REQUESTS = 5400;
const SEED = 11;
const TIMING: BatchHandlerTiming = {
  classUpperEdges: EIGHT_CLASS_EDGES,
  baseMs: 4,
  msPerPaddedUnit: 0.0004,
};
/** HTTP and process hand-off per invocation beyond the handler's sleep, a model input. */
const OVERHEAD_SECONDS = 0.003;
const PREFIX = 'e2e';
/** Pause between the warm-up and the measured run, so their logs do not overlap. */
const WARM_UP_GAP_MS = 1000;

describe('mbs deploy, run, logs collect and logs summarize against the emulator', () => {
  let emulator: EmulatorServer;
  let directory: string;
  beforeAll(async () => {
    // Without CPU scaling the handler's time does not depend on memory, so the profile the
    // model is given is the handler's own law.
    emulator = await startEmulatorServer({ port: 0, host: '127.0.0.1', cpuScaling: false });
    directory = await mkdtemp(join(tmpdir(), 'mbs-e2e-'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('accounts for every request and batch, and the logs bill what the batches cost', async () => {
    const local = ['--provider', 'local', '--endpoint', emulator.url, '--prefix', PREFIX];
    const tracePath = join(directory, 'trace.csv');
    const configPath = join(directory, 'config.json');
    const zipPath = join(directory, 'mbs-lambda.zip');
    const runDirectory = join(directory, 'run');

    await writeTraceCsv(
      generateSyntheticTrace({ ...DEFAULT_SYNTHETIC_WORKLOAD, seed: SEED, count: REQUESTS }),
      tracePath,
      { timeFormat: 'seconds' },
    );
    // The class mix of this very trace, read back as `mbs run` reads it.
    const scheme = classSchemeFromEdges(EIGHT_CLASS_EDGES);
    const classCounts = new Array<number>(scheme.count).fill(0);
    let traceSpanSeconds = 0;
    for await (const arrival of createCsvTraceReader().read(tracePath)) {
      classCounts[scheme.classOf(arrival.size)]!++;
      traceSpanSeconds = arrival.timeSeconds;
    }
    const total = classCounts.reduce((sum, count) => sum + count, 0);
    expect(total).toBe(REQUESTS);

    const pricing = createAwsPricing({ architecture: 'x86_64' });
    const modelOutcome = await predictWithModel({
      map: speedUpMap(DEFAULT_SYNTHETIC_WORKLOAD.arrivals.map, SPEED),
      classShares: classCounts.map((count) => count / total),
      system: FOUR_BUFFER_SYSTEM,
      timing: TIMING,
      pricing,
      percentile: 0.95,
      overheadSeconds: OVERHEAD_SECONDS,
    });
    const prediction = 'prediction' in modelOutcome ? modelOutcome.prediction : undefined;
    await writeFile(
      configPath,
      JSON.stringify(fourBufferConfiguration(prediction, Math.ceil(traceSpanSeconds) + 1)),
    );
    await writeFile(zipPath, batchHandlerZip(TIMING));

    const deployed = await runCli(main, [
      'deploy',
      '--config',
      configPath,
      '--zip',
      zipPath,
      '--function-timeout',
      '30',
      ...local,
      '--json',
    ]);
    expect(deployed.err).toBe('');
    expect(deployed.code).toBe(0);
    expect(deployed.json).toMatchObject({ applied: true, counts: { create: 4 } });

    const runArguments = (out: string, extra: string[]) => [
      'run',
      '--config',
      configPath,
      '--trace',
      tracePath,
      '--speed',
      String(SPEED),
      // The test handler reads each request's size; the packaged one would take token tensors.
      '--input',
      'size',
      ...local,
      '--out',
      out,
      ...extra,
    ];
    // A warm-up replay starts the instances the bursts need, as a measurement on Lambda would
    // discard its first minutes; otherwise cold starts of child processes make the tail.
    const warmUp = await runCli(
      main,
      runArguments(join(directory, 'warm-up'), ['--limit', '2000']),
    );
    expect(warmUp.code, warmUp.err).toBe(0);
    // Its last log lines must fall before the measured run's --since.
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_GAP_MS));

    const runStarted = Date.now();
    const ran = await runCli(main, runArguments(runDirectory, ['--json']));
    const runWallSeconds = (Date.now() - runStarted) / 1000;
    expect(ran.code, ran.err).toBe(0);
    const run = JSON.parse(await readFile(join(runDirectory, 'run.json'), 'utf8'));
    expect(ran.json).toEqual(run);
    expect(run.counts.submitted).toBe(REQUESTS);
    expect(run.counts.resolved + run.counts.rejected).toBe(run.counts.submitted);
    expect(run.counts.rejected).toBe(0);
    expect(run.counts.settledTwice).toBe(0);
    expect(run.counts.doubleSettlements).toBe(0);
    expect(run.functionNames).toEqual([[0, 1, 2, 3].map((index) => `${PREFIX}-b${index}`)]);

    const requests = await readJsonLines<RequestRecord>(join(runDirectory, 'requests.jsonl'));
    const batches = await readJsonLines<BatchRecord>(join(runDirectory, 'batches.jsonl'));
    expect(requests).toHaveLength(REQUESTS);
    expect(new Set(requests.map((request) => request.requestId)).size).toBe(REQUESTS);
    expect(batches.reduce((sum, batch) => sum + batch.size, 0)).toBe(REQUESTS);
    expect(new Set(batches.map((batch) => batch.buffer))).toEqual(new Set([0, 1, 2, 3]));
    for (const batch of batches) {
      const buffer = FOUR_BUFFER_SYSTEM.buffers[batch.buffer]!;
      expect(batch.size).toBeLessThanOrEqual(buffer.batchSize);
      expect(batch.largestClass).toBeGreaterThanOrEqual(buffer.firstClass);
      expect(batch.largestClass).toBeLessThanOrEqual(buffer.lastClass);
      expect(batch.invocationId).toBeTypeOf('string');
    }

    const collected = await runCli(main, [
      'logs',
      'collect',
      '--config',
      configPath,
      '--since',
      String(run.startEpochMs - WARM_UP_GAP_MS / 2),
      '--until',
      String(Math.ceil(run.endEpochMs) + 1000),
      '--out',
      runDirectory,
      ...local,
      '--json',
    ]);
    expect(collected.code, collected.err).toBe(0);
    expect(collected.json).toMatchObject({ invocations: batches.length });

    const summarized = await runCli(main, ['logs', 'summarize', runDirectory, '--json']);
    expect(summarized.code, summarized.err).toBe(0);
    const summary = summarized.json as {
      requests: { total: number; failed: number };
      latencySeconds: { p50: number; p95: number; p99: number };
      invocations: { total: number; batches: number; coldStarts: number };
      cost: {
        fromBilledDurationsUsd: number;
        fromBatchRecordsUsd: number;
        perRequestUsd: number;
        matchedRelativeDifference: number;
      };
      join: { matched: number; unmatchedBatches: number; unmatchedInvocations: number };
      comparison?: { metric: string; predicted: number; measured: number }[];
    };
    // Every batch the runtime sent is in the platform's logs, and nothing else is.
    expect(summary.join).toMatchObject({
      matched: batches.length,
      unmatchedBatches: 0,
      unmatchedInvocations: 0,
    });
    expect(summary.requests).toMatchObject({ total: REQUESTS, failed: 0 });
    // The bill from the logs' billed durations equals the batch records' costs within 0.1 %.
    const costGap =
      Math.abs(summary.cost.fromBilledDurationsUsd - summary.cost.fromBatchRecordsUsd) /
      summary.cost.fromBatchRecordsUsd;
    expect(costGap).toBeLessThanOrEqual(0.001);
    expect(summary.cost.matchedRelativeDifference).toBeLessThanOrEqual(0.001);

    const text = await runCli(main, ['logs', 'summarize', runDirectory]);
    expect(text.code).toBe(0);
    const p95 = summary.comparison?.find((row) => row.metric === 'latencyPercentileSeconds');
    if (prediction !== undefined) {
      expect(p95?.predicted).toBe(prediction.latencyPercentileSeconds);
      expect(p95?.measured).toBe(summary.latencySeconds.p95);
      expect(text.out).toContain("Against the model's prediction");
    } else {
      expect(text.out).toContain('No prediction');
    }
    // The figures, for the record of this run.
    console.log(
      [
        `end-to-end: ${REQUESTS} requests, ${formatSeconds(traceSpanSeconds)} of trace at speed ${SPEED} in ${formatSeconds(runWallSeconds)} (replay at most ${formatSeconds(run.replay.maxLagSeconds)} late)`,
        `  ${batches.length} batches, ${summary.invocations.total} invocations in the logs (${summary.invocations.coldStarts} cold)`,
        `  cost ${formatUsd(summary.cost.fromBilledDurationsUsd)} from billed durations vs ${formatUsd(summary.cost.fromBatchRecordsUsd)} from batch records (gap ${(costGap * 100).toFixed(4)} %), ${formatUsd(summary.cost.perRequestUsd)} per request`,
        `  measured p50 ${formatSeconds(summary.latencySeconds.p50)}, p95 ${formatSeconds(summary.latencySeconds.p95)}, p99 ${formatSeconds(summary.latencySeconds.p99)}`,
        prediction === undefined
          ? `  model p95: missing (${'missing' in modelOutcome ? modelOutcome.missing : ''})`
          : `  model p95 ${formatSeconds(prediction.latencyPercentileSeconds)}, cost ${formatUsd(prediction.costPerRequestUsd)} per request, ${prediction.invocationsPerSecond.toFixed(1)} invocations/s`,
        text.out,
      ].join('\n'),
    );
  });

  it("serves mbs run's token tensors with the packaged ONNX handler (mbs package)", async () => {
    const local = ['--provider', 'local', '--endpoint', emulator.url, '--prefix', 'packaged'];
    const zipPath = join(directory, 'packaged.zip');
    const configPath = join(directory, 'packaged.json');
    const tracePath = join(directory, 'packaged.csv');
    const runDirectory = join(directory, 'packaged-run');
    const packaged = await runCli(main, ['package', '--model', 'default', '--out', zipPath]);
    expect(packaged.code, packaged.err).toBe(0);
    const buffer = (classId: number) => ({
      firstClass: classId,
      lastClass: classId,
      firstClassShare: 1,
      lastClassShare: 1,
      batchSize: 8,
      timeoutSeconds: 0.05,
      memoryMb: 1769,
    });
    await writeFile(
      configPath,
      JSON.stringify({
        schema: 'mbs.configuration',
        version: 1,
        classUpperEdges: [64, 512],
        pricing: 'aws-x86',
        windows: [{ startSeconds: 0, endSeconds: 60, system: { buffers: [buffer(0), buffer(1)] } }],
      }),
    );
    const arrivals = 48;
    await writeSizedTrace(tracePath, arrivals, 0.02, (index) => 1 + ((index * 53) % 512));
    const { deployed, ran } = await deployAndRun(main, {
      configPath,
      zipPath,
      tracePath,
      runDirectory,
      connection: local,
    });
    expect(deployed.code, deployed.err).toBe(0);
    expect(ran.code, ran.err).toBe(0);
    const run = ran.json as { input: string; counts: { submitted: number; resolved: number } };
    expect(run.input).toBe('tokens');
    // Every request's tensor was accepted and run by the model.
    expect(run.counts).toMatchObject({ submitted: arrivals, resolved: arrivals });
  });
});
