import { readFile } from 'node:fs/promises';
import { MbsError, parseConfigurationDocument } from '@mbs/core';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';

/** Arguments of `mbs deploy`. */
export interface DeployArguments extends GlobalOptions {
  readonly config: string;
  readonly provider: 'aws' | 'local';
  readonly endpoint?: string;
  readonly region?: string;
  readonly prefix: string;
  readonly zip?: string;
  readonly role?: string;
  readonly window?: number;
  readonly 'function-timeout'?: number;
  readonly 'dry-run': boolean;
}

const DEFAULT_ZIP = 'mbs-lambda.zip';
// The emulator accepts any role; a recognisable fake keeps CreateFunction's shape.
const LOCAL_ROLE_ARN = 'arn:aws:iam::000000000000:role/mbs-local';

async function readConfiguration(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MbsError(
      'IO',
      `[@mbs/cli] --config ${path}: cannot be read (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  try {
    return parseConfigurationDocument(JSON.parse(text), path);
  } catch (error) {
    if (error instanceof SyntaxError) {
      throw new MbsError(
        'CONFIG_INVALID',
        `[@mbs/cli] --config ${path}: not valid JSON (${error.message})`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** The zip's bytes; a missing default zip is fine (code is then left as deployed). */
async function readZip(path: string | undefined): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path ?? DEFAULT_ZIP));
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MbsError(
      'IO',
      `[@mbs/cli] --zip ${path ?? DEFAULT_ZIP}: cannot be read (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}

/** `mbs deploy`: creates or updates one Lambda function per buffer of a configuration. */
export function deployCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, DeployArguments> {
  return {
    command: 'deploy',
    describe:
      'Deploy a configuration: one Lambda function per buffer (create, update or leave unchanged)',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .option('config', {
          type: 'string',
          demandOption: true,
          describe: 'Configuration document (mbs solve --out)',
        })
        .option('provider', {
          choices: ['aws', 'local'] as const,
          default: 'aws' as const,
          describe:
            'aws: AWS Lambda (standard credential chain); local: the emulator at --endpoint',
        })
        .option('endpoint', {
          type: 'string',
          describe: 'Lambda endpoint URL (required with --provider local)',
        })
        .option('region', {
          type: 'string',
          describe: 'AWS region (default: the SDK chain; us-east-1 for local)',
        })
        .option('prefix', {
          type: 'string',
          default: 'mbs',
          describe: 'Function name prefix: <prefix>-b<buffer>',
        })
        .option('zip', {
          type: 'string',
          describe: `Deployment package (default ${DEFAULT_ZIP} when present)`,
        })
        .option('role', {
          type: 'string',
          describe: 'Execution role ARN, needed to create functions on AWS',
        })
        .option('window', {
          type: 'number',
          describe: 'Deploy only this window of the configuration (index)',
        })
        .option('function-timeout', {
          type: 'number',
          describe: 'Function timeout in seconds (1..900; default 60)',
        })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Print the plan and change nothing',
        }) as Argv<DeployArguments>,
    handler: async (argv) => {
      if (argv.provider === 'local' && argv.endpoint === undefined) {
        throw new MbsError(
          'OPTION_INVALID',
          '[@mbs/cli] --provider local needs --endpoint URL of the emulator',
        );
      }
      const config = await readConfiguration(argv.config);
      const zipFile = await readZip(argv.zip);
      const { deploy, formatDeploymentPlan } = await import('@mbs/provider-aws-lambda');
      const local = argv.provider === 'local';
      const roleArn = argv.role ?? (local ? LOCAL_ROLE_ARN : undefined);
      const region = argv.region ?? (local ? 'us-east-1' : undefined);
      const result = await deploy(config, {
        prefix: argv.prefix,
        dryRun: argv['dry-run'],
        ...(zipFile === undefined ? {} : { zipFile }),
        ...(roleArn === undefined ? {} : { roleArn }),
        ...(region === undefined ? {} : { region }),
        ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
        ...(local
          ? { credentials: { accessKeyId: 'mbs-local', secretAccessKey: 'mbs-local' } }
          : {}),
        ...(argv.window === undefined ? {} : { window: argv.window }),
        ...(argv['function-timeout'] === undefined
          ? {}
          : { functionTimeoutSeconds: argv['function-timeout'] }),
      });
      const json = {
        dryRun: argv['dry-run'],
        applied: result.applied,
        changedFunctions: result.changedFunctions,
        counts: result.plan.counts,
        functions: result.plan.functions.map((planned) => ({
          functionName: planned.functionName,
          action: planned.action,
          changes: planned.changes,
          memoryMb: planned.spec.memoryMb,
          timeoutSeconds: planned.spec.timeoutSeconds,
          buffers: planned.buffers,
        })),
        warnings: result.plan.warnings,
        problems: result.plan.problems,
      };
      printResult(context, argv, json, () => {
        const footer = argv['dry-run']
          ? 'Dry run: nothing was changed.\n'
          : result.applied
            ? `Deployed ${result.changedFunctions.length} function(s).\n`
            : '';
        return `${formatDeploymentPlan(result.plan)}${footer}`;
      });
    },
  };
}
