import type { Figure, FigureTable } from './figure.js';

/** One part of the report: text, charts, tables, and what it could not show. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** Plain-text paragraphs shown before the figures. */
  readonly paragraphs: readonly string[];
  readonly figures: readonly Figure[];
  readonly tables: readonly { readonly caption: string; readonly table: FigureTable }[];
  /** What this section lacks and which input would provide it. */
  readonly missing: readonly string[];
}

/** The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k that is ≥ value (value > 0). */
export function niceCeil(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    // The tolerance keeps 0.3 from rounding up to 0.4 through 0.30000000000000004.
    if (step * power >= value * (1 - 1e-12)) return Number((step * power).toPrecision(12));
  }
  return 10 * power;
}

/** `p95` for 0.95, `p99.9` for 0.999. */
export function percentileName(percentile: number): string {
  return `p${Number((percentile * 100).toPrecision(4))}`;
}
