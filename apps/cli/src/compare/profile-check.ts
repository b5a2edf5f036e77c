import type { ConfigurationDocument } from '@mbs/core';
import type { DeploymentRecord } from './deployment-record.js';

/** A deployed function and what its environment records (see `deploymentEnvironment`). */
export interface DeployedFunction {
  readonly functionName: string;
  readonly record: DeploymentRecord;
}

/** What {@link checkPredictionProfile} compares. */
export interface ProfileCheckInput {
  readonly config: Pick<ConfigurationDocument, 'profile' | 'profileSource'>;
  /** The provider the run used (`local`, `aws`, or a plugin's name), when known. */
  readonly provider?: string;
  /** The endpoint the run used (the emulator's URL), for the command printed. */
  readonly endpoint?: string;
  /** The run's functions as deployed now, when they could be read. */
  readonly deployed?: readonly DeployedFunction[];
}

/** The verdict on the profile a prediction used. */
export interface ProfileCheck {
  /** Whether the profile was measured on the provider, for the package the functions run. */
  readonly matches: boolean;
  /** One line for the summary: what the profile is, and why it does or does not match. */
  readonly message: string;
  /** The commands that make the comparison meaningful, when it does not match. */
  readonly fix?: string;
}

function fixCommand(input: ProfileCheckInput): string {
  const provider = input.provider ?? 'aws';
  const endpoint = input.endpoint === undefined ? '' : ` --endpoint ${input.endpoint}`;
  return `mbs profile --zip mbs-lambda.zip --provider ${provider}${endpoint} --out measured.json, then mbs solve --profile measured.json (with the same workload options) --out config.json, and deploy and run it again`;
}

/**
 * Whether the profile a configuration was solved with is the measured service time of the
 * functions that served the run: a profile file marked by `mbs profile` (its `measured` source),
 * on the run's provider, for the package the functions run (their `MBS_DEPLOYED_PACKAGE`). When it
 * is not, the prediction assumed other service times than the run had, and the check says which
 * commands measure the deployed function and solve with it.
 *
 * @example
 * ```ts
 * const check = checkPredictionProfile({ config, provider: 'local' });
 * if (!check.matches) console.log(`warning: ${check.message}; fix: ${check.fix}`);
 * ```
 */
export function checkPredictionProfile(input: ProfileCheckInput): ProfileCheck {
  const { config } = input;
  const name = config.profile ?? 'parametric';
  const source = config.profileSource;
  const measured = source?.kind === 'file' ? source.measured : undefined;
  const mismatch = (message: string): ProfileCheck => ({
    matches: false,
    message,
    fix: fixCommand(input),
  });
  if (measured === undefined) {
    return mismatch(
      `the prediction used the profile "${name}", which was not measured on the deployed function: the model assumed its service times, so the errors below also measure that assumption`,
    );
  }
  if (input.provider !== undefined && measured.provider !== input.provider) {
    return mismatch(
      `the prediction used the profile "${name}", measured on provider ${measured.provider}, but the run used ${input.provider}`,
    );
  }
  const packages = new Set(
    (input.deployed ?? []).flatMap(({ record }) =>
      record.package === undefined ? [] : [record.package],
    ),
  );
  const other = [...packages].find((code) => code !== measured.code);
  if (measured.code !== undefined && other !== undefined) {
    return mismatch(
      `the prediction used the profile "${name}", measured on ${measured.code.slice(0, 19)}..., but the functions run the package ${other.slice(0, 19)}...`,
    );
  }
  const what = measured.model === undefined ? '' : ` (model ${measured.model})`;
  const checked =
    packages.size > 0
      ? ', the package the functions run'
      : measured.code?.startsWith('function:')
        ? ` (${measured.code})`
        : '; the deployed package could not be checked';
  return {
    matches: true,
    message: `profile "${name}" measured on ${measured.provider}${what}${checked}`,
  };
}
