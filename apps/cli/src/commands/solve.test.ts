import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatSeconds, parseConfigurationDocument } from '@mbs/core';
import { captureIo } from '@mbs/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';
import { SMALL_SOLVE_GRID as SMALL_GRID } from '../testing/small-solve-grid.js';
import { DEFAULT_HOLDOUT_CONFIDENCE } from './solve-options.js';

/** Ours alone on a synthetic trace at a 3 s SLO. */
const SYNTHETIC_ARGS = [
  'solve',
  '--trace',
  'synthetic:seed=5,count=20000',
  ...SMALL_GRID,
  '--slo',
  '3',
  '--no-baselines',
];

/**
 * Seed 6 at 3 s misses in the first replay (by 0.5 %: the fit chosen by counting statistics
 * leaves little to correct), so verification has to tighten.
 */
const VERIFY_ARGS = [
  'solve',
  '--trace',
  'synthetic:seed=6,count=20000',
  ...SMALL_GRID,
  '--slo',
  '3',
  '--no-baselines',
  '--verify',
];

interface SolveJson {
  feasible: boolean;
  windows: {
    solution: {
      feasible: boolean;
      costPerRequestUsd: number;
      latencyPercentile: number;
      system: { buffers: unknown[] };
    };
    baselines: { name: string; feasible: boolean; costPerRequestUsd: number }[];
  }[];
}

describe('mbs solve', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-solve-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('says an SLO under the latency floor before fitting, with the p95 the search then reaches', async () => {
    const io = captureIo();
    const args = SYNTHETIC_ARGS.map((arg, index) =>
      SYNTHETIC_ARGS[index - 1] === '--slo' ? '0.001' : arg,
    );
    expect(await main([...args, '--json'], io)).toBe(EXIT_RUNTIME_ERROR);
    const line = io
      .err()
      .split('\n')
      .find((text) => text.includes('under the latency floor'));
    expect(line).toMatch(/best achievable p95 is ([\d.]+ m?s), reached without batching \(B = 1\)/);
    const result = JSON.parse(io.out()) as SolveJson;
    expect(result.feasible).toBe(false);
    // The floor the line names is the percentile the full search settles on.
    const seconds = result.windows[0]!.solution.latencyPercentile;
    expect(line).toContain(`is ${formatSeconds(seconds)},`);
  });

  it('solves the built-in workload and beats or matches every feasible baseline', async () => {
    const io = captureIo();
    const out = path.join(scratch, 'config.json');
    expect(await main(['solve', ...SMALL_GRID, '--slo', '1.5', '--out', out, '--json'], io)).toBe(
      EXIT_OK,
    );
    const result = JSON.parse(io.out()) as SolveJson;
    const window = result.windows[0]!;
    expect(result.feasible).toBe(true);
    expect(window.solution.latencyPercentile).toBeLessThanOrEqual(1.5 * (1 + 1e-6));
    expect(window.baselines.map((baseline) => baseline.name)).toEqual([
      'no batching',
      'one buffer (BATCH)',
      'MBS (equal-load, bayesian)',
      'ours (frontier)',
    ]);
    for (const baseline of window.baselines) {
      if (baseline.feasible)
        expect(window.solution.costPerRequestUsd).toBeLessThanOrEqual(
          baseline.costPerRequestUsd * 1.001,
        );
    }
    const written = parseConfigurationDocument(JSON.parse(readFileSync(out, 'utf8')), out);
    expect(written.windows[0]!.system.buffers).toHaveLength(window.solution.system.buffers.length);
    expect(written.windows[0]!.prediction?.percentile).toBe(0.95);
    // The names mbs deploy creates and the batcher invokes, written into the file.
    expect(written.windows[0]!.system.buffers.map((buffer) => buffer.functionName)).toEqual(
      window.solution.system.buffers.map((_, index) => `mbs-b${index}`),
    );
  }, 60_000);

  it('refuses a function name prefix Lambda cannot take', async () => {
    const io = captureIo();
    expect(await main(['solve', ...SMALL_GRID, '--prefix', 'no spaces'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('--prefix is "no spaces"; give 1..40 letters');
  });

  it('exits 1 with the best achievable percentile when the SLO cannot be met', async () => {
    const io = captureIo();
    expect(await main(['solve', ...SMALL_GRID, '--slo', '0.001', '--no-baselines'], io)).toBe(
      EXIT_RUNTIME_ERROR,
    );
    expect(io.out()).toContain('the constraint cannot be met: the best achievable p95 is');
    expect(io.err()).toContain('cannot be met in 1 of 1 window');
  }, 60_000);

  it('solves a MAP given as D0 and D1 files with an MBS-format profile and class shares', async () => {
    const d0 = path.join(scratch, 'D0.csv');
    const d1 = path.join(scratch, 'D1.csv');
    // Twitter hour 1, as published with the BATCH and MBS solvers.
    writeFileSync(d0, '-14.625001,0.000000\n0.000000,-35.171226\n');
    writeFileSync(d1, '0.051020,14.573981\n0.063796,35.107429\n');
    const profile = path.join(scratch, 'profile.json');
    const row = (base: number) => Array.from({ length: 8 }, (_, index) => base * (1 + 0.8 * index));
    writeFileSync(
      profile,
      JSON.stringify({
        service_time: { '1024': [row(60), row(90), row(130)], '2048': [row(35), row(50), row(70)] },
      }),
    );
    const io = captureIo();
    const code = await main(
      [
        'solve',
        '--workload',
        `${d0},${d1}`,
        '--profile',
        profile,
        '--class-shares',
        '0.5,0.3,0.2',
        '--slo',
        '0.6',
        '--timeout-steps',
        '5',
        '--json',
      ],
      io,
    );
    expect(io.err()).not.toContain('mbs:');
    expect(code).toBe(EXIT_OK);
    const result = JSON.parse(io.out()) as SolveJson;
    expect(result.windows[0]!.solution.feasible).toBe(true);
  }, 60_000);

  it('replays the trace with --verify and tightens the SLO until the replay meets it', async () => {
    const io = captureIo();
    const code = await main([...VERIFY_ARGS, '--json'], io);
    expect(io.err()).not.toContain('mbs:');
    expect(code).toBe(EXIT_OK);
    const result = JSON.parse(io.out()) as {
      windows: {
        arrivals: number;
        solution: { latencyPercentile: number; costPerRequestUsd: number };
        verification: {
          modelPercentileSeconds: number;
          replayPercentileSeconds: number;
          replayCostPerRequestUsd: number;
          replayedRequests: number;
          verified: boolean;
          rounds: number;
          bisections: number;
          internalSloSeconds: number;
          attempts: { internalSloSeconds: number; replayPercentileSeconds: number }[];
        };
      }[];
    };
    const window = result.windows[0]!;
    const { verification } = window;
    expect(verification.verified).toBe(true);
    expect(verification.replayedRequests).toBe(window.arrivals);
    expect(verification.replayPercentileSeconds).toBeGreaterThan(0);
    expect(verification.replayPercentileSeconds).toBeLessThanOrEqual(3);
    expect(verification.modelPercentileSeconds).toBe(window.solution.latencyPercentile);
    // The kept configuration was solved for the internal SLO, never looser than the real one.
    expect(verification.internalSloSeconds).toBeLessThanOrEqual(3);
    expect(verification.modelPercentileSeconds).toBeLessThanOrEqual(
      verification.internalSloSeconds * (1 + 1e-6),
    );
    // Seed 6 at 3 s misses in the first replay, so the tightening path is exercised.
    expect(verification.rounds).toBeGreaterThan(0);
    expect(verification.internalSloSeconds).toBeLessThan(3);
    expect(verification.attempts).toHaveLength(verification.rounds + verification.bisections + 1);
    expect(verification.attempts[0]!.internalSloSeconds).toBe(3);
    expect(verification.attempts[0]!.replayPercentileSeconds).toBeGreaterThan(3);
    // Replay and model price the same batches: their costs agree to a few percent.
    expect(verification.replayCostPerRequestUsd / window.solution.costPerRequestUsd).toBeCloseTo(
      1,
      1,
    );
  }, 60_000);

  it('bisects the SLO after the tightening meets with --verify-refine and prints the premium', async () => {
    const args = [...VERIFY_ARGS, '--verify-refine', '2'];
    const io = captureIo();
    expect(await main([...args, '--json'], io)).toBe(EXIT_OK);
    const { verification } = (
      JSON.parse(io.out()) as {
        windows: {
          verification: {
            verified: boolean;
            rounds: number;
            bisections: number;
            refinements: number;
            internalSloSeconds: number;
            costPremiumShare: number;
            attempts: { phase: string; internalSloSeconds: number; meets: boolean }[];
          };
        }[];
      }
    ).windows[0]!;
    expect(verification.verified).toBe(true);
    expect(verification.refinements).toBe(2);
    expect(verification.attempts).toHaveLength(verification.rounds + verification.bisections + 3);
    const refined = verification.attempts.slice(-2);
    expect(refined.map((attempt) => attempt.phase)).toEqual(['refine', 'refine']);
    // Bisection only looks between the SLO that met and the one that missed, never past 3 s.
    for (const attempt of refined) expect(attempt.internalSloSeconds).toBeLessThan(3);
    const text = captureIo();
    expect(await main(args, text)).toBe(EXIT_OK);
    expect(text.out()).toMatch(/premium/);
    expect(text.out()).toContain(`${(verification.costPremiumShare * 100).toFixed(2)} %`);
  }, 60_000);

  it("models each buffer with its own range's fitted stream with --range-fits", async () => {
    // A short trace: each of the 36 ranges gets its own fit chosen by its counting match.
    const args = [
      ...SYNTHETIC_ARGS.map((arg) =>
        arg.startsWith('synthetic:') ? 'synthetic:seed=5,count=4000' : arg,
      ),
      '--json',
    ];
    const thinned = captureIo();
    expect(await main(args, thinned)).toBe(EXIT_OK);
    const fitted = captureIo();
    expect(await main([...args, '--range-fits'], fitted)).toBe(EXIT_OK);
    const before = (JSON.parse(thinned.out()) as SolveJson).windows[0]!.solution;
    const after = (JSON.parse(fitted.out()) as SolveJson).windows[0]!.solution;
    expect(after.feasible).toBe(true);
    expect(after.latencyPercentile).toBeLessThanOrEqual(3 * (1 + 1e-6));
    // Fitted streams differ from thinned ones at least by sampling noise, so the model moves.
    expect(after.latencyPercentile).not.toBe(before.latencyPercentile);
  }, 60_000);

  it('says infeasible in text, JSON and exit code when no replay meets, and keeps the first configuration', async () => {
    const io = captureIo();
    const code = await main([...VERIFY_ARGS, '--verify-rounds', '0', '--json'], io);
    expect(code).toBe(EXIT_RUNTIME_ERROR);
    expect(io.err()).toContain('mbs: infeasible: the replayed trace misses the constraint');
    const result = JSON.parse(io.out()) as {
      feasible: boolean;
      verified: boolean | null;
      windows: { solution: { feasible: boolean }; verification: { verified: boolean } }[];
    };
    // The model calls the configuration feasible; the replay does not, and the JSON says so.
    expect(result.windows[0]!.solution.feasible).toBe(true);
    expect(result.windows[0]!.verification.verified).toBe(false);
    expect(result.feasible).toBe(false);
    expect(result.verified).toBe(false);
    const plain = captureIo();
    expect(await main([...SYNTHETIC_ARGS, '--json'], plain)).toBe(EXIT_OK);
    expect((JSON.parse(plain.out()) as { verified: unknown }).verified).toBeNull();
  }, 60_000);

  it('with --verify-confidence, keeps a configuration whose share over the SLO clears its margin', async () => {
    const io = captureIo();
    const code = await main([...VERIFY_ARGS, '--verify-confidence', '0.9', '--json'], io);
    expect(code).toBe(EXIT_OK);
    const verification = (
      JSON.parse(io.out()) as {
        windows: {
          verification: {
            verified: boolean;
            replayPercentileSeconds: number;
            requestsOverSloShare: number;
            requestsOverSloMarginShare: number;
            attempts: { requestsOverSloShare: number; requestsOverSloMarginShare: number }[];
          };
        }[];
      }
    ).windows[0]!.verification;
    expect(verification.verified).toBe(true);
    expect(verification.requestsOverSloMarginShare).toBeGreaterThan(0);
    expect(
      verification.requestsOverSloShare + verification.requestsOverSloMarginShare,
    ).toBeLessThanOrEqual(0.05);
    expect(verification.replayPercentileSeconds).toBeLessThanOrEqual(3);
    for (const attempt of verification.attempts) {
      expect(attempt.requestsOverSloShare).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);

  it('checks the configuration out of sample with --verify-holdout, tuned at confidence 0.99 by default', async () => {
    const io = captureIo();
    const code = await main([...VERIFY_ARGS, '--verify-holdout', '0.5', '--json'], io);
    const result = JSON.parse(io.out()) as {
      feasible: boolean;
      verified: boolean;
      holdout: {
        fraction: number;
        arrivals: number;
        confidence: number | null;
        replayPercentileSeconds: number;
        meets: boolean;
        overSloShare: number;
      };
      windows: {
        arrivals: number;
        verification: {
          verified: boolean;
          requestsOverSloShare: number;
          requestsOverSloMarginShare: number;
        };
      }[];
    };
    const { holdout } = result;
    expect(holdout.fraction).toBe(0.5);
    // Without --verify-confidence, the tuned part is verified with a bound at 0.99.
    expect(holdout.confidence).toBe(DEFAULT_HOLDOUT_CONFIDENCE);
    const tuned = result.windows[0]!.verification;
    expect(tuned.requestsOverSloMarginShare).toBeGreaterThan(0);
    if (tuned.verified) {
      expect(tuned.requestsOverSloShare + tuned.requestsOverSloMarginShare).toBeLessThanOrEqual(
        0.05,
      );
    }
    // The fit saw the first half only; the other half is checked.
    expect(holdout.arrivals + result.windows[0]!.arrivals).toBe(20_000);
    expect(holdout.arrivals).toBeGreaterThan(5000);
    expect(holdout.meets).toBe(holdout.replayPercentileSeconds <= 3);
    expect(holdout.overSloShare).toBeCloseTo(holdout.replayPercentileSeconds / 3 - 1, 12);
    expect(code).toBe(result.feasible && holdout.meets ? EXIT_OK : EXIT_RUNTIME_ERROR);
    // In text, with the confidence overridden (tuned on the first half, as --verify would).
    const text = captureIo();
    await main([...VERIFY_ARGS, '--verify-holdout', '0.5', '--verify-confidence', '0.9'], text);
    expect(text.out()).toMatch(/out of sample: the last 50 % of the trace \(\d+ arrivals/);
    expect(text.out()).toContain('tuned at confidence 0.9:');
    expect(text.out()).toMatch(/over SLO \+ margin/);
    expect(text.out()).toMatch(/\d+\.\d\d % \+ \d+\.\d\d %/);
  }, 60_000);

  it('keeps a robustness margin and reports its price', async () => {
    const io = captureIo();
    expect(await main([...SYNTHETIC_ARGS, '--margin-percentile', '0.01', '--json'], io)).toBe(
      EXIT_OK,
    );
    const window = (
      JSON.parse(io.out()) as {
        margin: { percentileMargin: number };
        windows: {
          solution: { costPerRequestUsd: number; latencyPercentile: number };
          withoutMargin: { costPerRequestUsd: number };
          marginPremiumShare: number;
        }[];
      }
    ).windows[0]!;
    expect(window.solution.latencyPercentile).toBeLessThanOrEqual(3 * (1 + 1e-9));
    expect(window.marginPremiumShare).toBeCloseTo(
      window.solution.costPerRequestUsd / window.withoutMargin.costPerRequestUsd - 1,
      12,
    );
    // p96 within 3 s costs at least what p95 does, up to the search's 0.5 % tolerance.
    expect(window.marginPremiumShare).toBeGreaterThan(-0.005);
    const text = captureIo();
    expect(await main([...SYNTHETIC_ARGS, '--margin-percentile', '0.01'], text)).toBe(EXIT_OK);
    expect(text.out()).toMatch(
      /robustness margin: [\d.]+ \$ per million requests vs [\d.]+ without it/,
    );
  }, 60_000);

  it('exits 2 naming a bad option and what it accepts', async () => {
    const io = captureIo();
    expect(await main(['solve', '--percentile', '95'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toContain('--percentile is 95; give a number in (0, 1)');
    const budget = captureIo();
    expect(await main(['solve', '--constraint', 'cost'], budget)).toBe(EXIT_USAGE);
    expect(budget.err()).toContain('--budget');
    const verify = captureIo();
    expect(await main(['solve', '--verify'], verify)).toBe(EXIT_USAGE);
    expect(verify.err()).toContain('--verify needs --trace');
    const rangeFits = captureIo();
    expect(await main(['solve', '--range-fits'], rangeFits)).toBe(EXIT_USAGE);
    expect(rangeFits.err()).toContain('--range-fits needs --trace');
    const refine = captureIo();
    expect(
      await main(
        ['solve', '--trace', 'synthetic:seed=5,count=100', '--verify', '--verify-refine', '-1'],
        refine,
      ),
    ).toBe(EXIT_USAGE);
    expect(refine.err()).toContain('--verify-refine is -1; give an integer >= 0');
    const holdout = captureIo();
    expect(
      await main(
        ['solve', '--trace', 'synthetic:seed=5,count=100', '--verify-holdout', '1'],
        holdout,
      ),
    ).toBe(EXIT_USAGE);
    expect(holdout.err()).toContain(
      '--verify-holdout is 1; give the fraction of the trace to hold out',
    );
    const margin = captureIo();
    expect(await main(['solve', '--margin-slo', '1'], margin)).toBe(EXIT_USAGE);
    expect(margin.err()).toContain('--margin-slo is 1; give a share of the SLO in [0, 1)');
    const verifyMargin = captureIo();
    expect(
      await main(
        ['solve', '--trace', 'synthetic:seed=5,count=100', '--verify', '--verify-margin', '-1'],
        verifyMargin,
      ),
    ).toBe(EXIT_USAGE);
    expect(verifyMargin.err()).toContain('--verify-margin is -1; give a number of standard errors');
    const synthetic = ['solve', '--trace', 'synthetic:seed=5,count=100'];
    for (const [args, message] of [
      [['--verify', '--verify-confidence', '1'], '--verify-confidence is 1; give a probability'],
      [['--verify', '--verify-confidence', '-0.1'], 'give a probability in [0, 1)'],
      [['--verify-confidence', '0.9'], '--verify-confidence is 0.9; it needs --verify'],
      [
        ['--verify', '--verify-confidence', '0.9', '--verify-margin', '2'],
        'give one margin: not with --verify-margin 2',
      ],
    ] as const) {
      const confidence = captureIo();
      expect(await main([...synthetic, ...args], confidence)).toBe(EXIT_USAGE);
      expect(confidence.err()).toContain(message);
    }
    const marks = captureIo();
    expect(await main(['solve', '--marks', 'fitted'], marks)).toBe(EXIT_USAGE);
    expect(marks.err()).toContain('--marks needs --trace');
  });
});
