import {
  arrivalRate,
  interArrivalScv,
  markedMapClassShares,
  poissonMap,
  validateMarkedMap,
} from '@mbs/markov';
import { captureIo } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';
import { SMALL_SOLVE_GRID } from '../testing/small-solve-grid.js';
import { frontEndWorkload } from './solve-front-ends.js';

interface FrontEndsJson {
  frontEnds: {
    frontEnds: number;
    rows: { frontEnds: number; costPerRequestUsd: number; invocationsPerSecond: number }[];
    extraCostShare: number[];
  };
  windows: { solution: { costPerRequestUsd: number } }[];
}

describe('mbs solve --front-ends', () => {
  it("solves for one front end's round-robin share and prints what k costs against one", async () => {
    const io = captureIo();
    const code = await main(
      [
        'solve',
        ...SMALL_SOLVE_GRID,
        '--slo',
        '1.5',
        '--no-baselines',
        '--front-ends',
        '3',
        '--json',
      ],
      io,
    );
    expect(code, io.err()).toBe(EXIT_OK);
    const result = JSON.parse(io.out()) as FrontEndsJson;
    const [single, split] = result.frontEnds.rows;
    expect(single).toMatchObject({ frontEnds: 1 });
    expect(split).toMatchObject({ frontEnds: 3 });
    expect(split!.costPerRequestUsd).toBe(result.windows[0]!.solution.costPerRequestUsd);
    // Three times fewer requests per front end fill batches more slowly: never cheaper.
    expect(result.frontEnds.extraCostShare[0]).toBeGreaterThanOrEqual(-1e-9);
    expect(split!.invocationsPerSecond).toBeLessThan(single!.invocationsPerSecond);
    const text = captureIo();
    expect(
      await main(
        ['solve', ...SMALL_SOLVE_GRID, '--slo', '1.5', '--no-baselines', '--front-ends', '2'],
        text,
      ),
    ).toBe(EXIT_OK);
    expect(text.out()).toMatch(/What 2 identical front ends behind round robin cost/);
  });

  it('refuses a count that is not a positive integer, and --verify or --range-fits with k > 1', async () => {
    for (const extra of [
      ['--front-ends', '0'],
      ['--front-ends', '1.5'],
      ['--front-ends', '2', '--trace', 'synthetic:count=2000', '--verify'],
      ['--front-ends', '2', '--trace', 'synthetic:count=2000', '--range-fits'],
      ['--front-ends', '2', '--trace', 'synthetic:count=2000', '--verify-holdout', '0.5'],
    ]) {
      const io = captureIo();
      expect(await main(['solve', ...SMALL_SOLVE_GRID, ...extra], io), extra.join(' ')).toBe(
        EXIT_USAGE,
      );
      expect(io.err()).toMatch(/--front-ends/);
    }
  });

  it('gives each window the MAP of every k-th arrival and keeps the class mix', () => {
    const workload = {
      schema: 'mbs.workload' as const,
      version: 1 as const,
      classUpperEdges: [1, 2],
      classRepresentativeSizes: [1, 2],
      windows: [
        {
          startSeconds: 0,
          endSeconds: 60,
          arrivals: 600,
          map: poissonMap(10),
          classShares: [0.5, 0.5],
        },
      ],
    };
    const share = frontEndWorkload(workload as never, 4).windows[0]!;
    expect(arrivalRate(share.map)).toBeCloseTo(2.5, 10);
    expect(interArrivalScv(share.map)).toBeCloseTo(0.25, 10);
    expect(share.classShares).toEqual([0.5, 0.5]);
    expect(share.arrivals).toBe(150);
    expect(frontEndWorkload(workload as never, 1)).toBe(workload);
  });

  it('keeps a marked window marked: class matrices of every k-th arrival, summing to its d1', () => {
    const map = {
      d0: [
        [-11, 1],
        [1, -2],
      ],
      d1: [
        [10, 0],
        [0, 1],
      ],
    };
    // Class 0 arrives in the fast phase, class 1 in the slow one.
    const classArrivals = [
      [
        [10, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 1],
      ],
    ];
    const window = { startSeconds: 0, endSeconds: 60, arrivals: 600, map, classArrivals };
    const workload = { classUpperEdges: [1, 2], windows: [{ ...window, classShares: [0.5, 0.5] }] };
    const share = frontEndWorkload(workload as never, 3).windows[0]!;
    const marked = validateMarkedMap({ ...share.map, classArrivals: share.classArrivals! });
    expect(marked.d0).toHaveLength(6);
    expect(arrivalRate(marked)).toBeCloseTo(arrivalRate(map) / 3, 10);
    // Round robin takes every k-th arrival whatever its class: the class mix is the stream's.
    const mix = markedMapClassShares({ ...map, classArrivals });
    markedMapClassShares(marked).forEach((value, classId) => {
      expect(value).toBeCloseTo(mix[classId]!, 8);
    });
  });
});
