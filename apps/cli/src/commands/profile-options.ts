import { DEFAULT_LAMBDA_RUNTIME, isMbsError, LAMBDA_RUNTIMES, type LambdaRuntime } from '@mbs/core';
import {
  checkRepetitionRule,
  DEFAULT_PROFILE_GAP_MS,
  DEFAULT_PROFILE_RETRY,
  DEFAULT_REPETITION_RULE,
  type RepetitionRule,
} from '@mbs/profiles';
import type { Argv } from 'yargs';
import type { GlobalOptions } from '../context.js';
import { optionError } from '../options/option-error.js';
import { LOCAL_REGION } from '../options/provider-options.js';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';
import { pricingOptionBuilder } from '../resolvers/pricing.js';

// The options of `mbs profile`: declared, and checked before anything is read or deployed.

/** Arguments of `mbs profile`. */
export interface ProfileArguments extends GlobalOptions {
  readonly provider: 'aws' | 'local';
  readonly endpoint?: string;
  readonly region?: string;
  readonly prefix: string;
  readonly zip?: string;
  readonly function?: string;
  readonly descriptor?: string;
  readonly role?: string;
  readonly 'function-timeout': number;
  readonly runtime: LambdaRuntime;
  readonly memories?: string;
  readonly 'batch-sizes'?: string;
  readonly edges?: string;
  readonly sizes?: string;
  readonly workload?: string;
  readonly 'reference-memories'?: string;
  readonly full: boolean;
  readonly 'hold-out': boolean;
  readonly 'min-repetitions': number;
  readonly 'max-repetitions': number;
  readonly 'ci-width': number;
  readonly confidence: number;
  readonly 'warm-up': number;
  readonly 'gap-ms': number;
  readonly concurrency?: number;
  readonly interleave?: number;
  readonly 'max-attempts': number;
  readonly encoding?: 'numbers' | 'base64';
  readonly pricing?: string;
  readonly prior?: string;
  readonly out: string;
  readonly restart: boolean;
  readonly 'dry-run': boolean;
  readonly seed: number;
}

/** Adds the options of `mbs profile` to the command. */
export function profileOptionsBuilder(
  yargs: Argv<GlobalOptions>,
  plugins: CliPlugins,
): Argv<ProfileArguments> {
  return pricingOptionBuilder(yargs, plugins, 'aws-x86')
    .option('provider', {
      choices: ['aws', 'local'] as const,
      default: 'aws' as const,
      describe:
        'aws: AWS Lambda (standard credential chain); local: the emulator (started here, or at --endpoint)',
    })
    .option('endpoint', {
      type: 'string',
      describe: 'Lambda endpoint URL (e.g. a running mbs emulator)',
    })
    .option('region', {
      type: 'string',
      describe: `AWS region (default: the SDK chain; ${LOCAL_REGION} for local)`,
    })
    .option('prefix', {
      type: 'string',
      default: 'mbs-profile',
      describe: 'Functions are named <prefix>-m<memory>',
    })
    .option('zip', {
      type: 'string',
      describe: 'Deployment package of mbs package (default mbs-lambda.zip)',
    })
    .option('function', {
      type: 'string',
      describe: 'Reuse this deployed function instead: reconfigured to each memory in turn',
    })
    .option('descriptor', {
      type: 'string',
      describe:
        "Model descriptor: default, ppocr or a JSON file (default: the zip's; default with --function)",
    })
    .option('role', {
      type: 'string',
      describe: 'Execution role ARN, needed to create functions on AWS',
    })
    .option('function-timeout', {
      type: 'number',
      default: 60,
      describe: 'Function timeout in seconds',
    })
    .option('runtime', {
      choices: LAMBDA_RUNTIMES,
      default: DEFAULT_LAMBDA_RUNTIME,
      describe: 'Lambda runtime of the functions (as mbs package --runtime)',
    })
    .option('memories', {
      type: 'string',
      describe: 'Memory sizes in MB [default: 128,256,512,1024,1769,3008,5308,10240]',
    })
    .option('batch-sizes', {
      type: 'string',
      describe: 'Batch sizes measured [default: 1,2,4,8,16,32]; the table covers 1..largest',
    })
    .option('edges', {
      type: 'string',
      describe: "Class upper edges (default: the built-in workload's 8 classes)",
    })
    .option('sizes', {
      type: 'string',
      describe: 'With --edges: the size sent per class (default: the edges)',
    })
    .option('workload', {
      type: 'string',
      describe: 'Take the classes of this workload (mbs fit --out)',
    })
    .option('reference-memories', {
      type: 'string',
      describe:
        'Memories measured along every batch size and class, a cross of three (default: the one nearest 1769 MB and the largest)',
    })
    .option('full', {
      type: 'boolean',
      default: false,
      describe: 'Measure every point of the grid',
    })
    .option('hold-out', {
      type: 'boolean',
      default: false,
      describe:
        'With --full: fit the designed subset only and report the error on the other points',
    })
    .option('min-repetitions', {
      type: 'number',
      default: DEFAULT_REPETITION_RULE.minRepetitions,
      describe: 'Fewest kept samples per point',
    })
    .option('max-repetitions', {
      type: 'number',
      default: DEFAULT_REPETITION_RULE.maxRepetitions,
      describe: 'Most kept samples per point',
    })
    .option('ci-width', {
      type: 'number',
      default: DEFAULT_REPETITION_RULE.relativeWidth,
      describe:
        'Repeat until the confidence interval of the (20 % trimmed) mean is this share of it wide',
    })
    .option('confidence', {
      type: 'number',
      default: DEFAULT_REPETITION_RULE.confidence,
      describe: 'Confidence of that interval',
    })
    .option('warm-up', {
      type: 'number',
      default: 1,
      describe: "Rounds of invocations discarded before a memory's kept ones (one per point)",
    })
    .option('gap-ms', {
      type: 'number',
      default: DEFAULT_PROFILE_GAP_MS,
      describe:
        'Pause before each invocation, in ms, so each starts on an idled instance as in service (0: back to back)',
    })
    .option('concurrency', {
      type: 'number',
      describe:
        'Functions measured at once [default: 1 on the emulator, which shares this machine; 4 on AWS]',
    })
    .option('interleave', {
      type: 'number',
      describe:
        "Functions (memories) measured in turn, an invocation of each after another, so a drift in the machine's speed lands on all alike; each keeps a warm instance [default: every memory on the emulator in this process; 1 at --endpoint and on AWS]",
    })
    .option('max-attempts', {
      type: 'number',
      default: DEFAULT_PROFILE_RETRY.maxAttempts,
      describe: 'Attempts per invocation while the provider refuses (throttling), with backoff',
    })
    .option('encoding', {
      choices: ['numbers', 'base64'] as const,
      describe:
        'Request data as JSON numbers or base64 [default: numbers for int64 models, as mbs run sends; base64 otherwise]',
    })
    .option('prior', {
      type: 'string',
      describe: 'A profile whose times the price estimate assumes',
    })
    .option('out', {
      type: 'string',
      default: 'profile.json',
      describe: 'Profile to write (MBS JSON format)',
    })
    .option('restart', {
      type: 'boolean',
      default: false,
      describe: 'Discard the measurements of an earlier run instead of resuming',
    })
    .option('dry-run', {
      type: 'boolean',
      default: false,
      describe: 'Print the plan, invocation count and estimated price; measure nothing',
    })
    .option('seed', {
      type: 'number',
      default: 1,
      describe: 'Seed of the retry jitter and of the order of the points in each round',
    }) as unknown as Argv<ProfileArguments>;
}

/** The repetition rule of the options; a bad value names its flag. */
export function repetitionRule(argv: ProfileArguments): RepetitionRule {
  const rule = {
    minRepetitions: argv['min-repetitions'],
    maxRepetitions: argv['max-repetitions'],
    relativeWidth: argv['ci-width'],
    confidence: argv.confidence,
  };
  try {
    return checkRepetitionRule(rule);
  } catch (error) {
    const flags: Record<string, string> = {
      minRepetitions: '--min-repetitions',
      maxRepetitions: '--max-repetitions',
      relativeWidth: '--ci-width',
      confidence: '--confidence',
    };
    const option = isMbsError(error) ? String(error.details.option) : '';
    if (flags[option] === undefined) throw error;
    throw optionError(
      flags[option],
      (error as Error).message.replace(/^\[@mbs\/profiles\] \w+ /, ''),
    );
  }
}

/** Checks the counts, --hold-out and --prefix; OPTION_INVALID names the flag and the range. */
export function checkProfileOptions(argv: ProfileArguments): void {
  const counts: [string, number, number, number][] = [
    ['--warm-up', argv['warm-up'], 0, 100],
    ['--max-attempts', argv['max-attempts'], 1, 50],
    ['--function-timeout', argv['function-timeout'], 1, 900],
    ['--gap-ms', argv['gap-ms'], 0, 60_000],
  ];
  if (argv.concurrency !== undefined) counts.push(['--concurrency', argv.concurrency, 1, 64]);
  if (argv.interleave !== undefined) counts.push(['--interleave', argv.interleave, 1, 64]);
  for (const [option, value, min, max] of counts) {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw optionError(option, `is ${value}; give an integer from ${min} to ${max}`, value);
    }
  }
  if (argv['hold-out'] && !argv.full) {
    throw optionError(
      '--hold-out',
      'needs --full: it fits the designed subset and scores the other measured points',
    );
  }
  if (!/^[A-Za-z0-9-_]{1,50}$/.test(argv.prefix)) {
    throw optionError(
      '--prefix',
      `is ${JSON.stringify(argv.prefix)}; give 1-50 letters, digits, - or _`,
    );
  }
}
