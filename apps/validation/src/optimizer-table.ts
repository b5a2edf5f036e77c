import { type SystemConfiguration, usdPerMillionRequests } from '@mbs/core';
import type { ReplayMeasurement, SearchBounds, Solution } from '@mbs/optimizer';
import type { OptimizerRow } from './optimizer-row.js';

const perMillion = (costPerRequestUsd: number) =>
  usdPerMillionRequests(costPerRequestUsd).toFixed(2);

function costCell(solution: Solution): string {
  return solution.feasible
    ? perMillion(solution.costPerRequestUsd)
    : `${perMillion(solution.costPerRequestUsd)} (misses: ${solution.latencyPercentile.toFixed(2)} s)`;
}

function savingsCell(ours: Solution, baseline: Solution): string {
  if (!ours.feasible) return 'ours misses';
  if (!baseline.feasible) return 'baseline misses';
  return `${((1 - ours.costPerRequestUsd / baseline.costPerRequestUsd) * 100).toFixed(1)} %`;
}

function replayCell(replay: ReplayMeasurement): string {
  const error = replay.standardErrorSeconds;
  return `${replay.percentileSeconds.toFixed(3)} s${error === undefined ? '' : ` ± ${(error * 1000).toFixed(1)} ms`}`;
}

function signedPercent(share: number): string {
  return `${share >= 0 ? '+' : ''}${(share * 100).toFixed(2)} %`;
}

function describeSystem(system: SystemConfiguration): string {
  return system.buffers
    .map(
      (buffer) =>
        `${buffer.firstClass}-${buffer.lastClass}: B ${buffer.batchSize}, T ${(buffer.timeoutSeconds * 1000).toFixed(0)} ms, ${buffer.memoryMb} MB`,
    )
    .join('; ');
}

function tableRow(row: OptimizerRow): string {
  const [noBatching, oneBuffer, mbs] = row.baselines.map(({ solution }) => solution);
  const { verification, check } = row;
  const ours = verification.solution;
  const cells = [
    `${row.caseName} (${row.arrivalRatePerSecond.toFixed(1)})`,
    `${row.sloSeconds} s`,
    costCell(noBatching!),
    costCell(oneBuffer!),
    costCell(mbs!),
    `${costCell(row.unverified)}, replay ${replayCell(verification.attempts[0]!.replay)}`,
    `${verification.rounds} + ${verification.refinements}`,
    `${verification.internalSloSeconds.toFixed(3)} s`,
    costCell(ours),
    signedPercent(verification.costPremiumShare),
    replayCell(verification.replay),
    perMillion(verification.replay.costPerRequestUsd),
    verification.verified ? 'yes' : 'no',
    check === undefined
      ? 'n/a (the trace itself)'
      : `${check.percentileSeconds.toFixed(3)} s, ${check.percentileSeconds <= row.sloSeconds ? 'meets' : 'misses'}`,
    [noBatching!, oneBuffer!, mbs!].map((baseline) => savingsCell(ours, baseline)).join(' / '),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** What the table's header states about the run. */
export interface TableContext {
  readonly profileName: string;
  readonly pricingName: string;
  readonly classCount: number;
  readonly bounds: SearchBounds;
  readonly standardErrors: number;
  readonly checkSeed: number;
  readonly totalSeconds: number;
  /** `--range-fits`: the Azure model had each class range's own MAP(2), not the one MAP thinned. */
  readonly rangeFits?: boolean;
}

/** The Markdown the README's results section shows: the table, then notes and configurations. */
export function optimizerTable(rows: readonly OptimizerRow[], context: TableContext): string {
  const { bounds } = context;
  const lines = [
    `Profile ${context.profileName} (${context.classCount} classes, ${bounds.memoriesMb[0]}..${bounds.memoriesMb.at(-1)} MB), pricing ${context.pricingName}, p95 SLO.`,
    `Grid: B ${bounds.batchSizes.join(',')}; T ${bounds.timeoutsSeconds.map((t) => t * 1000).join(',')} ms refined to 1 ms; all ${bounds.memoriesMb.length} profile memories; up to ${bounds.maxBuffers} buffers; no split classes. Ours = frontier, verified by replay. Costs in USD per million requests (model unless "replay"); "misses" = the best that configuration family reaches is above the SLO.`,
    ...(context.rangeFits
      ? [
          "Azure model: each class range's own MAP(2) fitted from the trace's arrivals in that range (`--range-fits`), for ours, its re-solves and the baselines; Twitter MAPs carry no per-request classes and are unchanged.",
        ]
      : []),
    '',
    '| case (req/s) | p95 SLO | no batching | one buffer (BATCH) | MBS (equal-load, bayesian) | ours unverified: model $/1M, replay p95 | rounds + bisections | internal SLO | ours verified: model $/1M | premium | replay p95 | replay $/1M | replay meets | check p95 (independent sample) | verified ours saves vs no batching / BATCH / MBS |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...rows.map(tableRow),
  ];
  const fitted = rows.filter((row) => row.fittedMapReplay !== undefined);
  if (fitted.length > 0) {
    lines.push(
      '',
      context.rangeFits
        ? "Real trace vs its one fitted MAP (ours unverified, replayed on a sample of the trace's one MAP; the model was given per-range fits instead):"
        : 'Real trace vs its fitted MAP (ours unverified, replayed on a sample of the MAP the model was given):',
      '',
      ...fitted.map(
        (row) =>
          `- ${row.caseName}, ${row.sloSeconds} s: model ${row.unverified.latencyPercentile.toFixed(3)} s, fitted-MAP replay ${row.fittedMapReplay!.percentileSeconds.toFixed(3)} s, real-trace replay ${row.verification.attempts[0]!.replay.percentileSeconds.toFixed(3)} s`,
      ),
    );
  }
  lines.push(
    '',
    'Verified configurations (classes: B, T, M):',
    '',
    ...rows.map(
      (row) =>
        `- ${row.caseName}, ${row.sloSeconds} s: ${describeSystem(row.verification.solution.system)}`,
    ),
    '',
    `Sampled replays meet only when p95 + ${context.standardErrors} standard errors (batch means over 20 stretches) <= SLO; the check replays an independent sample (seed ${context.checkSeed}) and compares its p95 with the SLO itself. Total time ${context.totalSeconds.toFixed(0)} s.`,
  );
  return lines.join('\n');
}
