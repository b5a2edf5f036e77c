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
    const alone = captureIo();
    await main(['solve', ...SMALL_GRID, '--slo', '2', '--no-baselines', '--json'], alone);
    const single = JSON.parse(alone.out()) as {
      windows: { solution: { costPerRequestUsd: number } }[];
    };
    // The same configuration; its cost may differ in the last bits (sums in another order).
    const cost = single.windows[0]!.solution.costPerRequestUsd;
    expect(Math.abs(frontier[1]!.costPerRequestUsd / cost - 1)).toBeLessThan(1e-12);
  }, 120_000);

  it('refuses a single SLO, a bad number, and options that need one configuration', async () => {
    for (const [extra, message] of [
      [['--slos', '2'], 'give two or more positive SLOs'],
      [['--slos', '1,x'], 'give two or more positive SLOs'],
      [['--slos', '1,2', '--slo', '3'], 'cannot be used with --slo'],
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
