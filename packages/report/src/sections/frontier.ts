import { formatSeconds, usdPerMillionRequests } from '@mbs/core';
import type { ReportInputs } from '../documents.js';
import { COLORS, type Figure, type FigureLine, type FigureSeries } from '../figure.js';
import { niceCeil, percentileName, type ReportSection } from '../section.js';

const BASELINE_SYMBOLS = ['diamond', 'triangle', 'rect'] as const;

/**
 * Cost per request against the latency percentile: ours (the chosen point), the baselines, and
 * the cost-vs-SLO frontier when the solve result carries a sweep.
 */
export function frontierSection(inputs: ReportInputs): ReportSection {
  const solve = inputs.solve?.document;
  const id = 'frontier';
  const title = 'Cost against the SLO';
  if (!solve) {
    return {
      id,
      title,
      paragraphs: [],
      figures: [],
      tables: [],
      missing: ['No cost figures: give --solve (mbs solve --json).'],
    };
  }
  const windowIndex = Math.min(inputs.window ?? 0, solve.windows.length - 1);
  const window = solve.windows[windowIndex]!;
  const p = percentileName(solve.percentile);
  const unit = window.model?.latencyUnit === 'seconds per size unit' ? 's per size unit' : 's';
  const missing: string[] = [];
  const series: FigureSeries[] = [];
  const rows: (string | number)[][] = [];
  const frontier = window.frontier ?? [];
  if (frontier.length > 0) {
    const points = frontier.map((point) => [
      point.latencyPercentile ?? point.sloSeconds,
      usdPerMillionRequests(point.costPerRequestUsd),
    ]);
    series.push({ name: 'frontier (cheapest per SLO)', kind: 'line', points, color: '#888888' });
    for (const point of frontier) {
      rows.push([
        'frontier',
        point.sloSeconds,
        point.latencyPercentile ?? Number.NaN,
        usdPerMillionRequests(point.costPerRequestUsd),
        point.feasible === false ? 'no' : 'yes',
      ]);
    }
  } else {
    missing.push(
      'No cost-vs-SLO sweep in the solve result, so no frontier line: only the chosen point and the baselines are drawn.',
    );
  }
  const ours = window.solution;
  const others = window.baselines.filter((baseline) => !baseline.name.startsWith('ours'));
  series.push({
    name: `ours, chosen (${ours.strategy || 'solve'})`,
    kind: 'scatter',
    points: [[ours.latencyPercentile, usdPerMillionRequests(ours.costPerRequestUsd)]],
    color: COLORS.chosen,
  });
  rows.push([
    'ours (chosen)',
    solve.constraint.mode === 'latency' ? solve.constraint.sloSeconds : Number.NaN,
    ours.latencyPercentile,
    usdPerMillionRequests(ours.costPerRequestUsd),
    ours.feasible ? 'yes' : 'no',
  ]);
  others.forEach((baseline, index) => {
    series.push({
      name: baseline.name,
      kind: 'scatter',
      points: [[baseline.latencyPercentile, usdPerMillionRequests(baseline.costPerRequestUsd)]],
      color: COLORS.baselines[index % COLORS.baselines.length]!,
      symbol: BASELINE_SYMBOLS[index % BASELINE_SYMBOLS.length]!,
    });
    rows.push([
      baseline.name,
      Number.NaN,
      baseline.latencyPercentile,
      usdPerMillionRequests(baseline.costPerRequestUsd),
      baseline.feasible ? 'yes' : 'no',
    ]);
  });
  if (others.length === 0)
    missing.push('No baselines in the solve result (mbs solve --no-baselines).');
  const slo = solve.constraint.mode === 'latency' ? solve.constraint.sloSeconds : undefined;
  const lines: FigureLine[] =
    slo === undefined
      ? []
      : [
          {
            id: 'slo',
            axis: 'x',
            value: slo,
            label: `SLO ${formatSeconds(slo)}`,
            color: COLORS.slo,
          },
        ];
  const latencies = series
    .flatMap((entry) => entry.points.map((point) => point[0]!))
    .filter(Number.isFinite);
  const figure: Figure = {
    id: 'cost-frontier',
    title: `Cost per request against the ${p} latency (window ${windowIndex})`,
    caption: `Each point is a configuration's model ${p} latency and mean cost; cheaper is lower, faster is further left. Ours is the cheapest that meets the SLO (dashed line).`,
    x: {
      label: `${p} latency (${unit})`,
      min: 0,
      max: niceCeil(Math.max(...latencies, (slo ?? 0) * 1.1)),
    },
    y: { label: 'cost (USD per million requests)' },
    series,
    lines,
    table: {
      columns: [
        'configuration',
        'SLO solved for (s)',
        `${p} latency (${unit})`,
        'USD per million requests',
        'meets',
      ],
      rows,
    },
  };
  return { id, title, paragraphs: [], figures: [figure], tables: [], missing };
}
