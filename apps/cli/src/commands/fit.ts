import { writeFile } from 'node:fs/promises';
import type { WorkloadDocument, WorkloadWindow } from '@mbs/core';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { formatFigure, formatReadReport } from '../figures.js';
import { createProgress } from '../progress.js';
import { type ClassOptions, classBuilder, classSpec } from '../resolvers/classes.js';
import { openTrace, type TraceSourceOptions, traceFileBuilder } from '../resolvers/trace.js';
import { formatTable } from '../table.js';

interface FitArguments extends GlobalOptions, TraceSourceOptions, ClassOptions {
  readonly window?: number;
  readonly method?: string;
  readonly phases?: number;
  readonly marks?: string;
  readonly out?: string;
}

function targetVsFitted(statistic: { target: number; fitted: number } | undefined): string {
  return statistic === undefined
    ? '-'
    : `${formatFigure(statistic.target)} / ${formatFigure(statistic.fitted)}`;
}

/** Log-likelihood per arrival of a maximum-likelihood fit's report, if it has one. */
function logLikelihoodPerArrival(window: WorkloadWindow): number | undefined {
  const value = (window.fit as { logLikelihoodPerArrival?: unknown } | undefined)
    ?.logLikelihoodPerArrival;
  return typeof value === 'number' ? value : undefined;
}

/**
 * The fit table: one row per window, target / fitted for each statistic, plus the
 * log-likelihood per arrival when some window was fitted by maximum likelihood (`--phases`).
 */
export function fitTable(workload: WorkloadDocument): string {
  const likelihoodColumn = workload.windows.some(
    (window) => logLikelihoodPerArrival(window) !== undefined,
  )
    ? [
        {
          header: 'loglik/arrival',
          value: (window: WorkloadWindow) => {
            const value = logLikelihoodPerArrival(window);
            return value === undefined ? '-' : value.toFixed(4);
          },
          align: 'right' as const,
        },
      ]
    : [];
  return formatTable(workload.windows, [
    {
      header: 'window s',
      value: (window: WorkloadWindow) =>
        `${formatFigure(window.startSeconds, 6)}-${formatFigure(window.endSeconds, 6)}`,
    },
    { header: 'arrivals', value: (window) => String(window.arrivals), align: 'right' },
    { header: 'method', value: (window) => window.fit?.method ?? '-' },
    {
      header: 'rate target/fitted',
      value: (window) => targetVsFitted(window.fit?.rate),
      align: 'right',
    },
    {
      header: 'SCV target/fitted',
      value: (window) => targetVsFitted(window.fit?.scv),
      align: 'right',
    },
    {
      header: 'E[X^3] target/fitted',
      value: (window) => targetVsFitted(window.fit?.thirdMoment),
      align: 'right',
    },
    {
      header: 'lag-1 target/fitted',
      value: (window) => targetVsFitted(window.fit?.lag1Autocorrelation),
      align: 'right',
    },
    ...likelihoodColumn,
    {
      header: 'count match',
      value: (window) =>
        window.fit?.counting === undefined ? '-' : window.fit.counting.score.toFixed(3),
      align: 'right',
    },
    { header: 'warnings', value: (window) => (window.fit?.warnings ?? []).join('; ') },
  ]);
}

/**
 * Why each window got its fit (the counting match of the candidates) and how its classes are
 * modelled, one line each; empty when no window says.
 */
export function fitReasons(workload: WorkloadDocument): string {
  const lines: string[] = [];
  workload.windows.forEach((window, index) => {
    const name = `window ${formatFigure(window.startSeconds, 6)}-${formatFigure(window.endSeconds, 6)} s`;
    if (window.fit?.selection) lines.push(`${name}: ${window.fit.selection.reason}`);
    if (window.fit?.marks) lines.push(`${name}: ${window.fit.marks.reason}`);
    if (index === 0 && window.fit?.counting) {
      lines.push(
        `${name}: counting match per window length (distance of counts in windows / after an arrival; index of dispersion trace/fit): ${window.fit.counting.windows
          .map(
            (entry) =>
              `${formatFigure(entry.seconds * 1000)} ms ${entry.windowDistance.toFixed(3)}/${entry.arrivalDistance.toFixed(3)}, IDC ${formatFigure(entry.indexOfDispersion.target, 3)}/${formatFigure(entry.indexOfDispersion.fitted, 3)}`,
          )
          .join('; ')}`,
      );
    }
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function classesText(workload: WorkloadDocument): string {
  const unit = workload.sizeUnit === undefined ? '' : ` ${workload.sizeUnit}`;
  const shares = workload.windows.map((window) =>
    window.classShares.map((share) => `${(share * 100).toFixed(1)}%`).join(' '),
  );
  return `classes (upper edges${unit}): ${workload.classUpperEdges.map((edge) => formatFigure(edge)).join(', ')}\n${formatTable(
    workload.windows.map((window, index) => ({ window, shares: shares[index]! })),
    [
      {
        header: 'window s',
        value: (row) =>
          `${formatFigure(row.window.startSeconds, 6)}-${formatFigure(row.window.endSeconds, 6)}`,
      },
      { header: 'class shares', value: (row) => row.shares },
    ],
  )}`;
}

/** `mbs fit FILE`: fits a MAP per window and the class shares, and writes a workload document. */
export function fitCommand(context: CommandContext): CommandModule<GlobalOptions, FitArguments> {
  return {
    command: 'fit <file>',
    describe:
      'Fit a workload (MAP per time window, size classes) to a trace and write workload.json',
    builder: (yargs) =>
      classBuilder(traceFileBuilder(yargs, context.plugins))
        .option('window', {
          type: 'number',
          describe: 'Window length in seconds (default: the whole trace)',
        })
        .option('method', {
          type: 'string',
          choices: ['auto', 'poisson', 'map2', 'map-em'],
          describe:
            'MAP per window: auto (Poisson unless SCV or lag-1 differ), poisson, map2 (moments), map-em (maximum likelihood, --phases phases)',
        })
        .option('phases', {
          type: 'number',
          describe:
            'Fit a MAP with this many phases (2-10) by maximum likelihood (EM) instead of a MAP(2) by moments; with auto or map-em (default: MAP(2), or 4 with map-em)',
        })
        .option('marks', {
          type: 'string',
          choices: ['auto', 'independent', 'fitted'],
          describe:
            'Classes as marks of the arrivals: auto (a marked MAP when sizes depend on the arrivals), independent (thinning), fitted (always marked)',
        })
        .option('out', {
          type: 'string',
          describe: 'Write the workload document (JSON) here',
        }) as unknown as Argv<FitArguments>,
    handler: async (argv) => {
      if (argv.window !== undefined && !(argv.window > 0 && Number.isFinite(argv.window))) {
        throw errors.error('OPTION_INVALID', `--window is ${argv.window}; give seconds > 0`);
      }
      if (
        argv.phases !== undefined &&
        !(Number.isInteger(argv.phases) && argv.phases >= 2 && argv.phases <= 10)
      ) {
        throw errors.error(
          'OPTION_INVALID',
          `--phases is ${argv.phases}; give an integer from 2 to 10`,
        );
      }
      if (argv.phases !== undefined && (argv.method === 'map2' || argv.method === 'poisson')) {
        throw errors.error(
          'OPTION_INVALID',
          `--phases ${argv.phases} with --method ${argv.method}: phases apply to the maximum-likelihood fit; use --method auto or map-em, or leave --phases out`,
        );
      }
      const classes = classSpec(argv);
      const trace = await openTrace(context.plugins, argv);
      const { fitWorkload } = await import('@mbs/traces');
      const progress = createProgress(context.io);
      const workload = await fitWorkload(trace, {
        classes,
        onProgress: (message) => progress.update(`fitting: ${message}`),
        ...(argv.window === undefined ? {} : { windowSeconds: argv.window }),
        ...(argv.method === undefined
          ? {}
          : { method: argv.method as 'auto' | 'poisson' | 'map2' | 'map-em' }),
        ...(argv.phases === undefined ? {} : { phases: argv.phases }),
        ...(argv.marks === undefined
          ? {}
          : { marks: argv.marks as 'auto' | 'independent' | 'fitted' }),
      });
      progress.done();
      context.io.stderr(`read ${formatReadReport(trace.report())}\n`);
      if (argv.out !== undefined) {
        try {
          await writeFile(argv.out, `${JSON.stringify(workload, null, 2)}\n`);
        } catch (error) {
          throw errors.error(
            'IO',
            `--out ${argv.out}: cannot write (${(error as { code?: string }).code ?? error}); pass a writable path`,
            {
              cause: error,
            },
          );
        }
      }
      printResult(context, argv, workload, () => {
        const written = argv.out === undefined ? '' : `wrote ${argv.out}\n`;
        return `${fitTable(workload)}\n${fitReasons(workload)}${classesText(workload)}${written}`;
      });
    },
  };
}
