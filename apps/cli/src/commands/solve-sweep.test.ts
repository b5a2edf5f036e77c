import { captureIo } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';
import { SMALL_SOLVE_GRID as SMALL_GRID } from '../testing/small-solve-grid.js';

describe('mbs solve --slos', () => {
  it('prints cost against the SLO, falling as the SLO loosens, equal to solving each alone', async () => {
    const io = captureIo();
    const args = ['solve', ...SMALL_GRID, '--slos', '2,0.8', '--json'];
    expect(await main(args, io)).toBe(EXIT_OK);
    const sweep = JSON.parse(io.out()) as {
      windows: {
        frontier: { sloSeconds: number; costPerRequestUsd: number; feasible: boolean }[];
      }[];
    };
    const frontier = sweep.windows[0]!.frontier;
    expect(frontier.map((point) => point.sloSeconds)).toEqual([0.8, 2]);
    expect(frontier[1]!.costPerRequestUsd).toBeLessThanOrEqual(frontier[0]!.costPerRequestUsd);
    // With --slo, the SLO is solved in full and the sweep attached as its frontier: the
    // frontier's point at that SLO is the configuration solved alone, and mbs report reads it.
    const combined = captureIo();
    const combinedArgs = ['solve', ...SMALL_GRID, '--slo', '2', '--slos', '2,0.8'];
    expect(await main([...combinedArgs, '--no-baselines', '--json'], combined)).toBe(EXIT_OK);
    const single = JSON.parse(combined.out()) as {
      windows: { solution: { costPerRequestUsd: number }; frontier: typeof frontier }[];
    };
    expect(single.windows[0]!.frontier).toEqual(frontier);
    // The same configuration; its cost may differ in the last bits (sums in another order).
    const cost = single.windows[0]!.solution.costPerRequestUsd;
    expect(Math.abs(frontier[1]!.costPerRequestUsd / cost - 1)).toBeLessThan(1e-12);
    const { parseSolveDocument } = await import('@mbs/report');
    const read = parseSolveDocument(single, 'solve.json').document.windows[0]!.frontier!;
    expect(read.map((point) => [point.sloSeconds, point.costPerRequestUsd])).toEqual(
      frontier.map((point) => [point.sloSeconds, point.costPerRequestUsd]),
    );
  }, 120_000);

  it('refuses a single SLO, a bad number, and options that need one configuration', async () => {
    for (const [extra, message] of [
      [['--slos', '2'], 'give two or more positive SLOs'],
      [['--slos', '1,x'], 'give two or more positive SLOs'],
      [['--slos', '1,2', '--out', 'config.json'], 'with --out needs --slo'],
      [['--slos', '1,2', '--report', 'r.html'], 'with --report needs --slo'],
      [
        ['--slos', '1,2', '--constraint', 'cost', '--budget', '1e-6'],
        'cannot be used with --budget',
      ],
    ] as const) {
      const io = captureIo();
      expect(await main(['solve', ...SMALL_GRID, ...extra], io)).toBe(EXIT_USAGE);
      expect(io.err()).toContain(message);
    }
  });
});
