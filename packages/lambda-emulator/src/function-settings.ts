import type { Architecture } from '@mbs/core';
import { isLambdaRuntime } from '@mbs/core';
import { invalidParameterValue } from './lambda-errors.js';
import {
  MAXIMUM_MEMORY_MB,
  MAXIMUM_TIMEOUT_SECONDS,
  MINIMUM_MEMORY_MB,
  MINIMUM_TIMEOUT_SECONDS,
  SUPPORTED_RUNTIMES,
} from './limits.js';

/** A function's configuration, in the emulator's terms. */
export interface FunctionSettings {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Handler setting, e.g. `index.handler`. */
  readonly handler: string;
  readonly runtime: string;
  readonly role: string;
  readonly description: string;
  readonly architecture: Architecture;
  readonly environment: Readonly<Record<string, string>>;
}

/** Environment variables Lambda sets itself and refuses from users. */
const RESERVED_ENVIRONMENT_KEYS = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

function constraint(value: unknown, field: string, rule: string): never {
  throw invalidParameterValue(
    `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: ${rule}`,
  );
}

/** Checks an integer setting against Lambda's bounds, failing with Lambda's own wording. */
function checkIntegerSetting(
  value: unknown,
  field: string,
  minimum: number,
  maximum: number,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value))
    constraint(value, field, 'Member must be an integer');
  if (value < minimum) {
    constraint(value, field, `Member must have value greater than or equal to ${minimum}`);
  }
  if (value > maximum) {
    constraint(value, field, `Member must have value less than or equal to ${maximum}`);
  }
  return value;
}

/** Checks a memory size as Lambda does (integer MB in 128..10,240). */
export function checkMemoryMb(value: unknown): number {
  return checkIntegerSetting(value, 'memorySize', MINIMUM_MEMORY_MB, MAXIMUM_MEMORY_MB);
}

/** Checks a timeout as Lambda does (integer seconds in 1..900). */
export function checkTimeoutSeconds(value: unknown): number {
  return checkIntegerSetting(value, 'timeout', MINIMUM_TIMEOUT_SECONDS, MAXIMUM_TIMEOUT_SECONDS);
}

/** Checks a runtime is one the emulator runs: the Node.js runtimes of `LAMBDA_RUNTIMES`. */
export function checkRuntime(value: unknown): string {
  if (!isLambdaRuntime(value)) {
    throw invalidParameterValue(
      `The runtime parameter of ${String(value)} is not supported by the emulator; it runs ${SUPPORTED_RUNTIMES.join(', ')}`,
    );
  }
  return value;
}

/**
 * Checks a Handler setting (`<module path>.<export>`). The module path must stay inside the
 * function's package: no absolute path, no `..` segment, no backslash.
 */
export function checkHandler(value: unknown): string {
  if (typeof value !== 'string' || !/^[^\s]{1,128}$/.test(value) || !/\.[^./]+$/.test(value)) {
    constraint(
      value,
      'handler',
      'Member must satisfy regular expression pattern: [^\\s]+ of the form <module>.<function>',
    );
  }
  const modulePath = value.slice(0, value.indexOf('.', value.lastIndexOf('/') + 1));
  if (
    modulePath.startsWith('/') ||
    modulePath.includes('\\') ||
    modulePath.split('/').includes('..')
  ) {
    throw invalidParameterValue(
      `Handler ${JSON.stringify(value)} leaves the function's package: the module path must be relative, inside the package, without '..'`,
    );
  }
  return value;
}

/** Checks an architecture (`x86_64` or `arm64`). */
export function checkArchitecture(value: unknown): Architecture {
  if (value !== 'x86_64' && value !== 'arm64') {
    constraint(value, 'architectures', 'Member must satisfy enum value set: [x86_64, arm64]');
  }
  return value;
}

/** Checks environment variables: string values, no keys Lambda reserves. */
export function checkEnvironment(value: unknown): Readonly<Record<string, string>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameterValue('Environment.Variables must be a map of strings');
  }
  const entries = Object.entries(value as Record<string, unknown>);
  for (const [key, entry] of entries) {
    if (!/^[a-zA-Z]\w*$/.test(key) || typeof entry !== 'string') {
      throw invalidParameterValue(
        `Environment variable ${JSON.stringify(key)} needs a name of letters, digits and _ and a string value`,
      );
    }
  }
  const reserved = entries
    .map(([key]) => key)
    .filter((key) => RESERVED_ENVIRONMENT_KEYS.includes(key));
  if (reserved.length > 0) {
    throw invalidParameterValue(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  return value as Record<string, string>;
}
