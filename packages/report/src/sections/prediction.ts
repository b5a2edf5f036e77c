import { type ConfigurationPrediction, formatSeconds, formatUsd, sortedQuantile } from '@mbs/core';
import type { MeasuredRecords, ReportInputs, RunMeasurements } from '../documents.js';
import { COLORS, type Figure, type FigureSeries } from '../figure.js';
import { sortedLatencies } from '../measured.js';
import { percentileName, type ReportSection } from '../section.js';

/** Totals measured from records alone: what a replay directory (or a run without logs) gives. */
export function measureRecords(records: MeasuredRecords): RunMeasurements {
  const requests = records.requests ?? [];
  const batches = records.batches ?? [];
  const latencies = sortedLatencies(records).all;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const request of requests) {
    if (typeof request.arrivalSeconds !== 'number') continue;
    first = Math.min(first, request.arrivalSeconds);
    last = Math.max(last, request.arrivalSeconds);
  }
  const span = last > first ? last - first : Number.NaN;
  const cost = batches.reduce((sum, batch) => sum + (batch.costUsd ?? 0), 0);
  const mean = latencies.reduce((sum, value) => sum + value, 0) / latencies.length;
  return {
    ...(latencies.length > 0
      ? {
          latencySeconds: {
            p50: sortedQuantile(latencies, 0.5),
            p95: sortedQuantile(latencies, 0.95),
            p99: sortedQuantile(latencies, 0.99),
            mean,
          },
        }
      : {}),
    ...(batches.length > 0 && requests.length > 0
      ? { costPerRequestUsd: cost / requests.length }
      : {}),
    ...(batches.length > 0 && Number.isFinite(span)
      ? { invocationsPerSecond: batches.length / span }
      : {}),
    ...(batches.length > 0
      ? { coldStarts: batches.filter((batch) => batch.cold === true).length }
      : {}),
    ...(requests.length > 0
      ? {
          failedRequests: requests.filter((request) => request.error !== undefined).length,
          throttledRequests: requests.filter((request) => request.error?.code === 'THROTTLED')
            .length,
          requests: requests.length,
        }
      : {}),
    ...(Number.isFinite(span) ? { runSeconds: span } : {}),
    basis: 'request and batch records',
  };
}

interface Column {
  readonly name: string;
  readonly figures: RunMeasurements;
  readonly padding?: number;
}

/**
 * The model's prediction against the replay and the run: p50, the constrained percentile, p99,
 * mean latency, cost per request, invocations per second, padding, cold starts, errors, throttles.
 */
export function predictionSection(inputs: ReportInputs): ReportSection {
  const solve = inputs.solve?.document;
  const windowIndex = inputs.window ?? 0;
  const window = solve?.windows[windowIndex];
  const prediction: ConfigurationPrediction | undefined =
    inputs.run?.prediction ??
    inputs.solve?.document.configuration?.windows[windowIndex]?.prediction;
  const quantiles = window?.model?.systemQuantiles;
  const modelQuantile = (p: number): number => {
    const at = quantiles?.probability.findIndex((value) => Math.abs(value - p) < 1e-12) ?? -1;
    if (at >= 0) return quantiles!.latency[at]!;
    return prediction && Math.abs(prediction.percentile - p) < 1e-12
      ? prediction.latencyPercentileSeconds
      : Number.NaN;
  };
  const columns: Column[] = [];
  if (inputs.replay) {
    columns.push({
      name: 'replay',
      figures: measureRecords(inputs.replay),
      ...(inputs.replay.paddingByClass ? { padding: inputs.replay.paddingByClass.overall } : {}),
    });
  }
  if (inputs.run) {
    columns.push({
      name: 'run',
      figures: { ...measureRecords(inputs.run), ...inputs.run.measurements },
      ...(inputs.run.paddingByClass ? { padding: inputs.run.paddingByClass.overall } : {}),
    });
  }
  const missing: string[] = [];
  if (!prediction && !quantiles)
    missing.push(
      'No prediction: give --solve, or --run with run.json (its configuration holds the prediction).',
    );
  if (columns.length === 0) missing.push('No measurement: give --replay DIR or --run DIR.');
  if (inputs.run && inputs.run.invocations === undefined) {
    missing.push(
      `The run ${inputs.run.source} has no invocations.jsonl: cost and cold starts come from the batch records, not from billed durations; run mbs logs collect --out ${inputs.run.source}.`,
    );
  }
  if (!prediction && !quantiles && columns.length === 0) {
    return {
      id: 'prediction',
      title: 'Prediction against measurement',
      paragraphs: [],
      figures: [],
      tables: [],
      missing,
    };
  }
  const percentile = prediction?.percentile ?? solve?.percentile ?? 0.95;
  const probabilities = [...new Set([0.5, percentile, 0.99])].sort((a, b) => a - b);
  const seconds = (value: number | undefined) =>
    value === undefined || !Number.isFinite(value) ? '-' : formatSeconds(value);
  const count = (value: number | undefined) => (value === undefined ? '-' : String(value));
  const percentText = (value: number | undefined) =>
    value === undefined || !Number.isFinite(value) ? '-' : `${(value * 100).toFixed(1)} %`;
  const measuredQuantile = (figures: RunMeasurements, p: number) =>
    p === 0.5
      ? figures.latencySeconds?.p50
      : p === 0.99
        ? figures.latencySeconds?.p99
        : p === 0.95
          ? figures.latencySeconds?.p95
          : undefined;
  const rows: (string | number)[][] = [
    ...probabilities.map((p) => [
      `${percentileName(p)} latency`,
      seconds(modelQuantile(p)),
      ...columns.map((column) => seconds(measuredQuantile(column.figures, p))),
    ]),
    [
      'mean latency',
      seconds(prediction?.meanLatencySeconds ?? window?.solution.meanLatencySeconds),
      ...columns.map((column) => seconds(column.figures.latencySeconds?.mean)),
    ],
    [
      'cost per request',
      formatUsd(prediction?.costPerRequestUsd ?? window?.solution.costPerRequestUsd ?? Number.NaN),
      ...columns.map((column) =>
        column.figures.costPerRequestUsd === undefined
          ? '-'
          : formatUsd(column.figures.costPerRequestUsd),
      ),
    ],
    [
      'invocations per second',
      (prediction?.invocationsPerSecond ?? window?.solution.invocationsPerSecond)?.toFixed(3) ??
        '-',
      ...columns.map((column) => column.figures.invocationsPerSecond?.toFixed(3) ?? '-'),
    ],
    [
      'padding share (by class)',
      percentText(prediction?.paddingShare ?? window?.solution.paddingShare),
      ...columns.map((column) => percentText(column.padding)),
    ],
    ['requests', '-', ...columns.map((column) => count(column.figures.requests))],
    ['cold starts', '-', ...columns.map((column) => count(column.figures.coldStarts))],
    ['failed requests', '-', ...columns.map((column) => count(column.figures.failedRequests))],
    [
      'throttled requests',
      '-',
      ...columns.map((column) => count(column.figures.throttledRequests)),
    ],
    ['invocation errors', '-', ...columns.map((column) => count(column.figures.invocationErrors))],
    ['retries', '-', ...columns.map((column) => count(column.figures.retries))],
  ];
  const series: FigureSeries[] = [
    {
      name: 'model',
      kind: 'bar',
      points: probabilities.map((p, at) => [at, modelQuantile(p)]),
      color: COLORS.model,
    },
    ...columns.map(
      (column): FigureSeries => ({
        name: column.name,
        kind: 'bar',
        points: probabilities.map((p, at) => [
          at,
          measuredQuantile(column.figures, p) ?? Number.NaN,
        ]),
        color: column.name === 'run' ? COLORS.run : COLORS.replay,
      }),
    ),
  ];
  const figure: Figure = {
    id: 'quantiles',
    title: 'Latency quantiles: model against measurement',
    caption: 'Nearest-rank quantiles of the measured latencies beside the model’s exact quantiles.',
    x: { label: 'quantile', scale: 'category', categories: probabilities.map(percentileName) },
    y: { label: 'latency (s)', min: 0 },
    series,
    table: {
      columns: ['quantile', 'model (s)', ...columns.map((column) => `${column.name} (s)`)],
      rows: probabilities.map((p) => [
        percentileName(p),
        modelQuantile(p),
        ...columns.map((column) => measuredQuantile(column.figures, p) ?? Number.NaN),
      ]),
    },
    height: 320,
  };
  const basis = columns
    .map((column) => `${column.name}: ${column.figures.basis ?? 'records'}`)
    .join('; ');
  return {
    id: 'prediction',
    title: 'Prediction against measurement',
    paragraphs: [
      ...(basis ? [`Measured figures come from ${basis}.`] : []),
      'The model’s overall padding share is the request-weighted mean of its buffers’ shares, as the solve reports it; the measured one is a ratio of totals over all batches (classPadding of @mbs/logs), which large classes dominate. Compare padding per buffer in the chart above.',
    ],
    figures: [figure],
    tables: [
      {
        caption: 'Predicted and measured',
        table: { columns: ['metric', 'model', ...columns.map((column) => column.name)], rows },
      },
    ],
    missing,
  };
}
