import { isMbsError, type Objective, type ObjectiveSettings } from '@mbs/core';
import type { SearchConstraint } from '@mbs/optimizer';
import type { Argv } from 'yargs';
import { optionError } from '../options/option-error.js';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';

/** The objective used when neither `--objective` nor `--constraint` names one. */
export const DEFAULT_OBJECTIVE = 'latency-slo';

/** `--constraint` values (MBS's option) and the built-in objective each one names. */
const CONSTRAINT_OBJECTIVES: Readonly<Record<string, string>> = {
  latency: 'latency-slo',
  cost: 'cost-budget',
};

/** Values of `--objective`, `--constraint`, `--percentile`, `--slo` and `--budget`. */
export interface ObjectiveOptions {
  readonly objective?: string;
  readonly constraint?: string;
  readonly percentile: number;
  readonly slo?: number;
  readonly budget?: number;
}

/** Adds `--objective` to a command, naming the registered objectives in its help. */
export function objectiveOptionBuilder<T>(
  yargs: Argv<T>,
  plugins: CliPlugins,
): Argv<T & { objective?: string }> {
  return yargs.option('objective', {
    type: 'string',
    describe: `Objective plugin (what solve minimises under which constraints): ${plugins.names('objective').join(', ')} (default: ${DEFAULT_OBJECTIVE}, or the one --constraint names)`,
  }) as unknown as Argv<T & { objective?: string }>;
}

/** The objective of a solve, its settings, and the optimizer's constraint when it has a standard form. */
export interface ResolvedObjective {
  readonly objective: Objective;
  readonly settings: ObjectiveSettings;
  /** Present for an objective with a standard form: solved by the exact search. */
  readonly standard?: { readonly percentile: number; readonly constraint: SearchConstraint };
}

/**
 * The objective `--objective` names (or `--constraint`'s built-in), its settings from
 * `--percentile`, `--slo` and `--budget`, and its standard form; OPTION_INVALID naming the option
 * for an unknown name, two options that disagree, or a setting the objective needs.
 */
export async function resolveObjective(
  plugins: CliPlugins,
  options: ObjectiveOptions,
): Promise<ResolvedObjective> {
  if (!(options.percentile > 0 && options.percentile < 1)) {
    throw optionError(
      '--percentile',
      `is ${options.percentile}; give a number in (0, 1), e.g. 0.95`,
      options.percentile,
    );
  }
  let name = options.objective;
  if (options.constraint !== undefined) {
    const named = CONSTRAINT_OBJECTIVES[options.constraint];
    if (named === undefined) {
      throw optionError(
        '--constraint',
        `is ${JSON.stringify(options.constraint)}; accepted: latency, cost`,
        options.constraint,
      );
    }
    if (name !== undefined && name !== named) {
      throw optionError(
        '--constraint',
        `${options.constraint} names the ${named} objective but --objective is ${name}; give one of them`,
        options.constraint,
      );
    }
    name = named;
  }
  const option =
    options.objective === undefined && name !== undefined ? '--constraint' : '--objective';
  const objective = await plugins.load('objective', name ?? DEFAULT_OBJECTIVE, option);
  const settings: ObjectiveSettings = {
    percentile: options.percentile,
    ...(options.slo === undefined ? {} : { sloSeconds: options.slo }),
    ...(options.budget === undefined ? {} : { budgetUsdPerRequest: options.budget }),
  };
  if (!objective.standardForm) return { objective, settings };
  let form: ReturnType<NonNullable<Objective['standardForm']>>;
  try {
    form = objective.standardForm(settings);
  } catch (error) {
    // The objective names the setting; the CLI names the option that gives it.
    if (isMbsError(error) && error.code === 'OPTION_INVALID') {
      const setting = String((error.details as { option?: unknown } | undefined)?.option ?? '');
      const cliOption = /budget/.test(setting)
        ? '--budget'
        : /slo/.test(setting)
          ? '--slo'
          : '--percentile';
      throw optionError(
        cliOption,
        `(objective ${objective.name}): ${error.message.replace(/^\[[^\]]+\] /, '')}`,
      );
    }
    throw error;
  }
  return {
    objective,
    settings,
    standard: {
      percentile: form.percentile,
      constraint:
        form.mode === 'latency'
          ? { mode: 'latency', sloSeconds: form.sloSeconds }
          : { mode: 'cost', budgetUsdPerRequest: form.budgetUsdPerRequest },
    },
  };
}
