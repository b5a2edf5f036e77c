import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@mbs/cli';
import type { ConfigurationDocument } from '@mbs/core';
import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BatchHandlerTiming, batchHandlerZip } from './support/batch-handler.js';
import { runCli } from './support/capture-io.js';
import { writeSizedTrace } from './support/deploy-and-run.js';
import { EIGHT_CLASS_EDGES, fourBufferConfiguration } from './support/four-buffer-configuration.js';

// Issue 19: `mbs logs summarize` compares a run with the model evaluated for the load the run
// offered (the window's MAP scaled by the replay speed), says which prediction it used, and warns
// when the profile was not measured on the deployed function. A short trace replayed at speed 1
// and at speed 60 must be compared with predictions of the same load in trace time.

/** 100 requests 50 ms apart: 20 requests per trace second over 4.95 s. */
const REQUESTS = 100;
const GAP_SECONDS = 0.05;
const TRACE_RATE = 1 / GAP_SECONDS;
const TIMING: BatchHandlerTiming = {
  classUpperEdges: EIGHT_CLASS_EDGES,
  baseMs: 4,
  msPerPaddedUnit: 0.0004,
};
const PREFIX = 'offered';
const signed = (share: number) => `${share >= 0 ? '+' : ''}${(share * 100).toFixed(1)} %`;

interface SummaryJson {
  predictionBasis: {
    label: string;
    offered: { speed: number; requests: number; traceSpanSeconds: number; ratePerSecond: number };
    reevaluated: { ratePerSecond: number; windowRatePerSecond: number; timeScale: number };
    notReevaluated: string | null;
    profile: { matches: boolean; message: string; fix?: string };
  };
  prediction: { invocationsPerSecond: number; costPerRequestUsd: number };
  comparison: { metric: string; predicted: number; measured: number }[];
  join: { matched: number };
  serviceTime: {
    invocations: number;
    uncovered: number;
    costPerRequestAtProfileUsd: number;
    costPerRequestWarmAsBilledUsd: number;
  };
}

describe('mbs logs summarize against the load a run offered', () => {
  let emulator: EmulatorServer;
  let directory: string;
  beforeAll(async () => {
    emulator = await startEmulatorServer({ port: 0, host: '127.0.0.1', cpuScaling: false });
    directory = await mkdtemp(join(tmpdir(), 'mbs-offered-'));
  });
  afterAll(async () => {
    await emulator?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('prints the speed-scaled prediction and the profile warning; speed 1 and 60 offer one load', async () => {
    const local = ['--provider', 'local', '--endpoint', emulator.url, '--prefix', PREFIX];
    const tracePath = join(directory, 'trace.csv');
    const configPath = join(directory, 'config.json');
    const zipPath = join(directory, 'mbs-lambda.zip');
    await writeSizedTrace(
      tracePath,
      REQUESTS,
      GAP_SECONDS,
      (index) => 100 + ((index * 997) % 30000),
    );
    // Solved (as mbs solve records it) for Poisson arrivals at the trace's rate, with the
    // parametric profile, which nobody measured on the deployed function.
    const base = fourBufferConfiguration(undefined, 10);
    const config: ConfigurationDocument = {
      ...base,
      profile: 'parametric',
      profileSource: { kind: 'plugin' },
      windows: base.windows.map((window) => ({
        ...window,
        prediction: {
          percentile: 0.95,
          latencyPercentileSeconds: 0.1,
          meanLatencySeconds: 0.05,
          costPerRequestUsd: 1e-6,
          invocationsPerSecond: 1,
          paddingShare: 0.1,
        },
        workload: {
          map: { d0: [[-TRACE_RATE]], d1: [[TRACE_RATE]] },
          classShares: new Array(EIGHT_CLASS_EDGES.length).fill(1 / EIGHT_CLASS_EDGES.length),
        },
      })),
    };
    await writeFile(configPath, JSON.stringify(config));
    await writeFile(zipPath, batchHandlerZip(TIMING));
    const deployed = await runCli(main, [
      'deploy',
      '--config',
      configPath,
      '--zip',
      zipPath,
      ...local,
    ]);
    expect(deployed.code, deployed.err).toBe(0);

    const summaries = new Map<number, { json: SummaryJson; text: string }>();
    for (const speed of [60, 1]) {
      const runDirectory = join(directory, `speed-${speed}`);
      const ran = await runCli(main, [
        'run',
        '--config',
        configPath,
        '--trace',
        tracePath,
        '--speed',
        String(speed),
        '--input',
        'size',
        ...local,
        '--out',
        runDirectory,
      ]);
      expect(ran.code, ran.err).toBe(0);
      const run = JSON.parse(await readFile(join(runDirectory, 'run.json'), 'utf8'));
      const collected = await runCli(main, [
        'logs',
        'collect',
        '--config',
        configPath,
        '--since',
        String(run.startEpochMs - 100),
        '--until',
        String(Math.ceil(run.endEpochMs) + 1000),
        '--out',
        runDirectory,
        ...local,
      ]);
      expect(collected.code, collected.err).toBe(0);
      const json = await runCli(main, ['logs', 'summarize', runDirectory, '--json']);
      const text = await runCli(main, ['logs', 'summarize', runDirectory]);
      expect(json.code, json.err).toBe(0);
      expect(text.code, text.err).toBe(0);
      summaries.set(speed, { json: json.json as SummaryJson, text: text.out });
    }

    const fast = summaries.get(60)!;
    const slow = summaries.get(1)!;
    const traceSpan = (REQUESTS - 1) * GAP_SECONDS;
    for (const [speed, { json, text }] of [
      [60, fast],
      [1, slow],
    ] as const) {
      const basis = json.predictionBasis;
      expect(basis.notReevaluated).toBeNull();
      expect(basis.offered).toMatchObject({ speed, requests: REQUESTS });
      expect(basis.offered.traceSpanSeconds).toBeCloseTo(traceSpan, 6);
      // The model was evaluated at the rate the run offered: the trace's, times the speed.
      expect(basis.reevaluated.windowRatePerSecond).toBeCloseTo(TRACE_RATE, 9);
      expect(basis.reevaluated.ratePerSecond).toBeCloseTo(((REQUESTS - 1) / traceSpan) * speed, 6);
      expect(basis.reevaluated.timeScale).toBeCloseTo(speed, 6);
      // The printed comparison is against that prediction, not the stored one.
      const invocations = json.comparison.find((row) => row.metric === 'invocationsPerSecond');
      expect(invocations?.predicted).toBe(json.prediction.invocationsPerSecond);
      expect(json.prediction.invocationsPerSecond).not.toBe(1);
      expect(text).toContain(`prediction: window 0 at speed ${speed}x (rate `);
      expect(text).toContain('profile parametric');
      // The profile warning, beside the comparison, with the commands that fix it.
      expect(basis.profile.matches).toBe(false);
      expect(text).toContain(
        'warning: the prediction used the profile "parametric", which was not measured on the deployed function',
      );
      expect(text).toContain(
        `fix: mbs profile --zip mbs-lambda.zip --provider local --endpoint ${emulator.url} --out measured.json, then mbs solve --profile measured.json`,
      );
      expect(text.indexOf('warning: the prediction used')).toBeLessThan(
        text.indexOf("Against the model's prediction"),
      );
      // The cost error split: the run's own invocations priced at the profile's service times
      // (every one is covered: batch sizes and classes within the parametric profile).
      expect(json.serviceTime.invocations + json.serviceTime.uncovered).toBe(json.join.matched);
      const cost = json.comparison.find((row) => row.metric === 'costPerRequestUsd')!;
      const { costPerRequestAtProfileUsd: atProfile, costPerRequestWarmAsBilledUsd: warm } =
        json.serviceTime;
      expect(atProfile).toBeGreaterThan(0);
      expect(warm).toBeGreaterThan(0);
      expect(text).toContain(
        `cost per request ${signed(cost.measured / cost.predicted - 1)} = batches ${signed(atProfile / cost.predicted - 1)} (`,
      );
      expect(text).toContain(
        `x service time ${signed(warm / atProfile - 1)} (warm Durations averaged`,
      );
      expect(text).toMatch(
        /x cold starts [+-]\d+\.\d % \(\d+ cold, which the model does not have\)/,
      );
    }
    // Same load in trace time: per trace second, both predictions offered the same rate.
    expect(fast.json.predictionBasis.reevaluated.ratePerSecond / 60).toBeCloseTo(
      slow.json.predictionBasis.reevaluated.ratePerSecond,
      9,
    );
    // And the faster replay batches more: the model says so for the load it was given.
    expect(fast.json.prediction.invocationsPerSecond).toBeGreaterThan(
      slow.json.prediction.invocationsPerSecond,
    );
  }, 120_000);
});
