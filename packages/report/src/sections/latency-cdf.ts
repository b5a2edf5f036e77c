import { formatSeconds } from '@mbs/core';
import { bufferText } from '../describe.js';
import type { MeasuredRecords, ReportInputs, SolveWindowDocument } from '../documents.js';
import { COLORS, type Figure, type FigureLine, type FigureSeries } from '../figure.js';
import { empiricalCdfPoints, type SortedLatencies, sortedLatencies } from '../measured.js';
import { niceCeil, percentileName, type ReportSection } from '../section.js';

/** A measured source drawn on the CDF charts: the replay or the run. */
interface MeasuredCurve {
  readonly name: string;
  readonly color: string;
  readonly latencies: SortedLatencies;
}

/**
 * The replay's and the run's latencies, in the model's unit: per size unit (latency over the
 * upper edge of the request's class, the size the model pads it to) when the SLO is per size.
 */
function measuredCurves(
  inputs: ReportInputs,
  perSizeEdges: readonly number[] | undefined,
): MeasuredCurve[] {
  const curves: MeasuredCurve[] = [];
  const add = (name: string, color: string, records: MeasuredRecords | undefined) => {
    if (!records?.requests || records.requests.length === 0) return;
    const inUnit = perSizeEdges
      ? {
          ...records,
          requests: records.requests.map((request) => ({
            ...request,
            latencySeconds:
              request.latencySeconds / (perSizeEdges[request.classId ?? -1] ?? Number.NaN),
          })),
        }
      : records;
    curves.push({ name, color, latencies: sortedLatencies(inUnit) });
  };
  add('replay', COLORS.replay, inputs.replay);
  add('run', COLORS.run, inputs.run);
  return curves;
}

/** One CDF chart: the model's curve (when given) and each measured curve on the same axes. */
function cdfFigure(options: {
  id: string;
  title: string;
  unit: string;
  model?: { latency: readonly number[]; probability: readonly number[] };
  measured: readonly { name: string; color: string; sorted: Float64Array | undefined }[];
  lines: readonly FigureLine[];
  xMax: number;
}): Figure {
  const series: FigureSeries[] = [];
  const rows: (string | number)[][] = [];
  if (options.model) {
    const points = options.model.latency.map((x, index) => [x, options.model!.probability[index]!]);
    series.push({ name: 'model', kind: 'line', points, color: COLORS.model });
    for (const [x, p] of points) rows.push(['model', x!, p!]);
  }
  for (const curve of options.measured) {
    if (!curve.sorted || curve.sorted.length === 0) continue;
    const points = empiricalCdfPoints(curve.sorted);
    series.push({
      name: `${curve.name} (${curve.sorted.length} requests)`,
      kind: 'step',
      points,
      color: curve.color,
    });
    for (const [x, p] of points) rows.push([curve.name, x, p]);
  }
  return {
    id: options.id,
    title: options.title,
    caption: `Share of requests whose latency is at most x. The model's curve is the analytical distribution; measured curves are nearest-rank quantiles of the records. Dashed lines: ${options.lines.map((line) => line.label).join(', ') || 'none'}.`,
    x: { label: `latency (${options.unit})`, min: 0, max: options.xMax },
    y: { label: 'P(latency ≤ x)', min: 0, max: 1 },
    series,
    lines: options.lines,
    table: { columns: ['series', `latency (${options.unit})`, 'P(latency ≤ x)'], rows },
  };
}

/**
 * Latency CDFs of the whole system and of each buffer: the model's curve from the solve result,
 * the replayed and the measured curves from their records, with the SLO and the percentile marked.
 */
export function latencyCdfSection(inputs: ReportInputs): ReportSection {
  const missing: string[] = [];
  const solve = inputs.solve?.document;
  const windowIndex = inputs.window ?? 0;
  const window: SolveWindowDocument | undefined = solve?.windows[windowIndex];
  if (solve && !window) {
    missing.push(`The solve result has no window ${windowIndex} (it has ${solve.windows.length}).`);
  }
  const model = window?.model;
  if (!solve) missing.push('No model curve: give --solve with the JSON of mbs solve --json.');
  else if (window && !model) {
    missing.push(
      'No model curve: this solve result has no windows[].model (written by mbs solve --json since @mbs/cli 0.2); solve again to get it.',
    );
  }
  const perSize = model?.latencyUnit === 'seconds per size unit';
  const edges = solve?.configuration?.classUpperEdges;
  if (perSize && !edges) {
    missing.push(
      'The SLO is per size unit but the solve result has no class edges to scale the measured latencies by; measured curves are left out.',
    );
  }
  const measured = perSize && !edges ? [] : measuredCurves(inputs, perSize ? edges : undefined);
  if (measured.length === 0 && !(perSize && !edges)) {
    missing.push(
      'No measured curve: give --replay DIR (mbs simulate --records DIR) or --run DIR (mbs run --out DIR).',
    );
  }
  if (!model && measured.length === 0) {
    return {
      id: 'latency',
      title: 'Latency distribution',
      paragraphs: [],
      figures: [],
      tables: [],
      missing,
    };
  }
  const unit = model?.latencyUnit === 'seconds per size unit' ? 's per size unit' : 's';
  const percentile = solve?.percentile ?? 0.95;
  const slo = solve?.constraint.mode === 'latency' ? solve.constraint.sloSeconds : undefined;
  const lines: FigureLine[] = [
    ...(slo === undefined
      ? []
      : [
          {
            id: 'slo',
            axis: 'x' as const,
            value: slo,
            label: `SLO ${formatSeconds(slo)}`,
            color: COLORS.slo,
          },
        ]),
    {
      id: 'percentile',
      axis: 'y',
      value: percentile,
      label: percentileName(percentile),
      color: COLORS.percentile,
    },
  ];
  // One x range for every chart, so they compare at a glance: the model's extent, the measured
  // 99.9th percentiles and the SLO.
  const extents = [
    model?.latencyCdf.latency.at(-1) ?? 0,
    ...measured.map(
      (curve) => curve.latencies.all[Math.floor((curve.latencies.all.length - 1) * 0.999)] ?? 0,
    ),
    (slo ?? 0) * 1.1,
  ];
  const xMax = niceCeil(Math.max(...extents));
  const buffers = window?.solution.system.buffers;
  const bufferIndices = buffers
    ? buffers.map((_, index) => index)
    : [...new Set(measured.flatMap((curve) => [...curve.latencies.byBuffer.keys()]))].sort(
        (a, b) => a - b,
      );
  const figures: Figure[] = [
    cdfFigure({
      id: `cdf-system`,
      title: `All requests: latency CDF${window ? ` (window ${windowIndex})` : ''}`,
      unit,
      ...(model
        ? { model: { latency: model.latencyCdf.latency, probability: model.latencyCdf.system } }
        : {}),
      measured: measured.map((curve) => ({
        name: curve.name,
        color: curve.color,
        sorted: curve.latencies.all,
      })),
      lines,
      xMax,
    }),
    ...bufferIndices.map((index) =>
      cdfFigure({
        id: `cdf-buffer-${index}`,
        title: `Buffer ${index}${buffers?.[index] ? ` (${bufferText(buffers[index])})` : ''}`,
        unit,
        ...(model
          ? {
              model: {
                latency: model.latencyCdf.latency,
                probability: model.latencyCdf.buffers[index]!,
              },
            }
          : {}),
        measured: measured.map((curve) => ({
          name: curve.name,
          color: curve.color,
          sorted: curve.latencies.byBuffer.get(index),
        })),
        lines,
        xMax,
      }),
    ),
  ];
  const paragraphs = [
    `The ${percentileName(percentile)} latency is constrained${slo === undefined ? '' : ` to ${formatSeconds(slo)}`}: the system's curve must cross the ${percentileName(percentile)} line left of the SLO line. The SLO holds for all requests together; a buffer's own curve may cross later.`,
  ];
  return { id: 'latency', title: 'Latency distribution', paragraphs, figures, tables: [], missing };
}
