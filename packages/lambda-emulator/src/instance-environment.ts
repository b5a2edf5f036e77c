import { EMULATOR_CORES_VARIABLE } from '@mbs/core';
import type { FunctionState } from './emulator-state.js';
import { logGroupName } from './log-format.js';

/** Where an instance runs: what its environment names besides the function's settings. */
export interface InstancePlace {
  readonly region: string;
  readonly logStreamName: string;
  /** The unzipped package (LAMBDA_TASK_ROOT, the working directory). */
  readonly taskRoot: string;
  /** The instance's own writable directory, Lambda's /tmp: HOME and TMPDIR point here. */
  readonly sandbox: string;
  /**
   * Cores of this machine an instance's Duration is scaled from (the CPU scaling's reference
   * vCPUs), or undefined when durations are not scaled: set as {@link EMULATOR_CORES_VARIABLE}.
   */
  readonly cores?: number;
}

/**
 * The environment variables of an instance, as Lambda's Node.js runtime sets them, with the
 * function's own variables last. HOME and the temporary directory are the instance's sandbox,
 * so that what a function's libraries write there (caches, debug logs) goes with the instance
 * instead of landing in the developer's home or /tmp.
 */
export function instanceEnvironment(
  state: FunctionState,
  place: InstancePlace,
): Record<string, string> {
  const { settings } = state;
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    HOME: place.sandbox,
    TMPDIR: place.sandbox,
    TMP: place.sandbox,
    TEMP: place.sandbox,
    _HANDLER: settings.handler,
    AWS_REGION: place.region,
    AWS_DEFAULT_REGION: place.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${settings.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: state.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(state.name),
    AWS_LAMBDA_LOG_STREAM_NAME: place.logStreamName,
    LAMBDA_TASK_ROOT: place.taskRoot,
    ...(place.cores === undefined ? {} : { [EMULATOR_CORES_VARIABLE]: String(place.cores) }),
    ...settings.environment,
  };
}
