import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfigurationDocument } from '@mbs/core';
import { arrivalRate } from '@mbs/markov';
import { createAwsPricing } from '@mbs/pricing-aws';
import { createParametricProfile } from '@mbs/profiles';
import { captureIo } from '@mbs/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_OK } from '../exit-codes.js';
import { main } from '../main.js';
import { SMALL_SOLVE_GRID } from '../testing/small-solve-grid.js';
import { offeredPrediction } from './offered-prediction.js';

describe('offeredPrediction', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-offered-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("gives back mbs solve's own prediction at the load it solved for, and a busier one faster", async () => {
    const out = path.join(scratch, 'config.json');
    const io = captureIo();
    expect(
      await main(
        ['solve', ...SMALL_SOLVE_GRID, '--slo', '1.5', '--no-baselines', '--out', out],
        io,
      ),
    ).toBe(EXIT_OK);
    const config = parseConfigurationDocument(JSON.parse(readFileSync(out, 'utf8')), out);
    const window = config.windows[0]!;
    expect(window.workload).toBeDefined();
    expect(config.classRepresentativeSizes).toHaveLength(config.classUpperEdges.length);
    const rate = arrivalRate(window.workload!.map);
    const inputs = {
      config,
      window: 0,
      profile: createParametricProfile({
        representativeSizes: config.classRepresentativeSizes!,
      }),
      pricing: createAwsPricing({ architecture: 'x86_64' }),
    };
    const load = (speed: number) => ({
      requests: 1000,
      speed,
      spanSeconds: 999 / (rate * speed),
      ratePerSecond: rate * speed,
      from: 'run' as const,
    });
    const same = offeredPrediction({ ...inputs, offered: load(1) })!;
    expect(same.timeScale).toBeCloseTo(1, 12);
    const stored = window.prediction!;
    // The search's evaluator and evaluateSystem are one model: the same figures at the same load.
    expect(same.prediction.costPerRequestUsd).toBeCloseTo(stored.costPerRequestUsd, 12);
    expect(same.prediction.latencyPercentileSeconds / stored.latencyPercentileSeconds).toBeCloseTo(
      1,
      3,
    );
    expect(same.prediction.invocationsPerSecond / stored.invocationsPerSecond).toBeCloseTo(1, 9);
    const faster = offeredPrediction({ ...inputs, offered: load(60) })!;
    expect(faster.timeScale).toBeCloseTo(60, 9);
    // Sixty times the requests fill batches sooner: fewer invocations per request, less cost.
    expect(faster.prediction.invocationsPerSecond).toBeLessThan(60 * stored.invocationsPerSecond);
    expect(faster.prediction.costPerRequestUsd).toBeLessThan(stored.costPerRequestUsd);
  }, 60_000);

  it('is undefined for a configuration that does not record its arrivals', () => {
    const config = parseConfigurationDocument(
      {
        schema: 'mbs.configuration',
        version: 1,
        classUpperEdges: [10, 20],
        windows: [
          {
            startSeconds: 0,
            endSeconds: 10,
            system: {
              buffers: [
                { firstClass: 0, lastClass: 1, batchSize: 2, timeoutSeconds: 0.1, memoryMb: 1024 },
              ],
            },
          },
        ],
      },
      'old.json',
    );
    const offered = { requests: 2, spanSeconds: 1, ratePerSecond: 1, from: 'records' as const };
    expect(
      offeredPrediction({
        config,
        window: 0,
        offered,
        profile: createParametricProfile({ representativeSizes: [10, 20] }),
        pricing: createAwsPricing({ architecture: 'x86_64' }),
      }),
    ).toBeUndefined();
  });
});
