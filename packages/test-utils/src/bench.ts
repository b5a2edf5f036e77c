import { performance } from 'node:perf_hooks';

/** Summary of repeated timings of one benchmark case, in milliseconds. */
export interface BenchResult {
  readonly name: string;
  readonly samples: number;
  readonly medianMs: number;
  /** 10th and 90th percentiles: the spread. */
  readonly p10Ms: number;
  readonly p90Ms: number;
  /** Work units per second at the median (when `unitsPerRun` was given). */
  readonly unitsPerSecond?: number;
}

/** Options of {@link measure}. */
export interface MeasureOptions {
  /** Untimed runs first, so the JIT settles. Default 3. */
  readonly warmup?: number;
  /** Timed runs. Default 15. */
  readonly runs?: number;
  /** Work units one run does (requests, lines...), to report a rate. */
  readonly unitsPerRun?: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/**
 * Times `run` repeatedly and returns the median and spread. Machines are noisy: compare cases by
 * the ratio of medians measured in the same process, never against fixed numbers.
 *
 * @example
 * ```ts
 * const result = await measure('expm 50x50', () => expm(matrix), { runs: 30 });
 * ```
 */
export async function measure(
  name: string,
  run: () => unknown,
  options: MeasureOptions = {},
): Promise<BenchResult> {
  const { warmup = 3, runs = 15, unitsPerRun } = options;
  for (let index = 0; index < warmup; index++) await run();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const medianMs = quantile(times, 0.5);
  const result = {
    name,
    samples: runs,
    medianMs,
    p10Ms: quantile(times, 0.1),
    p90Ms: quantile(times, 0.9),
  };
  return unitsPerRun === undefined
    ? result
    : { ...result, unitsPerSecond: unitsPerRun / (medianMs / 1000) };
}

function formatNumber(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return value.toPrecision(3);
}

/**
 * Prints results as a table with each case's median as a ratio to the baseline's median (the
 * first result unless named), and returns the text.
 */
export function printBenchTable(
  title: string,
  results: readonly BenchResult[],
  baselineName?: string,
): string {
  const baseline = results.find((result) => result.name === baselineName) ?? results[0];
  const header = [
    'case',
    'median ms',
    'p10 ms',
    'p90 ms',
    'runs',
    'units/s',
    `x ${baseline?.name ?? ''}`,
  ];
  const rows = results.map((result) => [
    result.name,
    result.medianMs.toPrecision(4),
    result.p10Ms.toPrecision(4),
    result.p90Ms.toPrecision(4),
    String(result.samples),
    result.unitsPerSecond === undefined ? '' : formatNumber(result.unitsPerSecond),
    baseline ? (result.medianMs / baseline.medianMs).toFixed(2) : '',
  ]);
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
      )
      .join('  ');
  const text = [
    `\n${title}`,
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
  console.log(text);
  return `${text}\n`;
}
