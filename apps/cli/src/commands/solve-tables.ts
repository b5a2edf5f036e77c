import { formatSeconds, usdPerMillionRequests } from '@mbs/core';
import type { Solution } from '@mbs/optimizer';
import { formatTable } from '../table.js';
import type { HoldoutCheck } from './solve-holdout.js';
import type { SolveSettings } from './solve-json.js';
import type { WindowResult } from './solve-windows.js';

/** A percentile as `mbs solve` names it: `p95`, `p99.9`, `p95 per size`. */
export function percentileLabel(percentile: number, perSize = false): string {
  return `p${Number((percentile * 100).toFixed(3))}${perSize ? ' per size' : ''}`;
}

function describeVerification(windows: readonly WindowResult[], percentile: number): string {
  const label = percentileLabel(percentile);
  const rows = windows.filter((window) => window.verification !== undefined);
  return `verification: each window's trace arrivals replayed through its configuration\n${formatTable(
    rows,
    [
      {
        header: 'window',
        value: (row) =>
          `${Number(row.startSeconds.toFixed(1))} s .. ${Number(row.endSeconds.toFixed(1))} s`,
      },
      {
        header: `model ${label}`,
        value: (row) => formatSeconds(row.verification!.solution.latencyPercentile),
        align: 'right',
      },
      {
        header: `replay ${label}`,
        value: (row) => formatSeconds(row.verification!.replay.percentileSeconds),
        align: 'right',
      },
      {
        header: 'replay $/1M req',
        value: (row) =>
          usdPerMillionRequests(row.verification!.replay.costPerRequestUsd).toFixed(3),
        align: 'right',
      },
      { header: 'verified', value: (row) => (row.verification!.verified ? 'yes' : 'no') },
      {
        header: 'rounds + bisections + refinements',
        value: (row) =>
          `${row.verification!.rounds} + ${row.verification!.bisections} + ${row.verification!.refinements}`,
        align: 'right',
      },
      { header: 'jumps', value: (row) => String(row.verification!.jumps), align: 'right' },
      {
        header: 'internal SLO',
        value: (row) =>
          Number.isNaN(row.verification!.internalSloSeconds)
            ? '-'
            : formatSeconds(row.verification!.internalSloSeconds),
        align: 'right',
      },
      {
        header: 'premium',
        value: (row) => `${(row.verification!.costPremiumShare * 100).toFixed(2)} %`,
        align: 'right',
      },
      // With --verify-confidence: what the kept replay cleared, share over the SLO + margin.
      ...(rows.some((row) => row.verification!.requestsOverSlo !== undefined)
        ? [
            {
              header: 'over SLO + margin',
              value: (row: WindowResult) => {
                const requestsOverSlo = row.verification!.requestsOverSlo;
                return requestsOverSlo
                  ? `${(requestsOverSlo.share * 100).toFixed(2)} % + ${(requestsOverSlo.marginShare * 100).toFixed(2)} %`
                  : '-';
              },
              align: 'right' as const,
            },
          ]
        : []),
    ],
  )}`;
}

function describeBuffers(solution: Solution): string {
  return formatTable(solution.buffers, [
    {
      header: 'buffer',
      value: (buffer) => String(solution.buffers.indexOf(buffer)),
      align: 'right',
    },
    {
      header: 'classes',
      value: ({ range }) =>
        `${range.firstClass}${range.firstClassShare < 1 ? `(${range.firstClassShare})` : ''}..${range.lastClass}${
          range.lastClass !== range.firstClass && range.lastClassShare < 1
            ? `(${range.lastClassShare})`
            : ''
        }`,
    },
    { header: 'share', value: ({ outcome }) => outcome.requestShare.toFixed(3), align: 'right' },
    { header: 'B', value: ({ settings }) => String(settings.batchSize), align: 'right' },
    {
      header: 'T',
      value: ({ settings }) => formatSeconds(settings.timeoutSeconds),
      align: 'right',
    },
    { header: 'M (MB)', value: ({ settings }) => String(settings.memoryMb), align: 'right' },
    {
      header: '$/1M req',
      value: ({ outcome }) => usdPerMillionRequests(outcome.costPerRequestUsd).toFixed(3),
      align: 'right',
    },
    {
      header: 'inv/s',
      value: ({ outcome }) => outcome.invocationsPerSecond.toFixed(2),
      align: 'right',
    },
    {
      header: 'padding',
      value: ({ outcome }) => `${(outcome.paddingShare * 100).toFixed(1)} %`,
      align: 'right',
    },
  ]);
}

function describeWindow(
  window: WindowResult,
  problem: { percentile: number; perSize: boolean },
): string {
  const ours = window.report.solution;
  const reference = window.report.baselines.find(
    (baseline) => baseline.name === 'no batching',
  )?.solution;
  const label = percentileLabel(problem.percentile, problem.perSize);
  const rows = window.report.baselines;
  const comparison = formatTable(rows, [
    { header: 'configuration', value: (row) => row.name },
    { header: 'buffers', value: (row) => String(row.solution.buffers.length), align: 'right' },
    {
      header: '$/1M req',
      value: (row) => usdPerMillionRequests(row.solution.costPerRequestUsd).toFixed(3),
      align: 'right',
    },
    {
      header: label,
      value: (row) =>
        problem.perSize
          ? row.solution.latencyPercentile.toPrecision(3)
          : formatSeconds(row.solution.latencyPercentile),
      align: 'right',
    },
    { header: 'meets', value: (row) => (row.solution.feasible ? 'yes' : 'no') },
    {
      header: 'inv/s',
      value: (row) => row.solution.invocationsPerSecond.toFixed(2),
      align: 'right',
    },
    {
      header: 'padding',
      value: (row) => `${(row.solution.paddingShare * 100).toFixed(1)} %`,
      align: 'right',
    },
    {
      header: 'ours saves',
      value: (row) =>
        row.solution === ours || !row.solution.feasible
          ? ''
          : `${((1 - ours.costPerRequestUsd / row.solution.costPerRequestUsd) * 100).toFixed(1)} %`,
      align: 'right',
    },
    { header: 'evals', value: (row) => String(row.solution.evaluations), align: 'right' },
    {
      header: 'time',
      value: (row) => `${row.solution.elapsedSeconds.toFixed(2)} s`,
      align: 'right',
    },
  ]);
  const header = `window ${Number(window.startSeconds.toFixed(1))} s .. ${Number(window.endSeconds.toFixed(1))} s${window.arrivals > 0 ? ` (${window.arrivals} arrivals)` : ''}`;
  const verdict = ours.feasible
    ? `ours: ${ours.buffers.length} buffer(s), ${usdPerMillionRequests(ours.costPerRequestUsd).toFixed(3)} $ per million requests${
        reference?.feasible
          ? `, ${(reference.costPerRequestUsd / ours.costPerRequestUsd).toFixed(2)}x cheaper than no batching`
          : ''
      }`
    : `the constraint cannot be met: the best achievable ${label} is ${formatSeconds(ours.latencyPercentile)}, with this configuration`;
  const fit = window.fit
    ? `arrival fit: ${window.fit.method}${window.fit.counting ? ` (counting match ${window.fit.counting.score.toFixed(3)}, 0 = exact)` : ''}${window.fit.selection ? `: ${window.fit.selection.reason}` : ''}\n${window.fit.marks ? `classes: ${window.fit.marks.reason}\n` : ''}`
    : '';
  const ranges = window.ranges
    ? `buffer streams: each class range's own arrivals fitted (${window.ranges.ranges} ranges: ${window.ranges.ownFits} own fits, ${window.ranges.candidates} marked restrictions, ${window.ranges.poisson} Poisson; mean counting match ${window.ranges.meanScore?.toFixed(3) ?? '-'})\n`
    : '';
  const margin = window.nominal
    ? `robustness margin: ${usdPerMillionRequests(ours.costPerRequestUsd).toFixed(3)} $ per million requests vs ${usdPerMillionRequests(window.nominal.costPerRequestUsd).toFixed(3)} without it (${((ours.costPerRequestUsd / window.nominal.costPerRequestUsd - 1) * 100).toFixed(2)} %)\n`
    : '';
  const next = window.nextWindow
    ? `out of sample: this configuration on the next window's arrivals: ${label} ${formatSeconds(window.nextWindow.percentileSeconds)}\n`
    : '';
  return `${header}\n${fit}${ranges}${comparison}\n${verdict}\n${margin}${describeBuffers(ours)}${describeGridBounds(ours)}${next}`;
}

function describeHoldout(holdout: HoldoutCheck, percentile: number): string {
  const label = percentileLabel(percentile);
  const over = holdout.replay.percentileSeconds / holdout.sloSeconds - 1;
  const verdict = Number.isNaN(holdout.sloSeconds)
    ? holdout.meets
      ? 'within the budget'
      : 'over the budget'
    : holdout.meets
      ? 'meets the SLO'
      : `misses the SLO by ${(over * 100).toFixed(1)} %`;
  const tuned =
    holdout.confidence === undefined
      ? ''
      : ` (tuned at confidence ${holdout.confidence}: in sample, the share over the SLO + its margin left room for the ${label}; --verify-confidence sets it, 0 drops it)`;
  return `out of sample: the last ${(holdout.fraction * 100).toFixed(0)} % of the trace (${holdout.arrivals} arrivals from ${Number(holdout.cutSeconds.toFixed(1))} s), never fitted nor tuned on, through the last window's configuration${tuned}: ${label} ${formatSeconds(holdout.replay.percentileSeconds)}, ${usdPerMillionRequests(holdout.replay.costPerRequestUsd).toFixed(3)} $ per million requests: ${verdict}\n`;
}

/**
 * The text of `mbs solve`: the settings, each window's comparison and buffers, the verification
 * table with `--verify`, and where `--out` wrote the configuration.
 */
export function describeSolve(
  settings: SolveSettings,
  results: readonly WindowResult[],
  options: { verify: boolean; out?: string | undefined; holdout?: HoldoutCheck | undefined },
): string {
  const { constraint, percentile, perSize } = settings;
  return `workload ${settings.workload}, profile ${settings.profile}, pricing ${settings.pricing}, ${
    constraint === undefined
      ? `objective ${settings.objective}`
      : constraint.mode === 'latency'
        ? `SLO ${constraint.sloSeconds}${perSize ? ' s per size unit' : ' s'}`
        : `budget $${constraint.budgetUsdPerRequest} per request`
  } at p${percentile * 100}${settings.rangeFits ? ', per-range arrival fits' : ''}\n\n${results.map((result) => describeWindow(result, { percentile, perSize })).join('\n')}${
    options.verify ? `\n${describeVerification(results, percentile)}\n` : ''
  }${options.holdout ? `\n${describeHoldout(options.holdout, percentile)}` : ''}${options.out ? `\nconfiguration written to ${options.out}\n` : ''}`;
}

/** A note when the optimum sits on the largest B or T of the grid, naming the option to widen. */
function describeGridBounds(solution: Solution): string {
  const notes = (solution.gridBoundsReached ?? []).map(({ parameter, value, buffers }) =>
    parameter === 'batchSize'
      ? `B = ${value} (--max-batch-size) in buffer(s) ${buffers.join(', ')}`
      : `T = ${formatSeconds(value)} (--max-timeout) in buffer(s) ${buffers.join(', ')}`,
  );
  return notes.length === 0
    ? ''
    : `note: the optimum sits on the grid's bound: ${notes.join('; ')}; a wider grid may be cheaper\n`;
}
