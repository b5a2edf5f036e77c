import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseConfigurationDocument, parseWorkloadDocument } from '@mbs/core';
import { captureIo } from '@mbs/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_OK } from '../exit-codes.js';
import { main } from '../main.js';
import { SMALL_SOLVE_GRID } from '../testing/small-solve-grid.js';

// The documents flow between commands only through files, so this checks that what an EM fit
// writes (a MAP(4) and a `map4-em` fit report with extra fields) is what solve and simulate read.

const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-cli-round-trip-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const workloadFile = path.join(scratch, 'workload.json');
const configFile = path.join(scratch, 'config.json');

/** Runs one command, failing with its stderr when it does not exit 0, and returns its stdout. */
async function run(args: readonly string[]): Promise<string> {
  const io = captureIo();
  const code = await main([...args], io);
  expect(io.err()).not.toContain('mbs:');
  expect(code).toBe(EXIT_OK);
  return io.out();
}

describe('mbs fit --phases -> mbs solve -> mbs simulate', () => {
  it('solves and simulates the workload document an EM fit writes', async () => {
    // The synthetic trace is bursty (SCV about 3.7), so auto takes the EM fit, not Poisson.
    await run([
      'fit',
      'synthetic:seed=3,count=4000',
      '--phases',
      '4',
      '--classes',
      '4',
      '--out',
      workloadFile,
    ]);
    const workload = parseWorkloadDocument(
      JSON.parse(readFileSync(workloadFile, 'utf8')),
      workloadFile,
    );
    expect(workload.windows.map((window) => window.fit?.method)).toEqual(['map4-em']);
    expect(workload.windows[0]!.map.d0).toHaveLength(4);

    const solved = JSON.parse(
      await run([
        'solve',
        '--workload',
        workloadFile,
        '--buffers',
        '2',
        ...SMALL_SOLVE_GRID,
        '--slo',
        '3',
        '--no-baselines',
        '--out',
        configFile,
        '--json',
      ]),
    ) as { feasible: boolean; windows: { solution: { latencyPercentile: number } }[] };
    expect(solved.feasible).toBe(true);
    expect(solved.windows[0]!.solution.latencyPercentile).toBeLessThanOrEqual(3 * (1 + 1e-6));
    const config = parseConfigurationDocument(
      JSON.parse(readFileSync(configFile, 'utf8')),
      configFile,
    );
    expect(config.classUpperEdges).toEqual(workload.classUpperEdges);

    const simulated = JSON.parse(
      await run([
        'simulate',
        '--config',
        configFile,
        '--workload',
        workloadFile,
        '--requests',
        '5000',
        '--json',
      ]),
    ) as { summary: { overall: { requests: number; p95LatencySeconds: number } } };
    expect(simulated.summary.overall.requests).toBe(5000);
    // A sample of the same MAP the model solved for: its p95 lands near the SLO, not far off.
    expect(simulated.summary.overall.p95LatencySeconds).toBeGreaterThan(2);
    expect(simulated.summary.overall.p95LatencySeconds).toBeLessThan(4);
  }, 60_000);
});
