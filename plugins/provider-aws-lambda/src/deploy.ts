import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ConfigurationDocument } from '@mbs/core';
import { rejectUnknownOptions } from '@mbs/core';
import { applyFunctionSpec } from './deploy-function.js';
import type { DeploymentPlan, DeploymentSettings, PlannedFunction } from './deployment-plan.js';
import { planDeployment } from './deployment-plan.js';
import { errors } from './errors.js';
import type { FunctionState } from './function-state.js';
import { readFunctionState } from './function-state.js';
import type { AwsClientSettings } from './provider-options.js';
import {
  buildLambdaClient,
  CLIENT_SETTING_KEYS,
  validateClientSettings,
} from './provider-options.js';

/** Options of {@link deploy}. */
export interface DeployOptions extends DeploymentSettings, AwsClientSettings {
  /** A Lambda client to use instead of building one from the settings. */
  readonly client?: LambdaClient;
  /** Execution role ARN; required when a function must be created. */
  readonly roleArn?: string;
  /** Plan only: read what exists, compute the plan, change nothing. */
  readonly dryRun?: boolean;
  /** Longest wait per function for Active / Successful, in milliseconds (default 300000). */
  readonly deploymentWaitMs?: number;
  /** Interval between status polls, in milliseconds (default 1000). */
  readonly deploymentPollMs?: number;
  /** Called after each function is created or updated. */
  readonly onFunctionDeployed?: (planned: PlannedFunction) => void;
}

/** Result of {@link deploy}. */
export interface DeploymentResult {
  readonly plan: DeploymentPlan;
  /** Whether changes were applied (false on a dry run or when nothing differed). */
  readonly applied: boolean;
  /** Names of the functions created or updated. */
  readonly changedFunctions: readonly string[];
}

const DEPLOY_OPTION_KEYS = [
  ...CLIENT_SETTING_KEYS,
  'client',
  'roleArn',
  'dryRun',
  'deploymentWaitMs',
  'deploymentPollMs',
  'onFunctionDeployed',
  'prefix',
  'zipFile',
  'window',
  'functionTimeoutSeconds',
  'profile',
  'timeoutSafetyFactor',
  'minimumFunctionTimeoutSeconds',
  'architecture',
  'handler',
  'runtime',
  'environment',
];

/**
 * Deploys a configuration: one Lambda function per buffer, created or updated to the buffer's
 * memory and a safe timeout, skipping functions already up to date (so a second run with no
 * change does nothing). With `dryRun` it only returns the plan.
 *
 * @example
 * ```ts
 * const { plan, applied } = await deploy(config, { prefix: 'mbs', zipFile, roleArn, dryRun: true });
 * process.stdout.write(formatDeploymentPlan(plan));
 * ```
 */
export async function deploy(
  config: ConfigurationDocument,
  options: DeployOptions,
): Promise<DeploymentResult> {
  rejectUnknownOptions(options, DEPLOY_OPTION_KEYS, errors.prefix('deploy'));
  validateClientSettings(options, 'deploy');
  const client = options.client ?? buildLambdaClient(options);
  try {
    // Planning first names the functions; their current state is then read and the plan redone.
    const names = planDeployment(config, { ...settingsOf(options), existing: {} }).functions.map(
      (planned) => planned.functionName,
    );
    const existing = new Map<string, FunctionState>();
    for (const name of names) {
      const state = await readFunctionState(client, name);
      if (state !== undefined) existing.set(name, state);
    }
    const planned = planDeployment(config, { ...settingsOf(options), existing });
    const plan: DeploymentPlan =
      planned.counts.create > 0 && options.roleArn === undefined
        ? {
            ...planned,
            problems: [
              ...planned.problems,
              'creating functions needs an execution role ARN (roleArn, --role)',
            ],
          }
        : planned;
    if (options.dryRun === true || plan.counts.create + plan.counts.update === 0) {
      return { plan, applied: false, changedFunctions: [] };
    }
    if (plan.problems.length > 0) {
      throw errors.error('OPTION_INVALID', `deploy: ${plan.problems.join('; ')}`, {
        details: { problems: plan.problems },
      });
    }
    const changedFunctions: string[] = [];
    for (const planned of plan.functions) {
      if (planned.action === 'unchanged') continue;
      await applyFunctionSpec(client, planned.spec, existing.get(planned.functionName), {
        waitMs: options.deploymentWaitMs ?? 300_000,
        pollMs: options.deploymentPollMs ?? 1000,
        ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
      });
      changedFunctions.push(planned.functionName);
      options.onFunctionDeployed?.(planned);
    }
    return { plan, applied: true, changedFunctions };
  } finally {
    if (options.client === undefined) client.destroy();
  }
}

function settingsOf(options: DeployOptions): DeploymentSettings {
  const {
    client: _client,
    roleArn: _roleArn,
    dryRun: _dryRun,
    deploymentWaitMs: _wait,
    deploymentPollMs: _poll,
    onFunctionDeployed: _callback,
    region: _region,
    endpoint: _endpoint,
    credentials: _credentials,
    maxAttempts: _maxAttempts,
    retryMode: _retryMode,
    ...settings
  } = options;
  return settings;
}
