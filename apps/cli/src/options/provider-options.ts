import type { Argv } from 'yargs';
import { optionError } from './option-error.js';

// The options that say where the deployed functions are, shared by `mbs deploy`, `mbs run` and
// `mbs logs collect`: which provider, its endpoint and region, and the function name prefix.

/** Where the functions run: AWS itself, or the local emulator at `--endpoint`. */
export type ProviderName = 'aws' | 'local';

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
 * builder: (yargs) => providerOptionsBuilder(yargs.option('config', { ... }), 'Lambda')
 * ```
 */
export function providerOptionsBuilder<T>(
  yargs: Argv<T>,
  service: 'Lambda' | 'CloudWatch Logs',
): Argv<T & ProviderOptions> {
  return yargs
    .option('provider', {
      choices: ['aws', 'local'] as const,
      default: 'aws' as const,
      describe: `aws: ${service === 'Lambda' ? 'AWS Lambda' : service} (standard credential chain); local: the emulator at --endpoint`,
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
  options: Pick<ProviderOptions, 'provider' | 'endpoint' | 'region'>,
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
