import { simulateMap } from '@mbs/sim';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import {
  type ReplayFunction,
  VALIDATION_TOLERANCES,
  validateAgainstReplay,
} from '../model-validation/validate-against-replay.js';
import {
  replayValidationCases,
  VALIDATION_WORKLOADS,
} from '../model-validation/validation-grid.js';
import { formatValidationTable } from '../model-validation/validation-table.js';

/** Arguments of `mbs validate`. */
export interface ValidateArguments extends GlobalOptions {
  readonly requests: number;
  readonly seed: number;
  readonly batchSizes: readonly number[];
  readonly timeoutsMs: readonly number[];
  readonly buffers: readonly number[];
  readonly workloads: readonly string[];
}

function positiveIntegers(option: string, values: readonly number[], maximum: number): number[] {
  for (const value of values) {
    if (!Number.isInteger(value) || value < 1 || value > maximum) {
      throw errors.error(
        'OPTION_INVALID',
        `--${option}: got ${value}; each value must be an integer in 1..${maximum}`,
        { details: { option, value } },
      );
    }
  }
  return [...values];
}

/** @mbs/sim's discrete-event replay of MAP samples through the system. */
const simReplay: ReplayFunction = ({ validationCase, profile, pricing, requests, seed }) => {
  const { overall } = simulateMap(
    { map: validationCase.map, classShares: validationCase.classShares },
    { system: validationCase.system, profile, pricing, seed },
    requests,
  );
  return {
    p50Seconds: overall.p50LatencySeconds,
    p95Seconds: overall.p95LatencySeconds,
    p99Seconds: overall.p99LatencySeconds,
    costPerRequestUsd: overall.costPerRequestUsd,
  };
};

const REPLAY_DESCRIPTION = '@mbs/sim simulateMap';

/**
 * `mbs validate`: the analytical model (exact and MBS approximations) against a discrete-event
 * replay of requests drawn from the same MAPs, over a grid of B, T, buffer counts and workloads.
 * Exits 1 when the exact model misses a tolerance (2 % on p50/p95/p99, 1 % on mean cost).
 */
export function validateCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, ValidateArguments> {
  return {
    command: 'validate',
    describe:
      'Check the analytical model against a discrete-event replay (p50/p95/p99 latency within 2 %, cost within 1 %)',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .option('requests', {
          type: 'number',
          default: 300_000,
          describe: 'Requests replayed per configuration (the acceptance uses 1000000)',
        })
        .option('seed', { type: 'number', default: 1, describe: 'Seed of the first replay' })
        .option('batch-sizes', {
          type: 'number',
          array: true,
          default: [1, 5, 25],
          describe: 'Batch sizes B (full grid: 1 2 5 10 25)',
        })
        .option('timeouts-ms', {
          type: 'number',
          array: true,
          default: [10, 200],
          describe: 'Timeouts T in milliseconds (full grid: 10 50 200 500)',
        })
        .option('buffers', {
          type: 'number',
          array: true,
          default: [1, 4],
          choices: [1, 4],
          describe: 'Buffer counts',
        })
        .option('workloads', {
          type: 'string',
          array: true,
          default: Object.keys(VALIDATION_WORKLOADS),
          choices: Object.keys(VALIDATION_WORKLOADS),
          describe: 'Reference MAPs',
        }) as unknown as Argv<ValidateArguments>,
    handler: async (argv) => {
      if (!Number.isInteger(argv.requests) || argv.requests < 1000 || argv.requests > 100_000_000) {
        throw errors.error(
          'OPTION_INVALID',
          `--requests: got ${argv.requests}; must be an integer in 1000..100000000`,
          { details: { option: 'requests', value: argv.requests } },
        );
      }
      const timeouts = argv.timeoutsMs;
      for (const timeout of timeouts) {
        if (!Number.isFinite(timeout) || timeout < 0 || timeout > 60_000) {
          throw errors.error(
            'OPTION_INVALID',
            `--timeouts-ms: got ${timeout}; each must be in 0..60000 ms`,
            { details: { option: 'timeouts-ms', value: timeout } },
          );
        }
      }
      const cases = replayValidationCases({
        batchSizes: positiveIntegers('batch-sizes', argv.batchSizes, 32),
        timeoutsSeconds: timeouts.map((timeout) => timeout / 1000),
        bufferCounts: argv.buffers,
        workloads: argv.workloads,
      });
      const rows = await validateAgainstReplay({
        cases,
        replay: simReplay,
        requests: argv.requests,
        seed: argv.seed,
        onRow: (_row, index, total) => {
          if (!argv.json && context.io.stderrIsTty) {
            context.io.stderr(`\rreplayed ${index + 1}/${total} configurations`);
          }
        },
      });
      if (!argv.json && context.io.stderrIsTty) context.io.stderr('\n');
      const failed = rows.filter((row) => !row.passed).length;
      printResult(
        context,
        argv,
        {
          replay: REPLAY_DESCRIPTION,
          requestsPerConfiguration: argv.requests,
          tolerances: VALIDATION_TOLERANCES,
          passed: failed === 0,
          rows,
        },
        () =>
          `Model vs ${REPLAY_DESCRIPTION}, ${argv.requests} requests per configuration (errors = model / replay - 1):\n${formatValidationTable(rows)}`,
      );
      if (failed > 0) {
        throw errors.error(
          'INTERNAL',
          `validate: ${failed} of ${rows.length} configurations outside the tolerances; the model disagrees with the replay`,
          { details: { failed, total: rows.length } },
        );
      }
    },
  };
}
