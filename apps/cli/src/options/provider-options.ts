import type { Argv } from 'yargs';
import type { CliPlugins } from '../plugin-loading/cli-plugins.js';
import { optionError } from './option-error.js';

// The options that say where the deployed functions are, shared by `mbs deploy`, `mbs run` and
// `mbs logs collect`: which provider, its endpoint and region, and the function name prefix.

/**
 * What `--provider` names: `aws` (the `aws-lambda` plugin) or `local` (the emulator at
 * `--endpoint`), both reached through the Lambda API, or another registered provider plugin.
 */
export type ProviderName = string;

/** The Lambda API endpoints `--provider` can name, by the names it accepts. */
const LAMBDA_API_PROVIDERS: Readonly<Record<string, 'aws' | 'local'>> = {
  aws: 'aws',
  'aws-lambda': 'aws',
  local: 'local',
};

/** What `--provider` resolved to. */
export type ProviderTarget =
  /** AWS Lambda itself, or the local emulator, through the AWS SDK. */
  | { readonly kind: 'lambda-api'; readonly provider: 'aws' | 'local' }
  /** A provider plugin from the config file or `--plugin`, used as it is. */
  | { readonly kind: 'plugin'; readonly name: string };

/**
 * What `--provider` names, checked against the registry: `aws`/`aws-lambda` and `local` reach the
 * Lambda API (AWS or the emulator); another registered provider is a plugin. OPTION_INVALID
 * listing the accepted names otherwise.
 */
export function providerTarget(plugins: CliPlugins, name: string): ProviderTarget {
  const lambdaApi = LAMBDA_API_PROVIDERS[name];
  if (lambdaApi !== undefined) return { kind: 'lambda-api', provider: lambdaApi };
  if (plugins.has('provider', name)) return { kind: 'plugin', name };
  throw optionError(
    '--provider',
    `${name}: no provider of that name; registered: aws, ${plugins.names('provider').join(', ')} (add one with --plugin or mbs.config.mjs)`,
    name,
  );
}

/**
 * The Lambda API `--provider` names, for commands that only speak it (deploy, logs collect);
 * OPTION_INVALID naming the command when it names a provider plugin.
 */
export function lambdaApiProvider(
  plugins: CliPlugins,
  name: string,
  command: string,
): 'aws' | 'local' {
  const target = providerTarget(plugins, name);
  if (target.kind === 'lambda-api') return target.provider;
  throw optionError(
    '--provider',
    `${name}: ${command} works through the Lambda API, with --provider aws or local; ${name} is a provider plugin (mbs run can use it)`,
    name,
  );
}

/** Values of `--provider`, `--endpoint`, `--region` and `--prefix`. */
export interface ProviderOptions {
  readonly provider: ProviderName;
  readonly endpoint?: string;
  readonly region?: string;
  readonly prefix: string;
}

/** Credentials the local emulator accepts (it does not check signatures). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'mbs-local', secretAccessKey: 'mbs-local' };

/** Execution role given to the emulator, which accepts any: a recognisable fake keeps CreateFunction's shape. */
export const LOCAL_ROLE_ARN = 'arn:aws:iam::000000000000:role/mbs-local';

/** Region used with the local emulator when none is given. */
export const LOCAL_REGION = 'us-east-1';

/** Where the AWS SDK clients connect: the standard chain on AWS, the emulator otherwise. */
export interface ConnectionSettings {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: typeof LOCAL_CREDENTIALS;
}

/**
 * Adds `--provider`, `--endpoint`, `--region` and `--prefix` to a command.
 *
 * @param service - the AWS API the command calls, named in the help: `Lambda` or `CloudWatch Logs`
 * @example
 * ```ts
 * builder: (yargs) => providerOptionsBuilder(yargs.option('config', { ... }), 'Lambda', plugins)
 * ```
 */
export function providerOptionsBuilder<T>(
  yargs: Argv<T>,
  service: 'Lambda' | 'CloudWatch Logs',
  plugins: CliPlugins,
): Argv<T & ProviderOptions> {
  const others = plugins
    .names('provider')
    .filter((name) => LAMBDA_API_PROVIDERS[name] === undefined);
  return yargs
    .option('provider', {
      type: 'string',
      default: 'aws',
      describe: `aws: ${service === 'Lambda' ? 'AWS Lambda' : service} (standard credential chain); local: the emulator at --endpoint${others.length > 0 && service === 'Lambda' ? `; or a provider plugin: ${others.join(', ')}` : ''}`,
    })
    .option('endpoint', {
      type: 'string',
      describe: `${service} endpoint URL (required with --provider local)`,
    })
    .option('region', {
      type: 'string',
      describe: `AWS region (default: the SDK chain; ${LOCAL_REGION} for local)`,
    })
    .option('prefix', {
      type: 'string',
      default: 'mbs',
      describe:
        'Function name prefix, as mbs deploy names functions: <prefix>-b<buffer> (<prefix>-w<window>-b<buffer> with several windows)',
    }) as unknown as Argv<T & ProviderOptions>;
}

/**
 * The SDK settings the provider options ask for: `--provider local` needs `--endpoint` and gets
 * fake credentials and us-east-1 unless a region is given; AWS uses the standard chain.
 */
export function connectionSettings(
  options: Pick<ProviderOptions, 'endpoint' | 'region'> & { readonly provider: 'aws' | 'local' },
): ConnectionSettings {
  const { provider, endpoint, region } = options;
  if (provider === 'local' && endpoint === undefined) {
    throw optionError(
      '--endpoint',
      'is missing; --provider local needs the URL of the emulator (mbs emulator start prints it)',
    );
  }
  const chosenRegion = region ?? (provider === 'local' ? LOCAL_REGION : undefined);
  return {
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(chosenRegion === undefined ? {} : { region: chosenRegion }),
    ...(provider === 'local' ? { credentials: LOCAL_CREDENTIALS } : {}),
  };
}
