import type { ReportInputs } from '@mbs/report';
import type { Argv, CommandModule } from 'yargs';
import { type CommandContext, type GlobalOptions, printResult } from '../context.js';
import { errors } from '../errors.js';
import { optionError } from '../options/option-error.js';
import { writeReportFile } from '../report-file.js';
import {
  readProfileInput,
  readReplayInput,
  readRunInput,
  readSolveInput,
} from './report-inputs.js';

/** Arguments of `mbs report`. */
export interface ReportArguments extends GlobalOptions {
  readonly out: string;
  readonly solve?: string;
  readonly replay?: string;
  readonly run?: string;
  readonly profile?: string;
  readonly window: number;
  readonly title?: string;
}

/**
 * `mbs report`: one self-contained HTML page of charts (latency CDFs, cost against the SLO, the
 * configuration, batch sizes, prediction against measurement, the profile) from whichever of a
 * solve result, a replay, a run and a profile it is given.
 */
export function reportCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, ReportArguments> {
  return {
    command: 'report',
    describe:
      'Write a self-contained HTML report (charts with their numbers) of a solve result, a replay, a run and a profile',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .option('out', { type: 'string', demandOption: true, describe: 'HTML file to write' })
        .option('solve', { type: 'string', describe: 'JSON of mbs solve --json' })
        .option('replay', { type: 'string', describe: 'Directory of mbs simulate --records DIR' })
        .option('run', {
          type: 'string',
          describe: 'Run directory of mbs run --out DIR (after mbs logs collect --out DIR)',
        })
        .option('profile', {
          type: 'string',
          describe: 'Service-time profile in the MBS JSON format',
        })
        .option('window', {
          type: 'number',
          default: 0,
          describe: 'Window of the solve result the replay and run belong to',
        })
        .option('title', {
          type: 'string',
          describe: 'Title of the page',
        }) as unknown as Argv<ReportArguments>,
    handler: async (argv) => {
      if ([argv.solve, argv.replay, argv.run, argv.profile].every((input) => input === undefined)) {
        throw optionError(
          '--solve/--replay/--run/--profile',
          'none given; give at least one input to report on',
        );
      }
      if (!(Number.isInteger(argv.window) && argv.window >= 0)) {
        throw optionError('--window', `is ${argv.window}; give a window index >= 0`, argv.window);
      }
      const problems: string[] = [];
      const solve = argv.solve === undefined ? undefined : await readSolveInput(argv.solve);
      const configuration = solve?.value?.configuration;
      const [replay, run, profile] = await Promise.all([
        argv.replay === undefined ? undefined : readReplayInput(argv.replay, configuration),
        argv.run === undefined ? undefined : readRunInput(argv.run, context.plugins),
        argv.profile === undefined ? undefined : readProfileInput(argv.profile),
      ]);
      for (const outcome of [solve, replay, run, profile])
        problems.push(...(outcome?.problems ?? []));
      if (solve?.value && argv.window >= solve.value.windows.length) {
        throw optionError(
          '--window',
          `is ${argv.window}; ${argv.solve} has windows 0..${solve.value.windows.length - 1}`,
          argv.window,
        );
      }
      for (const problem of problems) context.io.stderr(`mbs report: ${problem}\n`);
      if (!solve?.value && !replay?.value && !run?.value && !profile?.value) {
        throw errors.error(
          'IO',
          `mbs report: nothing usable in the inputs given (${problems.length} problem(s) above); no report written`,
          { details: { problems } },
        );
      }
      const inputs: ReportInputs = {
        ...(argv.title === undefined ? {} : { title: argv.title }),
        ...(solve?.value && argv.solve
          ? { solve: { source: argv.solve, document: solve.value } }
          : {}),
        window: argv.window,
        ...(replay?.value ? { replay: replay.value } : {}),
        ...(run?.value ? { run: run.value } : {}),
        ...(profile?.value ? { profile: profile.value } : {}),
        problems,
        generatedAt: new Date().toISOString(),
      };
      const { sections, bytes } = await writeReportFile(argv.out, inputs);
      const figures = sections.flatMap((section) => section.figures.map((figure) => figure.id));
      const missing = sections.flatMap((section) => section.missing);
      printResult(
        context,
        argv,
        { out: argv.out, bytes, figures, problems, missing },
        () =>
          `Wrote ${argv.out} (${(bytes / 1024).toFixed(0)} KB, ${figures.length} charts)${missing.length > 0 ? `\nNot shown:\n${missing.map((text) => `  - ${text}`).join('\n')}` : ''}\n`,
      );
    },
  };
}
