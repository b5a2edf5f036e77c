/** One axis of a figure: its label (with the unit) and scale. */
export interface FigureAxis {
  /** The axis name with its unit, e.g. `latency (s)`. */
  readonly label: string;
  /** `value` (linear, default), `log`, or `category` (then `categories` names the ticks). */
  readonly scale?: 'value' | 'log' | 'category';
  readonly min?: number;
  readonly max?: number;
  readonly categories?: readonly string[];
}

/**
 * One series of a figure. Points are `[x, y]`; on a category axis the coordinate is the
 * category's index. A `heatmap` series has `[xIndex, yIndex, value]` points; a `segment` series
 * draws one thick bar from its first point to its second.
 */
export interface FigureSeries {
  readonly name: string;
  readonly kind: 'line' | 'step' | 'scatter' | 'bar' | 'segment' | 'heatmap';
  readonly points: readonly (readonly number[])[];
  readonly color?: string;
  readonly dashed?: boolean;
  /** Scatter marker shape, so points that coincide stay distinguishable. */
  readonly symbol?: 'circle' | 'diamond' | 'triangle' | 'rect';
}

/** A reference line across the plot, e.g. the SLO. */
export interface FigureLine {
  /** What the line is, e.g. `slo` or `percentile`; names its data attribute in the HTML. */
  readonly id: string;
  readonly axis: 'x' | 'y';
  readonly value: number;
  readonly label: string;
  readonly color: string;
}

/** A table of a figure's numbers: what the chart shows, for screen readers and copy-paste. */
export interface FigureTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

/** A chart described by its data only; `renderFigure` draws it with ECharts. */
export interface Figure {
  /** Stable identifier, unique within a report (used as the SVG's id prefix). */
  readonly id: string;
  readonly title: string;
  /** One or two sentences under the chart: what it shows and how to read it. */
  readonly caption: string;
  readonly x: FigureAxis;
  readonly y: FigureAxis;
  readonly series: readonly FigureSeries[];
  readonly lines?: readonly FigureLine[];
  /** For heatmaps: what the colour encodes, with its unit. */
  readonly valueLabel?: string;
  readonly table: FigureTable;
  /** Drawing size in CSS pixels; default 720 x 380. */
  readonly width?: number;
  readonly height?: number;
}

/** Colours with a fixed meaning across the report. */
export const COLORS = {
  model: '#1f5fbf',
  replay: '#e66a00',
  run: '#2a9d4b',
  slo: '#d62728',
  percentile: '#6b6b6b',
  chosen: '#1f5fbf',
  baselines: ['#7f3fbf', '#8c564b', '#bf3f8f', '#17becf', '#6b8e23'],
} as const;
