import { readFile } from 'node:fs/promises';
import { DEFAULT_LAMBDA_RUNTIME, LAMBDA_RUNTIMES, type LambdaRuntime } from '@mbs/core';
import type { Argv, CommandModule } from 'yargs';
import { deploymentEnvironment } from '../compare/deployment-record.js';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { importAwsLambdaProviderPackage } from '../optional-package.js';
import {
  type ConfigurationOption,
  configurationOptionBuilder,
  readConfigurationFile,
} from '../options/document-options.js';
import {
  connectionSettings,
  LOCAL_ROLE_ARN,
  lambdaApiProvider,
  type ProviderOptions,
  providerOptionsBuilder,
} from '../options/provider-options.js';

/** Arguments of `mbs deploy`. */
export interface DeployArguments extends GlobalOptions, ConfigurationOption, ProviderOptions {
  readonly zip?: string;
  readonly role?: string;
  readonly window?: number;
  readonly 'function-timeout'?: number;
  readonly 'dry-run': boolean;
  readonly runtime: LambdaRuntime;
}

const DEFAULT_ZIP = 'mbs-lambda.zip';

/** The zip's bytes; a missing default zip is fine (code is then left as deployed). */
async function readZip(path: string | undefined): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await readFile(path ?? DEFAULT_ZIP));
  } catch (error) {
    if (path === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw errors.error(
      'IO',
      `--zip ${path ?? DEFAULT_ZIP}: cannot be read (${(error as Error).message})`,
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
      providerOptionsBuilder(configurationOptionBuilder(yargs), 'Lambda', context.plugins)
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
        .option('runtime', {
          choices: LAMBDA_RUNTIMES,
          default: DEFAULT_LAMBDA_RUNTIME,
          describe: 'Lambda runtime of the functions (as mbs package --runtime)',
        })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Print the plan and change nothing',
        }) as unknown as Argv<DeployArguments>,
    handler: async (argv) => {
      const provider = lambdaApiProvider(context.plugins, argv.provider, 'mbs deploy');
      const connection = connectionSettings({ ...argv, provider });
      const config = await readConfigurationFile(argv.config);
      const zipFile = await readZip(argv.zip);
      const { deploy, formatDeploymentPlan } = await importAwsLambdaProviderPackage('mbs deploy');
      const roleArn = argv.role ?? (provider === 'local' ? LOCAL_ROLE_ARN : undefined);
      const result = await deploy(config, {
        ...connection,
        prefix: argv.prefix,
        runtime: argv.runtime,
        dryRun: argv['dry-run'],
        // With the package, each function's environment records it and the configuration's
        // profile, for mbs logs summarize to check the prediction against.
        ...(zipFile === undefined
          ? {}
          : { zipFile, environment: deploymentEnvironment(config, zipFile) }),
        ...(roleArn === undefined ? {} : { roleArn }),
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
