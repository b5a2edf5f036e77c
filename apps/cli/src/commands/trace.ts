import type { Trace, TraceReader } from '@mbs/core';
import { MbsError } from '@mbs/core';
import type { ClassSchemeSpec, TraceStatistics } from '@mbs/traces';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { builtinPlugins } from '../plugins.js';
import { formatTable } from '../table.js';

/** Options that pick and configure the trace reader, shared by `mbs trace stats` and `mbs fit`. */
export interface TraceSourceOptions {
  readonly file: string;
  readonly format?: string;
  readonly timeColumn?: string;
  readonly sizeColumn?: string;
  readonly timeUnit?: string;
  readonly sort?: boolean;
  readonly seed?: number;
  readonly count?: number;
  readonly duration?: number;
}

/** Options that build the class scheme. */
export interface ClassOptions {
  readonly classes?: number;
  readonly by?: string;
  readonly edges?: string;
}

/** Adds the reader options to a command. */
export function traceSourceBuilder<T>(yargs: Argv<T>): Argv<T & TraceSourceOptions> {
  return yargs
    .positional('file', {
      type: 'string',
      demandOption: true,
      describe: 'Trace file; D0.csv,D1.csv for a MAP pair; synthetic[:seed=N,count=N,duration=S]',
    })
    .option('format', {
      type: 'string',
      describe: 'Trace reader name (default: the first that recognises FILE)',
    })
    .option('time-column', { type: 'string', describe: 'CSV: header of the time column' })
    .option('size-column', { type: 'string', describe: 'CSV: header of the size column' })
    .option('time-unit', {
      type: 'string',
      choices: ['auto', 'iso', 'seconds', 'milliseconds'],
      describe: 'CSV: how times are written (auto: numbers >= 1e11 are milliseconds)',
    })
    .option('sort', {
      type: 'boolean',
      describe: 'Sort arrivals by time (buffers the trace in memory)',
    })
    .option('seed', { type: 'number', describe: 'MAP/synthetic: random seed' })
    .option('count', { type: 'number', describe: 'MAP/synthetic: arrivals to generate' })
    .option('duration', {
      type: 'number',
      describe: 'MAP/synthetic: seconds of arrivals to generate',
    }) as unknown as Argv<T & TraceSourceOptions>;
}

/** Adds the class options to a command. */
export function classBuilder<T>(yargs: Argv<T>): Argv<T & ClassOptions> {
  return yargs
    .option('classes', { type: 'number', describe: 'Number of size classes (default 8)' })
    .option('by', {
      type: 'string',
      choices: ['quantile', 'log', 'edges'],
      describe: 'Class edges: equal request shares, log-spaced sizes, or --edges',
    })
    .option('edges', {
      type: 'string',
      describe: 'Comma-separated ascending class upper edges (--by edges)',
    }) as unknown as Argv<T & ClassOptions>;
}

/** The class spec the options ask for; OPTION_INVALID for bad values. */
export function classSpec(options: ClassOptions): ClassSchemeSpec {
  const { classes, by, edges } = options;
  if (classes !== undefined && (!Number.isSafeInteger(classes) || classes < 1 || classes > 4096)) {
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/cli] --classes is ${classes}; give an integer from 1 to 4096`,
    );
  }
  if (edges !== undefined) {
    const values = edges.split(',').map((edge) => Number(edge.trim()));
    if (values.some((value) => !Number.isFinite(value)) || (by !== undefined && by !== 'edges')) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/cli] --edges ${JSON.stringify(edges)}: give comma-separated numbers, ascending, with --by edges or no --by`,
      );
    }
    return { by: 'edges', edges: values };
  }
  if (by === 'edges') {
    throw new MbsError('OPTION_INVALID', '[@mbs/cli] --by edges needs --edges a,b,c');
  }
  return {
    ...(by === undefined ? {} : { by: by as 'quantile' | 'log' }),
    ...(classes === undefined ? {} : { count: classes }),
  };
}

/** The built-in trace readers, loaded in the order of the plugin table. */
async function loadTraceReaders(): Promise<TraceReader[]> {
  const readers: TraceReader[] = [];
  for (const entry of builtinPlugins) {
    if (entry.kind === 'trace-reader') readers.push((await entry.load()) as TraceReader);
  }
  return readers;
}

/**
 * Opens a trace as the options ask: the reader named by `--format`, else the first built-in
 * reader whose canRead() recognises the file, else `csv` when column options are given. Reader options are passed only when given, and
 * each reader rejects the ones it does not know (OPTION_INVALID).
 */
export async function openTrace(options: TraceSourceOptions): Promise<Trace> {
  const readers = await loadTraceReaders();
  let reader: TraceReader | undefined;
  if (options.format !== undefined) {
    reader = readers.find((candidate) => candidate.name === options.format);
    if (!reader) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/cli] --format ${options.format}: no such trace reader; registered: ${readers.map((r) => r.name).join(', ')}`,
      );
    }
  } else {
    for (const candidate of readers) {
      if (await candidate.canRead(options.file)) {
        reader = candidate;
        break;
      }
    }
    // Column options mean a CSV even when its header names no column the csv reader knows.
    if (!reader && (options.timeColumn !== undefined || options.sizeColumn !== undefined)) {
      reader = readers.find((candidate) => candidate.name === 'csv');
    }
    if (!reader) {
      throw new MbsError(
        'TRACE_PARSE',
        `[@mbs/cli] ${options.file}: no trace reader recognises it; name one with --format (${readers.map((r) => r.name).join(', ')})`,
        { details: { file: options.file } },
      );
    }
  }
  const readOptions: Record<string, unknown> = {};
  if (options.timeColumn !== undefined) readOptions.timeColumn = options.timeColumn;
  if (options.sizeColumn !== undefined) readOptions.sizeColumn = options.sizeColumn;
  if (options.timeUnit !== undefined) readOptions.timeUnit = options.timeUnit;
  if (options.sort !== undefined) readOptions.sort = options.sort;
  if (options.seed !== undefined) readOptions.seed = options.seed;
  if (options.count !== undefined) readOptions.count = options.count;
  if (options.duration !== undefined) readOptions.durationSeconds = options.duration;
  return reader.read(options.file, readOptions);
}

/** A number with `digits` significant digits, without trailing exponent noise for usual values. */
export function formatFigure(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
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

function statisticsText(statistics: TraceStatistics): string {
  const unit = statistics.sizeUnit === undefined ? '' : ` ${statistics.sizeUnit}`;
  const { sizes, interArrival } = statistics;
  const rows: [string, string][] = [
    ['source', `${statistics.source} (${statistics.format})`],
    ['read', formatReadReport(statistics.read)],
    ['arrivals', String(statistics.count)],
    ['duration', `${formatFigure(statistics.durationSeconds)} s`],
    ['rate', `${formatFigure(statistics.rateRequestsPerSecond)} req/s`],
  ];
  if (interArrival) {
    rows.push(
      ['inter-arrival mean', `${formatFigure(interArrival.meanSeconds)} s`],
      ['inter-arrival SCV', formatFigure(interArrival.scv)],
      [
        'autocorrelation',
        interArrival.autocorrelations
          .map((value, index) => `lag ${index + 1}: ${formatFigure(value, 3)}`)
          .join(', '),
      ],
    );
  }
  rows.push([
    `sizes${unit}`,
    `min ${formatFigure(sizes.min)}, p50 ${formatFigure(sizes.p50)}, p90 ${formatFigure(sizes.p90)}, p99 ${formatFigure(sizes.p99)}, max ${formatFigure(sizes.max)}, mean ${formatFigure(sizes.mean)}`,
  ]);
  const summary = formatTable(rows, [
    { header: 'statistic', value: (row) => row[0] },
    { header: 'value', value: (row) => row[1] },
  ]);
  const classes = statistics.classes.upperEdges.map((edge, classId) => ({
    classId,
    edge,
    share: statistics.classes.shares[classId]!,
    count: statistics.classes.counts[classId]!,
  }));
  const classTable = formatTable(classes, [
    { header: 'class', value: (row) => String(row.classId), align: 'right' },
    { header: `upper edge${unit}`, value: (row) => formatFigure(row.edge), align: 'right' },
    { header: 'share', value: (row) => `${(row.share * 100).toFixed(2)}%`, align: 'right' },
    { header: 'requests', value: (row) => String(row.count), align: 'right' },
  ]);
  return `${summary}\n${classTable}${countingText(statistics)}`;
}

/** Counts at the batching time scales, trace vs the fit `mbs fit` would choose. */
function countingText(statistics: TraceStatistics): string {
  const counting = statistics.counting;
  if (!counting) return '';
  const fit = counting.fit;
  const rows = counting.windows.map((window, index) => ({
    window,
    match: fit?.match.windows[index],
    followed: fit?.followedShares[index],
  }));
  const table = formatTable(rows, [
    {
      header: 'window',
      value: (row) => `${formatFigure(row.window.seconds * 1000)} ms`,
      align: 'right',
    },
    {
      header: 'mean count',
      value: (row) => formatFigure(row.window.windowMean, 3),
      align: 'right',
    },
    {
      header: 'IDC trace/fit',
      value: (row) =>
        `${formatFigure(row.window.indexOfDispersion, 3)}${row.match ? ` / ${formatFigure(row.match.indexOfDispersion.fitted, 3)}` : ''}`,
      align: 'right',
    },
    {
      header: 'followed within trace/fit',
      value: (row) =>
        `${(row.window.followedShare * 100).toFixed(1)} %${row.followed === undefined ? '' : ` / ${(row.followed * 100).toFixed(1)} %`}`,
      align: 'right',
    },
    {
      header: 'distance windows/after arrival',
      value: (row) =>
        row.match
          ? `${row.match.windowDistance.toFixed(3)} / ${row.match.arrivalDistance.toFixed(3)}`
          : '-',
      align: 'right',
    },
  ]);
  const fitLine = fit
    ? `fit used by mbs fit and mbs solve --trace: ${fit.method}, counting match ${fit.match.score.toFixed(3)} (0 = exact)${fit.reason ? `: ${fit.reason}` : ''}\n`
    : '';
  return `\ncounts of arrivals per window (IDC: index of dispersion; followed within: share of arrivals with another within the window, which would share a batch)\n${table}${fitLine}`;
}

interface StatsArguments extends GlobalOptions, TraceSourceOptions, ClassOptions {
  readonly lags?: number;
}

function statsCommand(context: CommandContext): CommandModule<GlobalOptions, StatsArguments> {
  return {
    command: 'stats <file>',
    describe:
      'Rate, inter-arrival SCV and autocorrelations, size percentiles and class shares of a trace',
    builder: (yargs) =>
      classBuilder(traceSourceBuilder(yargs)).option('lags', {
        type: 'number',
        describe: 'Autocorrelation lags to report (default 5)',
      }) as unknown as Argv<StatsArguments>,
    handler: async (argv) => {
      const { lags } = argv;
      if (lags !== undefined && (!Number.isSafeInteger(lags) || lags < 1 || lags > 1000)) {
        throw new MbsError(
          'OPTION_INVALID',
          `[@mbs/cli] --lags is ${lags}; give an integer from 1 to 1000`,
        );
      }
      const classes = classSpec(argv);
      const trace = await openTrace(argv);
      const { traceStatistics } = await import('@mbs/traces');
      const statistics = await traceStatistics(trace, {
        classes,
        ...(lags === undefined ? {} : { lags }),
      });
      printResult(context, argv, statistics, () => statisticsText(statistics));
    },
  };
}

/** `mbs trace <subcommand>`: `mbs trace stats FILE`. */
export function traceCommand(context: CommandContext): CommandModule<GlobalOptions, GlobalOptions> {
  return {
    command: 'trace',
    describe: 'Inspect request traces (stats)',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs.command(statsCommand(context)).demandCommand(1, 'Name a trace subcommand: stats.'),
    handler: () => undefined,
  };
}
