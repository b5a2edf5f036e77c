import type { DeployingProvider } from '@mbs/core';
import { importAwsLambdaProviderPackage } from '../optional-package.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, LOCAL_ROLE_ARN } from '../options/provider-options.js';
import type { ProfileArguments } from './profile-options.js';
import type { FunctionCode } from './profile-setup.js';

// Where `mbs profile` measures: the provider, the function of each memory, and how it gets there.

/**
 * The provider the options name: the in-process emulator, the emulator at --endpoint, or AWS.
 * The in-process emulator keeps up to `instances` warm instances at once (at least its default),
 * one per function the run measures at once or in turn, so none is shut down to make room.
 */
export async function openProvider(
  argv: ProfileArguments,
  instances: number,
): Promise<DeployingProvider> {
  if (argv.provider === 'local' && argv.endpoint === undefined) {
    // Loaded here, not at start-up: the other commands need no emulator.
    const [{ resolveEmulatorOptions }, { createLocalProvider }] = await Promise.all([
      import('@mbs/lambda-emulator'),
      import('@mbs/provider-local'),
    ]);
    const maxInstances = Math.max(instances, resolveEmulatorOptions({}).maxInstances);
    return createLocalProvider({ maxInstances });
  }
  const { createAwsLambdaProvider } = await importAwsLambdaProviderPackage('mbs profile');
  const local = argv.provider === 'local';
  const region = argv.region ?? (local ? LOCAL_REGION : undefined);
  const role = argv.role ?? (local ? LOCAL_ROLE_ARN : undefined);
  return createAwsLambdaProvider({
    ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
    ...(role === undefined ? {} : { roleArn: role }),
    // The profiler owns retries (with backoff, counted in the report); the SDK must not add its own.
    maxAttempts: 1,
  });
}

/** The function of a memory: `<prefix>-m<MB>`, or the one reused function. */
export function functionNameOf(argv: ProfileArguments, code: FunctionCode) {
  return (memoryMb: number) =>
    code.kind === 'function' ? code.functionName : `${argv.prefix}-m${memoryMb}`;
}

/** Deploys the zip at a memory, or reconfigures the reused function to it. */
export function functionPreparer(
  provider: DeployingProvider,
  code: FunctionCode,
  argv: ProfileArguments,
) {
  return async (memoryMb: number, functionName: string) => {
    if (code.kind === 'function') {
      await provider.configureFunction(functionName, {
        memoryMb,
        timeoutSeconds: argv['function-timeout'],
      });
      return;
    }
    await provider.deployFunction({
      functionName,
      memoryMb,
      timeoutSeconds: argv['function-timeout'],
      zipFile: code.zip,
      handler: 'index.handler',
      runtime: argv.runtime,
    });
  };
}
