import type { Provider } from '@mbs/core';
import { importAwsLambdaProviderPackage } from './optional-package.js';
import { optionError } from './options/option-error.js';
import {
  type ConnectionSettings,
  connectionSettings,
  type ProviderOptions,
  providerTarget,
} from './options/provider-options.js';
import type { CliPlugins } from './plugin-loading/cli-plugins.js';

/** A provider that invokes the deployed functions, and where it connects. */
export interface InvokingProvider {
  readonly provider: Provider;
  /** The SDK settings (empty for a provider plugin). */
  readonly connection: ConnectionSettings;
}

/**
 * The provider `--provider` names for commands that invoke the deployed functions (`mbs run`,
 * `mbs serve`): `aws` or `local` through the AWS SDK (the batcher owns retries, so the SDK makes
 * one attempt), or a registered provider plugin as it is. OPTION_INVALID when `--endpoint` or
 * `--region` is given with a plugin.
 *
 * @example
 * ```ts
 * const { provider, connection } = await createInvokingProvider(context.plugins, argv, 'mbs serve');
 * ```
 */
export async function createInvokingProvider(
  plugins: CliPlugins,
  options: ProviderOptions,
  command: string,
): Promise<InvokingProvider> {
  const target = providerTarget(plugins, options.provider);
  if (target.kind === 'plugin') {
    if (options.endpoint !== undefined || options.region !== undefined) {
      throw optionError(
        options.endpoint === undefined ? '--region' : '--endpoint',
        `applies to --provider aws or local; ${target.name} is a provider plugin`,
      );
    }
    return { provider: await plugins.load('provider', target.name, '--provider'), connection: {} };
  }
  const connection = connectionSettings({ ...options, provider: target.provider });
  const { createAwsLambdaProvider } = await importAwsLambdaProviderPackage(command);
  return { provider: createAwsLambdaProvider({ ...connection, maxAttempts: 1 }), connection };
}
