import type { FunctionState } from './emulator-state.js';
import { logGroupName } from './log-format.js';

/**
 * The environment variables of an instance, as Lambda's Node.js runtime sets them, with the
 * function's own variables last.
 */
export function instanceEnvironment(
  state: FunctionState,
  region: string,
  logStreamName: string,
  directory: string,
): Record<string, string> {
  const { settings } = state;
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    _HANDLER: settings.handler,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${settings.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: state.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(settings.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: logGroupName(state.name),
    AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
    LAMBDA_TASK_ROOT: directory,
    ...settings.environment,
  };
}
