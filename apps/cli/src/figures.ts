import { formatSeconds, formatUsd } from '@mbs/core';
import type { TraceStatistics } from '@mbs/traces';

// Figures as the commands print them, shared so that every table writes numbers the same way.

/**
 * A number with `digits` significant digits, without trailing exponent noise for usual values;
 * `n/a` for a value that could not be measured (NaN, infinite), so no table prints NaN.
 */
export function formatFigure(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(digits)));
}

/** The read report as one line: `19366 lines, 19365 arrivals, skipped: header 1`. */
export function formatReadReport(report: TraceStatistics['read']): string {
  const skipped = Object.entries(report.skipped)
    .map(([reason, count]) => `${reason} ${count}`)
    .join(', ');
  return `${report.linesRead} lines, ${report.arrivals} arrivals, skipped: ${skipped || 'none'}`;
}

/** Seconds as {@link formatSeconds} writes them, or `n/a` when nothing was measured (NaN). */
export function formatMeasuredSeconds(seconds: number): string {
  return Number.isFinite(seconds) ? formatSeconds(seconds) : 'n/a';
}

/** Dollars as {@link formatUsd} writes them, or `n/a` when nothing was measured (NaN). */
export function formatMeasuredUsd(usd: number): string {
  return Number.isFinite(usd) ? formatUsd(usd) : 'n/a';
}

/**
 * Latency quantiles as one line, e.g. `p50 41.2 ms  p95 80.1 ms  p99 120 ms`; `n/a` for quantiles
 * of no request (every request failed).
 */
export function formatLatencyLine(latency: {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}): string {
  return `p50 ${formatMeasuredSeconds(latency.p50)}  p95 ${formatMeasuredSeconds(latency.p95)}  p99 ${formatMeasuredSeconds(latency.p99)}`;
}
