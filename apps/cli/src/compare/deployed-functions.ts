import { importAwsLambdaProviderPackage } from '../optional-package.js';
import { connectionSettings } from '../options/provider-options.js';
import { deploymentRecordOf } from './deployment-record.js';
import type { DeployedFunction } from './profile-check.js';

/** Where a run's functions were: its provider, endpoint and region, and their names. */
export interface DeployedFunctionsQuery {
  readonly provider: string;
  readonly endpoint?: string;
  readonly region?: string;
  readonly functionNames: readonly string[];
}

/** Longest wait for the functions' configurations: the check must not hold up the summary. */
const READ_TIMEOUT_MS = 5000;

/**
 * Reads what each function's environment records about its deployment (GetFunctionConfiguration
 * through the AWS SDK, one attempt each), for runs on `aws` or `local`. Never throws: when the
 * functions cannot be read (the emulator stopped, no credentials, a provider plugin) it says why,
 * and the summary checks the profile from the configuration alone.
 */
export async function readDeployedFunctions(
  query: DeployedFunctionsQuery,
): Promise<{ readonly deployed: DeployedFunction[] } | { readonly problem: string }> {
  if (query.provider !== 'aws' && query.provider !== 'local') {
    return { problem: `provider ${query.provider} is not reached through the Lambda API` };
  }
  try {
    const connection = connectionSettings({ ...query, provider: query.provider });
    const { buildLambdaClient, readFunctionState } =
      await importAwsLambdaProviderPackage('mbs logs summarize');
    const client = buildLambdaClient({ ...connection, maxAttempts: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${READ_TIMEOUT_MS / 1000} s`)),
        READ_TIMEOUT_MS,
      );
    });
    try {
      const states = await Promise.race([
        Promise.all(query.functionNames.map((name) => readFunctionState(client, name))),
        timeout,
      ]);
      const missing = query.functionNames.filter((_, index) => states[index] === undefined);
      if (missing.length > 0) return { problem: `not deployed now: ${missing.join(', ')}` };
      return {
        deployed: states.map((state, index) => ({
          functionName: query.functionNames[index]!,
          record: deploymentRecordOf(state?.environment),
        })),
      };
    } finally {
      clearTimeout(timer);
      client.destroy();
    }
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
