import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';
import { percentilesObjectiveConfigSource } from '../testing/plugin-modules.js';
import { SMALL_SOLVE_GRID } from '../testing/small-solve-grid.js';

const TRACE = ['--trace', 'synthetic:seed=5,count=20000', ...SMALL_SOLVE_GRID, '--buffers', '3'];

interface SolveJson {
  objective: string;
  constraint?: { mode: string };
  windows: {
    solution: { feasible: boolean; costPerRequestUsd: number; latencyPercentile: number };
    assessment?: { feasible: boolean; score: number; violation: number };
    model: unknown;
  }[];
}

async function solve(cwd: string, ...args: string[]) {
  const io = captureIo();
  const code = await main(['solve', ...args], io, { cwd });
  return { code, out: io.out(), err: io.err() };
}

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mbs-solve-objective-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mbs solve --objective', () => {
  it('solves the built-in cost-budget objective as --constraint cost does', async () => {
    const args = [...TRACE, '--no-baselines', '--budget', '8e-6', '--json'];
    const named = await solve(root, ...args, '--objective', 'cost-budget');
    const short = await solve(root, ...args, '--constraint', 'cost');
    expect(named.code).toBe(EXIT_OK);
    const document = JSON.parse(named.out) as SolveJson;
    expect(document.objective).toBe('cost-budget');
    expect(document.constraint).toEqual({ mode: 'cost', budgetUsdPerRequest: 8e-6 });
    const { elapsedSeconds: _named, ...viaObjective } = document.windows[0]!.solution as Record<
      string,
      unknown
    >;
    const { elapsedSeconds: _short, ...viaConstraint } = (JSON.parse(short.out) as SolveJson)
      .windows[0]!.solution as Record<string, unknown>;
    expect(viaObjective).toEqual(viaConstraint);
  }, 60_000);

  it("solves a config file's objective and meets both of its percentiles", async () => {
    const p99Only = await solve(
      root,
      ...TRACE,
      '--no-baselines',
      '--percentile',
      '0.99',
      '--slo',
      '3',
      '--json',
    );
    expect(p99Only.code).toBe(EXIT_OK);
    const cwd = join(root, 'custom');
    await mkdir(cwd, { recursive: true });
    await writeFile(join(cwd, 'mbs.config.mjs'), percentilesObjectiveConfigSource(0.5));
    const custom = await solve(
      cwd,
      ...TRACE,
      '--objective',
      'p99-p50',
      '--percentile',
      '0.99',
      '--json',
    );
    expect(custom.err).not.toContain('Error');
    expect(custom.code).toBe(EXIT_OK);
    const document = JSON.parse(custom.out) as SolveJson;
    expect(document.objective).toBe('p99-p50');
    expect(document.constraint).toBeUndefined();
    const window = document.windows[0]!;
    expect(window.assessment?.feasible).toBe(true);
    expect(window.solution.latencyPercentile).toBeLessThanOrEqual(3);
    // A tighter p50 than the p99-only optimum has costs at least as much.
    const reference = (JSON.parse(p99Only.out) as SolveJson).windows[0]!.solution;
    expect(window.solution.costPerRequestUsd).toBeGreaterThanOrEqual(
      reference.costPerRequestUsd * (1 - 1e-9),
    );
    const text = await solve(cwd, ...TRACE, '--objective', 'p99-p50', '--percentile', '0.99');
    expect(text.out).toContain('objective p99-p50 at p99');
  }, 120_000);

  it('exits 2 for an unknown objective (listing the registered ones) and for conflicting options', async () => {
    const unknown = await solve(root, '--objective', 'fastest');
    expect(unknown.code).toBe(EXIT_USAGE);
    expect(unknown.err).toMatch(/--objective.*fastest/);
    expect(unknown.err).toContain('latency-slo, cost-budget');
    const both = await solve(root, '--objective', 'latency-slo', '--constraint', 'cost');
    expect(both.code).toBe(EXIT_USAGE);
    expect(both.err).toContain('--constraint cost names the cost-budget objective');
    const budget = await solve(root, '--objective', 'cost-budget');
    expect(budget.code).toBe(EXIT_USAGE);
    expect(budget.err).toContain('--budget');
    const cwd = join(root, 'custom');
    const verify = await solve(
      cwd,
      '--objective',
      'p99-p50',
      '--trace',
      'synthetic:count=100',
      '--verify',
    );
    expect(verify.code).toBe(EXIT_USAGE);
    expect(verify.err).toContain(
      '--verify works with the latency-slo and cost-budget objectives only',
    );
  });

  it('refuses --slos, margins and --verify-holdout with objectives that cannot honour them', async () => {
    const cwd = join(root, 'custom');
    for (const [dir, extra, message] of [
      [
        cwd,
        ['--objective', 'p99-p50', '--slos', '1,2'],
        '--slos sweeps latency SLOs; it works with the latency-slo objective only, and --objective is p99-p50',
      ],
      [
        root,
        ['--objective', 'cost-budget', '--budget', '1e-5', '--margin-slo', '0.05'],
        '--margin-slo',
      ],
      [cwd, ['--objective', 'p99-p50', '--margin-percentile', '0.01'], 'margins need an SLO'],
      [
        cwd,
        ['--objective', 'p99-p50', '--trace', 'synthetic:count=100', '--verify-holdout', '0.5'],
        '--verify-holdout works with the latency-slo and cost-budget objectives only',
      ],
    ] as const) {
      const refused = await solve(dir, ...SMALL_SOLVE_GRID, ...extra);
      expect(refused.code).toBe(EXIT_USAGE);
      expect(refused.err).toContain(message);
    }
  });
});
