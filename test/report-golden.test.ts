import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@mbs/cli';
import { parseWorkloadDocument, quantile, type RequestRecord } from '@mbs/core';
import { readJsonLines } from '@mbs/logs';
import { evaluateSystem } from '@mbs/model';
import { createAwsPricing } from '@mbs/pricing-aws';
import { createParametricProfile } from '@mbs/profiles';
import { parseSolveDocument, reportSections } from '@mbs/report';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/capture-io.js';

// Golden checks on the data of `mbs report`, not its pixels: the model curves mbs solve writes
// are the model's distribution, and the measured curves are the replay's empirical quantiles.

const SMALL_GRID = [
  '--max-batch-size',
  '8',
  '--timeout-steps',
  '5',
  '--memories',
  '512,1024,2048',
  '--split-shares',
  'none',
];

describe('mbs report data: golden checks', () => {
  let directory: string;
  let solveJson: unknown;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mbs-report-golden-'));
    const workload = join(directory, 'workload.json');
    const fit = await runCli(main, [
      'fit',
      'synthetic:seed=3,count=6000',
      '--out',
      workload,
      '--json',
    ]);
    expect(fit.code, fit.err).toBe(0);
    const config = join(directory, 'config.json');
    const solve = await runCli(main, [
      'solve',
      '--workload',
      workload,
      '--out',
      config,
      '--json',
      '--no-baselines',
      '--slo',
      '3',
      ...SMALL_GRID,
    ]);
    expect(solve.code, solve.err).toBe(0);
    solveJson = solve.json;
    const replay = await runCli(main, [
      'simulate',
      '--config',
      config,
      '--workload',
      workload,
      '--requests',
      '20000',
      '--records',
      join(directory, 'replay'),
    ]);
    expect(replay.code, replay.err).toBe(0);
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("writes the model's CDF and batch-size law into mbs solve --json, equal to @mbs/model's", async () => {
    const { document } = parseSolveDocument(solveJson, 'solve.json');
    const window = document.windows[0]!;
    const model = window.model!;
    const workload = parseWorkloadDocument(
      JSON.parse(await readFile(join(directory, 'workload.json'), 'utf8')),
      'workload.json',
    );
    const evaluation = evaluateSystem({
      map: workload.windows[0]!.map,
      classShares: workload.windows[0]!.classShares,
      system: window.solution.system,
      profile: createParametricProfile({ representativeSizes: workload.classRepresentativeSizes }),
      pricing: createAwsPricing({ architecture: 'x86_64' }),
      percentile: document.percentile,
      classRepresentativeSizes: workload.classRepresentativeSizes,
    });
    const latency = model.latencyCdf.latency;
    expect(latency.length).toBeGreaterThan(100);
    latency.forEach((x, index) => {
      expect(model.latencyCdf.system[index]).toBeCloseTo(evaluation.latency.cdf(x), 9);
      evaluation.buffers.forEach((buffer) => {
        expect(model.latencyCdf.buffers[buffer.bufferIndex]![index]).toBeCloseTo(
          buffer.latency.cdf(x),
          9,
        );
      });
    });
    for (const buffer of evaluation.buffers) {
      const written = model.buffers[buffer.bufferIndex]!.batchSizeProbabilities;
      written.forEach((probability, at) => {
        expect(probability).toBeCloseTo(buffer.batchSizeProbabilities[at]!, 12);
      });
    }
    model.systemQuantiles.probability.forEach((p, at) => {
      expect(model.systemQuantiles.latency[at]).toBeCloseTo(evaluation.latency.percentile(p), 5);
    });
    // ...and the report plots exactly those points.
    const sections = reportSections({ solve: { source: 'solve.json', document } });
    const system = sections
      .flatMap((section) => section.figures)
      .find((figure) => figure.id === 'cdf-system')!;
    expect(system.series.find((series) => series.name === 'model')!.points).toEqual(
      latency.map((x, index) => [x, model.latencyCdf.system[index]]),
    );
  });

  it("plots the replay's empirical quantiles as the measured CDF", async () => {
    const { document } = parseSolveDocument(solveJson, 'solve.json');
    const requests = await readJsonLines<RequestRecord>(
      join(directory, 'replay', 'requests.jsonl'),
    );
    const figures = reportSections({
      solve: { source: 'solve.json', document },
      replay: { source: 'replay', requests },
    }).flatMap((section) => section.figures);
    const measured = (id: string) =>
      figures
        .find((figure) => figure.id === id)!
        .series.find((series) => series.name.startsWith('replay'))!.points;
    const all = requests.map((request) => request.latencySeconds);
    const system = measured('cdf-system');
    expect(system.length).toBeGreaterThan(100);
    for (const [x, p] of system) expect(x).toBe(quantile(all, p!));
    const buffer0 = requests
      .filter((request) => request.buffer === 0)
      .map((request) => request.latencySeconds);
    for (const [x, p] of measured('cdf-buffer-0')) expect(x).toBe(quantile(buffer0, p!));
  });
});
