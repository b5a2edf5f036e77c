import type { DeployingProvider } from '@mbs/core';
import { SPECIFICATION_VERSION } from '@mbs/core';

/**
 * A provider that creates the real one on first use, so that listing plugins (`mbs plugins`) or
 * loading the registry imports no SDK and leaves nothing behind (the emulator makes a temporary
 * directory when created). `dispose` releases the real provider only if it was created.
 *
 * @example
 * ```ts
 * const provider = lazyProvider('aws-lambda', 'AWS Lambda over the AWS SDK', async () =>
 *   (await importAwsLambdaProviderPackage('--provider aws-lambda')).createAwsLambdaProvider(),
 * );
 * ```
 */
export function lazyProvider(
  name: string,
  description: string,
  create: () => Promise<DeployingProvider>,
): DeployingProvider {
  let created: Promise<DeployingProvider> | undefined;
  const real = () => {
    created ??= create();
    return created;
  };
  return {
    specificationVersion: SPECIFICATION_VERSION,
    name,
    description,
    invoke: async (functionName, event, options) =>
      (await real()).invoke(functionName, event, options),
    deployFunction: async (spec) => (await real()).deployFunction(spec),
    configureFunction: async (functionName, settings) =>
      (await real()).configureFunction(functionName, settings),
    readLogs: async (query) => (await real()).readLogs(query),
    dispose: async () => {
      if (created !== undefined) await (await created).dispose();
    },
  };
}
