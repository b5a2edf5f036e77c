import type { WorkloadDocument } from '@mbs/core';
import { formatSeconds } from '@mbs/core';
import { roundRobinMap, roundRobinMarkedMap } from '@mbs/markov';
import { optionError } from '../options/option-error.js';
import { formatTable } from '../table.js';
import type { SolveTraceOptions } from './solve-options.js';
import type { WindowResult } from './solve-windows.js';

/**
 * Checks `--front-ends`: an integer >= 1; with more than one, `--verify`, `--verify-holdout` and
 * `--range-fits` are refused, as they replay or fit the whole stream, not one front end's share.
 */
export function checkFrontEndsOption(frontEnds: number, options: SolveTraceOptions): void {
  if (!(Number.isInteger(frontEnds) && frontEnds >= 1)) {
    throw optionError('--front-ends', `is ${frontEnds}; give an integer >= 1`, frontEnds);
  }
  if (frontEnds === 1) return;
  const clash = options.verify
    ? '--verify'
    : options.verifyHoldout !== undefined
      ? '--verify-holdout'
      : options.rangeFits
        ? '--range-fits'
        : undefined;
  if (clash !== undefined) {
    throw optionError(
      '--front-ends',
      `${frontEnds} cannot be combined with ${clash}, which works on the whole stream's arrivals; solve per front end without it`,
      frontEnds,
    );
  }
}

/**
 * The workload one of k identical front ends sees behind a round-robin balancer: every window's
 * MAP becomes the MAP of every k-th arrival (`roundRobinMap` of `@mbs/markov`); the class mix is
 * unchanged, so each buffer's arrivals are that share thinned by its classes; a marked window
 * (`classArrivals`) stays marked (`roundRobinMarkedMap`), each buffer its exact restriction.
 */
export function frontEndWorkload(workload: WorkloadDocument, frontEnds: number): WorkloadDocument {
  if (frontEnds === 1) return workload;
  return {
    ...workload,
    windows: workload.windows.map((window) => {
      const arrivals = Math.round(window.arrivals / frontEnds);
      if (!window.classArrivals) {
        return { ...window, map: roundRobinMap(window.map, frontEnds), arrivals };
      }
      const { d0, d1, classArrivals } = roundRobinMarkedMap(
        { ...window.map, classArrivals: window.classArrivals },
        frontEnds,
      );
      return { ...window, map: { d0, d1 }, classArrivals, arrivals };
    }),
  };
}

/** One row of what k front ends cost against one. */
export interface FrontEndsRow {
  readonly frontEnds: number;
  readonly window: number;
  readonly costPerRequestUsd: number;
  readonly latencyPercentileSeconds: number;
  /** Invocations per second of one front end. */
  readonly invocationsPerSecond: number;
  readonly buffers: number;
  readonly feasible: boolean;
}

/** What k front ends cost against one: the cheapest configuration of each, per window. */
export interface FrontEndsComparison {
  readonly frontEnds: number;
  readonly rows: readonly FrontEndsRow[];
  /** Cost per request with k front ends over the cost with one, minus 1, per window. */
  readonly extraCostShare: readonly number[];
}

const rowsOf = (frontEnds: number, results: readonly WindowResult[]): FrontEndsRow[] =>
  results.map((result, window) => {
    const solution = result.report.solution;
    return {
      frontEnds,
      window,
      costPerRequestUsd: solution.costPerRequestUsd,
      latencyPercentileSeconds: solution.latencyPercentile,
      invocationsPerSecond: solution.invocationsPerSecond,
      buffers: solution.buffers.length,
      feasible: solution.feasible,
    };
  });

/** Compares the solves with k front ends and with one. */
export function compareFrontEnds(
  frontEnds: number,
  split: readonly WindowResult[],
  single: readonly WindowResult[],
): FrontEndsComparison {
  const rows = [...rowsOf(1, single), ...rowsOf(frontEnds, split)];
  return {
    frontEnds,
    rows,
    extraCostShare: split.map(
      (result, window) =>
        result.report.solution.costPerRequestUsd /
          single[window]!.report.solution.costPerRequestUsd -
        1,
    ),
  };
}

/** The comparison as text, for `mbs solve --front-ends k`. */
export function describeFrontEnds(comparison: FrontEndsComparison): string {
  const table = formatTable(comparison.rows, [
    { header: 'front ends', value: (row) => String(row.frontEnds), align: 'right' },
    { header: 'window', value: (row) => String(row.window), align: 'right' },
    { header: 'buffers', value: (row) => String(row.buffers), align: 'right' },
    {
      header: '$ per 1M requests',
      value: (row) => (row.costPerRequestUsd * 1e6).toFixed(3),
      align: 'right',
    },
    {
      header: 'latency pctl',
      value: (row) => formatSeconds(row.latencyPercentileSeconds),
      align: 'right',
    },
    {
      header: 'inv/s per front end',
      value: (row) => row.invocationsPerSecond.toFixed(2),
      align: 'right',
    },
    { header: 'meets', value: (row) => (row.feasible ? 'yes' : 'no'), align: 'right' },
  ]);
  const extra = comparison.extraCostShare
    .map(
      (share, window) => `window ${window}: ${share >= 0 ? '+' : ''}${(share * 100).toFixed(2)} %`,
    )
    .join(', ');
  return [
    '',
    `What ${comparison.frontEnds} identical front ends behind round robin cost (each sees one request in ${comparison.frontEnds}, so its batches fill ${comparison.frontEnds} times slower):`,
    table,
    `Cost per request with ${comparison.frontEnds} front ends against one: ${extra}. The configuration written is the one for ${comparison.frontEnds} front ends (deploy it once; every front end serves it).`,
    '',
  ].join('\n');
}
