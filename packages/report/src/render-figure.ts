import { createRequire } from 'node:module';
import type * as ECharts from 'echarts';
import type { Figure, FigureSeries } from './figure.js';

// ECharts' single-file CommonJS build (what `require('echarts')` resolves to) loads several times
// faster than its ESM tree of modules, which matters for a report written in a short process.
const { init } = createRequire(import.meta.url)('echarts') as typeof ECharts;

/** Space around the plot area in pixels: room for the title, legend and axis names. */
export const PLOT_MARGIN = { left: 84, right: 36, top: 78, bottom: 62 } as const;
const HEATMAP_RIGHT = 110;

const DEFAULT_WIDTH = 720;
const DEFAULT_HEIGHT = 380;

/** Chart text: Arial's metrics, which ECharts' server-side text measurement assumes. */
// Unquoted: ECharts writes it into a double-quoted style attribute.
const FONT_FAMILY = 'Arial, Liberation Sans, Helvetica, sans-serif';
const LEGEND_TOP = 32;
const LEGEND_ROW = 22;

/**
 * Rows the legend wraps into: items are packed greedily by an estimated width (icon, gap and
 * about 6 px per character at 12 px), so the plot can start below the legend.
 */
function legendRows(figure: Figure, width: number): number {
  const available = width - 40;
  let rows = 1;
  let used = 0;
  for (const series of figure.series) {
    if (series.kind === 'heatmap') continue;
    const item = 25 + 5 + series.name.length * 6 + 16;
    if (used > 0 && used + item > available) {
      rows++;
      used = 0;
    }
    used += item;
  }
  return rows;
}

/** The figure's drawing size in pixels (taller by the legend rows beyond the first). */
export function figureSize(figure: Figure): { width: number; height: number } {
  const width = figure.width ?? DEFAULT_WIDTH;
  const extra = (legendRows(figure, width) - 1) * LEGEND_ROW;
  return { width, height: (figure.height ?? DEFAULT_HEIGHT) + extra };
}

/** The plot area's left and right edges in the SVG's pixels (where the x axis min and max sit). */
export function plotArea(figure: Figure): { left: number; right: number } {
  const { width } = figureSize(figure);
  const right = isHeatmap(figure) ? HEATMAP_RIGHT : PLOT_MARGIN.right;
  return { left: PLOT_MARGIN.left, right: width - right };
}

const formatLegendValue = (value: number) =>
  Number(value.toPrecision(3)).toLocaleString('en-US', { maximumFractionDigits: 3 });

const isHeatmap = (figure: Figure) => figure.series.some((series) => series.kind === 'heatmap');

function axisOption(axis: Figure['x'], position: 'x' | 'y') {
  const scale = axis.scale ?? 'value';
  return {
    type: scale,
    name: axis.label,
    nameLocation: 'middle',
    nameGap: position === 'x' ? 34 : 60,
    nameTextStyle: { fontSize: 13, color: '#222' },
    ...(axis.min === undefined ? {} : { min: axis.min }),
    ...(axis.max === undefined ? {} : { max: axis.max }),
    ...(scale === 'category' ? { data: [...(axis.categories ?? [])] } : { scale: true }),
    axisLabel: { color: '#333', hideOverlap: true },
    splitLine: { show: scale !== 'category' },
  };
}

function seriesOption(series: FigureSeries) {
  const data = series.points.map((point) => [...point]);
  const color = series.color;
  const common = {
    name: series.name,
    data,
    ...(color === undefined ? {} : { itemStyle: { color } }),
  };
  switch (series.kind) {
    case 'line':
    case 'step':
      return {
        ...common,
        type: 'line',
        showSymbol: false,
        ...(series.kind === 'step' ? { step: 'end' } : {}),
        lineStyle: { width: 2, type: series.dashed ? 'dashed' : 'solid', color },
      };
    case 'segment':
      return { ...common, type: 'line', showSymbol: false, lineStyle: { width: 12, color } };
    case 'scatter':
      return {
        ...common,
        type: 'scatter',
        symbol: series.symbol ?? 'circle',
        symbolSize: series.symbol === undefined || series.symbol === 'circle' ? 12 : 14,
      };
    case 'bar':
      return { ...common, type: 'bar', barMaxWidth: 28 };
    case 'heatmap':
      return { ...common, type: 'heatmap' };
  }
}

/** The ECharts option of a figure: title, legend, named axes, series and reference lines. */
export function figureOption(figure: Figure): Record<string, unknown> {
  const { width } = figureSize(figure);
  const top = PLOT_MARGIN.top + (legendRows(figure, width) - 1) * LEGEND_ROW;
  const heat = figure.series.find((series) => series.kind === 'heatmap');
  const values = heat?.points.map((point) => point[2]!) ?? [];
  const series = figure.series.map(seriesOption);
  const first = series[0] as Record<string, unknown> | undefined;
  if (first && figure.lines && figure.lines.length > 0) {
    first.markLine = {
      symbol: 'none',
      silent: true,
      animation: false,
      data: figure.lines.map((line) => ({
        [line.axis === 'x' ? 'xAxis' : 'yAxis']: line.value,
        lineStyle: { color: line.color, type: 'dashed', width: 1.5 },
        label: {
          formatter: line.label,
          color: line.color,
          position: line.axis === 'x' ? 'insideEndTop' : 'insideStartTop',
        },
      })),
    };
  }
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY },
    title: {
      text: figure.title,
      left: 'center',
      top: 6,
      textStyle: { fontSize: 15, color: '#111' },
    },
    legend: {
      top: LEGEND_TOP,
      type: 'plain',
      width: width - 40,
      itemGap: 16,
      textStyle: { color: '#222' },
    },
    grid: {
      left: PLOT_MARGIN.left,
      right: heat ? HEATMAP_RIGHT : PLOT_MARGIN.right,
      top,
      bottom: PLOT_MARGIN.bottom,
    },
    xAxis: axisOption(figure.x, 'x'),
    yAxis: axisOption(figure.y, 'y'),
    ...(heat
      ? {
          visualMap: {
            type: 'continuous',
            min: Math.min(...values),
            max: Math.max(...values),
            right: 8,
            top: 'middle',
            itemHeight: 180,
            // The ends of the colour scale, with the unit: e.g. "12,300 ms" over "95 ms".
            text: [
              `${formatLegendValue(Math.max(...values))} ${figure.valueLabel ?? ''}`,
              `${formatLegendValue(Math.min(...values))} ${figure.valueLabel ?? ''}`,
            ],
            textStyle: { color: '#222' },
            inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] },
          },
        }
      : {}),
    series,
  };
}

/**
 * Draws a figure with ECharts' server-side SVG renderer and returns the `<svg>` text. Element ids
 * are prefixed with the figure's id so several charts can share one HTML page.
 *
 * @example
 * ```ts
 * const svg = renderFigure({ id: 'cdf', title: 'Latency CDF', caption: '', x: { label: 'latency (s)' },
 *   y: { label: 'P(latency <= x)' }, series: [{ name: 'model', kind: 'line', points: [[0, 0], [1, 1]] }],
 *   table: { columns: [], rows: [] } });
 * ```
 */
export function renderFigure(figure: Figure): string {
  const { width, height } = figureSize(figure);
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(figureOption(figure));
    return chart.renderToSVGString().replace(/\bzr\d+-/g, `${figure.id}-`);
  } finally {
    chart.dispose();
  }
}
