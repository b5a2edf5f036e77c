import type { TraceStatistics } from '@mbs/traces';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { formatFigure, formatReadReport } from '../figures.js';
import { type ClassOptions, classBuilder, classSpec } from '../resolvers/classes.js';
import { openTrace, type TraceSourceOptions, traceFileBuilder } from '../resolvers/trace.js';
import { formatTable } from '../table.js';

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
      classBuilder(traceFileBuilder(yargs, context.plugins)).option('lags', {
        type: 'number',
        describe: 'Autocorrelation lags to report (default 5)',
      }) as unknown as Argv<StatsArguments>,
    handler: async (argv) => {
      const { lags } = argv;
      if (lags !== undefined && (!Number.isSafeInteger(lags) || lags < 1 || lags > 1000)) {
        throw errors.error('OPTION_INVALID', `--lags is ${lags}; give an integer from 1 to 1000`);
      }
      const classes = classSpec(argv);
      const trace = await openTrace(context.plugins, argv);
      const { traceStatistics } = await import('@mbs/traces');
      const statistics = await traceStatistics(trace, {
        classes,
        ...(lags === undefined ? {} : { lags }),
      });
      if (statistics.count > 0 && !(statistics.durationSeconds > 0)) {
        // Rates and inter-arrival statistics divide by the span: 0 gave "rate 0 req/s, SCV NaN".
        throw errors.error(
          'TRACE_EMPTY',
          `${argv.file}: all ${statistics.count} arrivals share one time; a rate and inter-arrival statistics need arrivals at two different times (check the time column and --time-unit)`,
          { details: { file: argv.file, arrivals: statistics.count } },
        );
      }
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
