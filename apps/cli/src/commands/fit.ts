import { writeFile } from 'node:fs/promises';
import type { WorkloadDocument, WorkloadWindow } from '@mbs/core';
import { MbsError } from '@mbs/core';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { formatTable } from '../table.js';
import {
  type ClassOptions,
  classBuilder,
  classSpec,
  formatFigure,
  formatReadReport,
  openTrace,
  type TraceSourceOptions,
  traceSourceBuilder,
} from './trace.js';

interface FitArguments extends GlobalOptions, TraceSourceOptions, ClassOptions {
  readonly window?: number;
  readonly method?: string;
  readonly out?: string;
}

function targetVsFitted(statistic: { target: number; fitted: number } | undefined): string {
  return statistic === undefined
    ? '-'
    : `${formatFigure(statistic.target)} / ${formatFigure(statistic.fitted)}`;
}

/** The fit table: one row per window, target / fitted for each statistic. */
export function fitTable(workload: WorkloadDocument): string {
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
    { header: 'warnings', value: (window) => (window.fit?.warnings ?? []).join('; ') },
  ]);
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
      classBuilder(traceSourceBuilder(yargs))
        .option('window', {
          type: 'number',
          describe: 'Window length in seconds (default: the whole trace)',
        })
        .option('method', {
          type: 'string',
          choices: ['auto', 'poisson', 'map2'],
          describe: 'MAP per window: auto (Poisson unless SCV or lag-1 differ), poisson, map2',
        })
        .option('out', {
          type: 'string',
          describe: 'Write the workload document (JSON) here',
        }) as unknown as Argv<FitArguments>,
    handler: async (argv) => {
      if (argv.window !== undefined && !(argv.window > 0 && Number.isFinite(argv.window))) {
        throw new MbsError(
          'OPTION_INVALID',
          `[@mbs/cli] --window is ${argv.window}; give seconds > 0`,
        );
      }
      const classes = classSpec(argv);
      const trace = await openTrace(argv);
      const { fitWorkload } = await import('@mbs/traces');
      const workload = await fitWorkload(trace, {
        classes,
        ...(argv.window === undefined ? {} : { windowSeconds: argv.window }),
        ...(argv.method === undefined
          ? {}
          : { method: argv.method as 'auto' | 'poisson' | 'map2' }),
      });
      context.io.stderr(`read ${formatReadReport(trace.report())}\n`);
      if (argv.out !== undefined) {
        try {
          await writeFile(argv.out, `${JSON.stringify(workload, null, 2)}\n`);
        } catch (error) {
          throw new MbsError(
            'IO',
            `[@mbs/cli] --out ${argv.out}: cannot write (${(error as { code?: string }).code ?? error}); pass a writable path`,
            {
              cause: error,
            },
          );
        }
      }
      printResult(context, argv, workload, () => {
        const written = argv.out === undefined ? '' : `wrote ${argv.out}\n`;
        return `${fitTable(workload)}\n${classesText(workload)}${written}`;
      });
    },
  };
}
