import { type ConfigurationWindow, formatSeconds, formatUsd } from '@mbs/core';
import { bufferText, classRangeText } from '../describe.js';
import type { ReportInputs } from '../documents.js';
import { COLORS, type Figure, type FigureSeries } from '../figure.js';
import type { ReportSection } from '../section.js';

const PALETTE = [COLORS.model, COLORS.replay, COLORS.run, ...COLORS.baselines];

/** Lower and upper size edge of each class: class c holds sizes in (edges[c-1], edges[c]]. */
function classBounds(edges: readonly number[], axisMin: number): [number, number][] {
  return edges.map((upper, classId) => [classId === 0 ? axisMin : edges[classId - 1]!, upper]);
}

/** Whether sizes span enough to need a log axis (a factor over 20). */
const needsLog = (edges: readonly number[]) =>
  edges.length > 1 && edges.at(-1)! / Math.max(edges[0]!, 1e-12) > 20;

function rangesFigure(
  window: ConfigurationWindow,
  index: number,
  edges: readonly number[],
  unit: string,
): Figure {
  const log = needsLog(edges);
  const axisMin = log ? 10 ** Math.floor(Math.log10(edges[0]! * 0.999)) : 0;
  const bounds = classBounds(edges, axisMin);
  const labels = window.system.buffers.map((_, at) => `buffer ${at}`);
  const series: FigureSeries[] = window.system.buffers.map((buffer, at) => ({
    name: `buffer ${at}: ${bufferText(buffer)}`,
    kind: 'segment',
    points: [
      [bounds[buffer.firstClass]![0], at],
      [bounds[buffer.lastClass]![1], at],
    ],
    color: PALETTE[at % PALETTE.length]!,
  }));
  return {
    id: `ranges-window-${index}`,
    title: `Window ${index}: class ranges on the request-size axis`,
    caption: `Each bar spans the request sizes a buffer serves (from the lower edge of its first class to the upper edge of its last); ${log ? 'log scale; the first class starts at 0' : 'linear scale'}. The legend gives B, T and M.`,
    x: {
      label: `request size (${unit})`,
      scale: log ? 'log' : 'value',
      min: axisMin,
      max: edges.at(-1)!,
    },
    y: { label: 'buffer', scale: 'category', categories: labels },
    series,
    table: {
      columns: [
        'buffer',
        'classes',
        `smallest size (${unit})`,
        `largest size (${unit})`,
        'B',
        'T (s)',
        'M (MB)',
      ],
      rows: window.system.buffers.map((buffer, at) => [
        at,
        classRangeText(buffer),
        buffer.firstClass === 0 ? 0 : edges[buffer.firstClass - 1]!,
        edges[buffer.lastClass]!,
        buffer.batchSize,
        buffer.timeoutSeconds,
        buffer.memoryMb,
      ]),
    },
    height: 140 + 46 * window.system.buffers.length,
  };
}

/** The boundaries between buffers over time: one step line per boundary, sizes on the y axis. */
function timelineFigure(
  windows: readonly ConfigurationWindow[],
  edges: readonly number[],
  unit: string,
): Figure {
  const log = needsLog(edges);
  const most = Math.max(...windows.map((window) => window.system.buffers.length));
  const series: FigureSeries[] = [];
  for (let boundary = 0; boundary < most - 1; boundary++) {
    const points: number[][] = [];
    for (const window of windows) {
      const buffer = window.system.buffers[boundary];
      if (!buffer || boundary === window.system.buffers.length - 1) continue;
      const upper = edges[buffer.lastClass]!;
      points.push([window.startSeconds, upper], [window.endSeconds, upper]);
    }
    series.push({
      name: `upper edge of buffer ${boundary}`,
      kind: 'line',
      points,
      color: PALETTE[boundary % PALETTE.length]!,
    });
  }
  return {
    id: 'ranges-timeline',
    title: 'Class ranges per window (timeline)',
    caption:
      'Where each buffer ends on the request-size axis, window by window (the last buffer always ends at the largest size). The table gives every window’s buffers with B, T and M.',
    x: { label: 'time (s)', min: windows[0]!.startSeconds, max: windows.at(-1)!.endSeconds },
    y: { label: `request size (${unit})`, scale: log ? 'log' : 'value' },
    series,
    table: {
      columns: ['window', 'start (s)', 'end (s)', 'buffer', 'classes', 'B', 'T (s)', 'M (MB)'],
      rows: windows.flatMap((window, index) =>
        window.system.buffers.map((buffer, at) => [
          index,
          window.startSeconds,
          window.endSeconds,
          at,
          classRangeText(buffer),
          buffer.batchSize,
          buffer.timeoutSeconds,
          buffer.memoryMb,
        ]),
      ),
    },
  };
}

/**
 * The configuration: buffers, class ranges on the request-size axis, B, T and M per buffer, and
 * a timeline when there are several windows.
 */
export function configurationSection(inputs: ReportInputs): ReportSection {
  const configuration = inputs.solve?.document.configuration ?? inputs.run?.configuration;
  if (!configuration) {
    return {
      id: 'configuration',
      title: 'Configuration',
      paragraphs: [],
      figures: [],
      tables: [],
      missing: ['No configuration: give --solve (mbs solve --json) or --run with its run.json.'],
    };
  }
  const edges = configuration.classUpperEdges;
  const unit = configuration.sizeUnit ?? 'size units';
  const windows = configuration.windows;
  const chosen = Math.min(inputs.window ?? 0, windows.length - 1);
  const paragraphs = windows.map((window, index) => {
    const prediction = window.prediction;
    const predicted = prediction
      ? `; the model predicts ${formatUsd(prediction.costPerRequestUsd)} per request and a p${Number((prediction.percentile * 100).toPrecision(4))} of ${formatSeconds(prediction.latencyPercentileSeconds)}`
      : '';
    return `Window ${index} (${formatSeconds(window.startSeconds)} to ${formatSeconds(window.endSeconds)}): ${window.system.buffers.length} buffer(s) — ${window.system.buffers.map((buffer, at) => `buffer ${at}, ${bufferText(buffer)}`).join('; ')}${predicted}.`;
  });
  paragraphs.unshift(
    `${edges.length} size classes (upper edges ${edges.slice(0, 12).join(', ')}${edges.length > 12 ? ', …' : ''} ${unit})${configuration.profile ? `, profile ${configuration.profile}` : ''}${configuration.pricing ? `, pricing ${configuration.pricing}` : ''}.`,
  );
  const figures = [rangesFigure(windows[chosen]!, chosen, edges, unit)];
  if (windows.length > 1) figures.push(timelineFigure(windows, edges, unit));
  return {
    id: 'configuration',
    title: 'Configuration',
    paragraphs:
      windows.length > 24
        ? paragraphs
            .slice(0, 25)
            .concat([`… and ${windows.length - 24} more windows (in the timeline table).`])
        : paragraphs,
    figures,
    tables: [],
    missing: [],
  };
}
