import type {
  Architecture,
  BufferConfiguration,
  ConfigurationDocument,
  FunctionSpec,
  ServiceTimeProfile,
} from '@mbs/core';
import {
  bufferLimitProblems,
  defaultFunctionName as coreDefaultFunctionName,
  functionNamesByWindow,
  isFunctionNamePrefix,
  isLambdaRuntime,
  LAMBDA_RUNTIMES,
  type MbsError,
} from '@mbs/core';
import type { FunctionAction } from './deploy-function.js';
import { diffFunction } from './deploy-function.js';
import { errors } from './errors.js';
import type { FunctionState } from './function-state.js';

/** Lambda's largest function timeout in seconds. */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 900;
/** Function timeout used when neither a fixed timeout nor a profile is given. */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 60;

/** How function timeouts are chosen and what functions are deployed with. */
export interface DeploymentSettings {
  /** Function name prefix; functions are `<prefix>-b<buffer>` (or `<prefix>-w<window>-b<buffer>`). */
  readonly prefix: string;
  /** The deployment package, compared by SHA-256 with what is deployed. */
  readonly zipFile?: Uint8Array;
  /** Only this window of the configuration (index); all windows by default. */
  readonly window?: number;
  /** A fixed function timeout in seconds for every function (overrides the profile). */
  readonly functionTimeoutSeconds?: number;
  /** Profile of batch service times: timeout = factor x service time of a full, largest batch. */
  readonly profile?: ServiceTimeProfile;
  /** Safety factor over the profile's service time, default 3. */
  readonly timeoutSafetyFactor?: number;
  /** Smallest timeout chosen from a profile in seconds, default 10. */
  readonly minimumFunctionTimeoutSeconds?: number;
  /** Architecture; by default arm64 when the configuration was priced with `aws-arm64`. */
  readonly architecture?: Architecture;
  readonly handler?: string;
  /** Lambda runtime of the functions, one of `LAMBDA_RUNTIMES` of `@mbs/core`; default nodejs22.x. */
  readonly runtime?: string;
  readonly environment?: Readonly<Record<string, string>>;
}

/** Options of {@link planDeployment}. */
export interface PlanDeploymentOptions extends DeploymentSettings {
  /** The functions that exist now, by name (absent = does not exist). */
  readonly existing: Readonly<Record<string, FunctionState>> | ReadonlyMap<string, FunctionState>;
}

/** One function of a deployment plan. */
export interface PlannedFunction {
  readonly functionName: string;
  /** The (window, buffer) pairs served by this function. */
  readonly buffers: readonly { readonly window: number; readonly buffer: number }[];
  readonly spec: FunctionSpec;
  readonly action: FunctionAction;
  readonly changes: readonly string[];
  /** Where the timeout came from: `fixed`, `profile` or `default`. */
  readonly timeoutSource: 'fixed' | 'profile' | 'default';
}

/** What a deployment would do, function by function. */
export interface DeploymentPlan {
  readonly functions: readonly PlannedFunction[];
  readonly counts: { readonly create: number; readonly update: number; readonly unchanged: number };
  /** Why the plan cannot be applied as is (e.g. a create without a zip); empty when it can. */
  readonly problems: readonly string[];
  /** Notes that do not block the plan (e.g. a timeout capped at 900 s). */
  readonly warnings: readonly string[];
}

const FUNCTION_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The default function name of a buffer: `<prefix>-b<buffer>`, or `<prefix>-w<window>-b<buffer>`.
 *
 * @deprecated Import `defaultFunctionName` from `@mbs/core`, the one home of the naming rule.
 */
export const defaultFunctionName = coreDefaultFunctionName;

function invalid(message: string, details: Record<string, unknown> = {}): MbsError {
  return errors.error('OPTION_INVALID', `planDeployment: ${message}`, {
    details,
  });
}

/** Checks a timeout setting is a whole number of seconds Lambda accepts (1..900). */
function checkFunctionTimeout(
  settings: DeploymentSettings,
  option: 'functionTimeoutSeconds' | 'minimumFunctionTimeoutSeconds',
): void {
  const value = settings[option];
  if (
    value !== undefined &&
    !(Number.isInteger(value) && value >= 1 && value <= MAX_FUNCTION_TIMEOUT_SECONDS)
  ) {
    throw invalid(`${option} must be an integer in [1, 900]; got ${value}`, { option });
  }
}

function validateSettings(config: ConfigurationDocument, settings: DeploymentSettings): void {
  if (settings.runtime !== undefined && !isLambdaRuntime(settings.runtime)) {
    throw invalid(
      `runtime must be one of ${LAMBDA_RUNTIMES.join(', ')}; got ${JSON.stringify(settings.runtime)}`,
      { option: 'runtime' },
    );
  }
  if (!isFunctionNamePrefix(settings.prefix)) {
    throw invalid(
      `prefix must be 1..40 letters, digits, "-" or "_"; got ${JSON.stringify(settings.prefix)}`,
      {
        option: 'prefix',
      },
    );
  }
  if (
    settings.window !== undefined &&
    (!Number.isInteger(settings.window) ||
      settings.window < 0 ||
      settings.window >= config.windows.length)
  ) {
    throw invalid(
      `window must be an index in 0..${config.windows.length - 1}; got ${settings.window}`,
      {
        option: 'window',
      },
    );
  }
  checkFunctionTimeout(settings, 'functionTimeoutSeconds');
  const factor = settings.timeoutSafetyFactor;
  if (factor !== undefined && !(Number.isFinite(factor) && factor >= 1)) {
    throw invalid(`timeoutSafetyFactor must be a number >= 1; got ${factor}`, {
      option: 'timeoutSafetyFactor',
    });
  }
  checkFunctionTimeout(settings, 'minimumFunctionTimeoutSeconds');
}

/**
 * Checks every buffer of every window (not only the window deployed) against Lambda's limits,
 * and reports all that are out at once: a deployment must fail before its first SDK call, not
 * after creating the functions of the buffers before the bad one.
 */
function checkBufferLimits(config: ConfigurationDocument): void {
  const problems: string[] = [];
  config.windows.forEach((window, windowIndex) => {
    window.system.buffers.forEach((buffer, bufferIndex) => {
      for (const { field, value, problem } of bufferLimitProblems(buffer)) {
        problems.push(
          `windows[${windowIndex}].system.buffers[${bufferIndex}].${field} ${value} ${problem}`,
        );
      }
    });
  });
  if (problems.length > 0) {
    throw errors.error(
      'CONFIG_INVALID',
      `the configuration cannot be deployed (nothing was changed): ${problems.join('; ')}`,
      { details: { problems } },
    );
  }
}

function timeoutOf(
  buffer: BufferConfiguration,
  settings: DeploymentSettings,
  warnings: string[],
  functionName: string,
): { timeoutSeconds: number; timeoutSource: PlannedFunction['timeoutSource'] } {
  if (settings.functionTimeoutSeconds !== undefined) {
    return { timeoutSeconds: settings.functionTimeoutSeconds, timeoutSource: 'fixed' };
  }
  if (settings.profile === undefined) {
    return { timeoutSeconds: DEFAULT_FUNCTION_TIMEOUT_SECONDS, timeoutSource: 'default' };
  }
  // A full batch of the buffer's largest class is the longest batch the buffer can send.
  const serviceSeconds = settings.profile.serviceTimeSeconds(
    buffer.memoryMb,
    buffer.lastClass,
    buffer.batchSize,
  );
  const wanted = Math.ceil(
    Math.max(
      settings.minimumFunctionTimeoutSeconds ?? 10,
      (settings.timeoutSafetyFactor ?? 3) * serviceSeconds,
    ),
  );
  if (wanted > MAX_FUNCTION_TIMEOUT_SECONDS) {
    warnings.push(
      `${functionName}: timeout ${wanted} s (${settings.timeoutSafetyFactor ?? 3} x ${serviceSeconds.toFixed(1)} s) capped at Lambda's ${MAX_FUNCTION_TIMEOUT_SECONDS} s`,
    );
  }
  return {
    timeoutSeconds: Math.min(wanted, MAX_FUNCTION_TIMEOUT_SECONDS),
    timeoutSource: 'profile',
  };
}

function existingOf(
  options: PlanDeploymentOptions,
  functionName: string,
): FunctionState | undefined {
  const existing = options.existing;
  return existing instanceof Map
    ? existing.get(functionName)
    : (existing as Readonly<Record<string, FunctionState>>)[functionName];
}

/**
 * Plans the deployment of a configuration: one function per buffer with the buffer's memory
 * and a timeout safely above its batch service time, compared with the functions that exist,
 * giving create / update (with what changes) / unchanged per function.
 *
 * @example
 * ```ts
 * const plan = planDeployment(config, { prefix: 'mbs', existing: {} });
 * console.log(formatDeploymentPlan(plan));
 * ```
 */
export function planDeployment(
  config: ConfigurationDocument,
  options: PlanDeploymentOptions,
): DeploymentPlan {
  validateSettings(config, options);
  checkBufferLimits(config);
  const architecture =
    options.architecture ?? (config.pricing === 'aws-arm64' ? 'arm64' : undefined);
  const warnings: string[] = [];
  const byName = new Map<
    string,
    Omit<PlannedFunction, 'action' | 'changes'> & { buffers: { window: number; buffer: number }[] }
  >();
  const windows =
    options.window === undefined ? config.windows.map((_, index) => index) : [options.window];
  // The names `mbs run` and the batcher invoke: with --window too, a window of a several-window
  // configuration keeps its `-w<window>` names.
  const names = functionNamesByWindow(config, options.prefix);
  for (const windowIndex of windows) {
    const window = config.windows[windowIndex]!;
    window.system.buffers.forEach((buffer, bufferIndex) => {
      const functionName = names[windowIndex]![bufferIndex]!;
      if (!FUNCTION_NAME.test(functionName)) {
        throw errors.error(
          'CONFIG_INVALID',
          `windows[${windowIndex}].system.buffers[${bufferIndex}].functionName "${functionName}" is not a Lambda function name (1..64 letters, digits, "-", "_")`,
          { details: { functionName, window: windowIndex, buffer: bufferIndex } },
        );
      }
      const { timeoutSeconds, timeoutSource } = timeoutOf(buffer, options, warnings, functionName);
      const spec: FunctionSpec = {
        functionName,
        memoryMb: buffer.memoryMb,
        timeoutSeconds,
        ...(options.zipFile === undefined ? {} : { zipFile: options.zipFile }),
        ...(options.handler === undefined ? {} : { handler: options.handler }),
        ...(options.runtime === undefined ? {} : { runtime: options.runtime }),
        ...(architecture === undefined ? {} : { architecture }),
        ...(options.environment === undefined ? {} : { environment: options.environment }),
      };
      const previous = byName.get(functionName);
      if (previous === undefined) {
        byName.set(functionName, {
          functionName,
          buffers: [{ window: windowIndex, buffer: bufferIndex }],
          spec,
          timeoutSource,
        });
        return;
      }
      if (
        previous.spec.memoryMb !== spec.memoryMb ||
        previous.spec.timeoutSeconds !== spec.timeoutSeconds
      ) {
        throw errors.error(
          'CONFIG_INVALID',
          `function "${functionName}" is named by buffers with different settings (${previous.spec.memoryMb} MB / ${previous.spec.timeoutSeconds} s vs ${spec.memoryMb} MB / ${spec.timeoutSeconds} s); give each buffer its own functionName`,
          { details: { functionName } },
        );
      }
      previous.buffers.push({ window: windowIndex, buffer: bufferIndex });
    });
  }
  const functions: PlannedFunction[] = [...byName.values()].map((planned) => {
    const change = diffFunction(planned.spec, existingOf(options, planned.functionName));
    return { ...planned, action: change.action, changes: change.changes };
  });
  const problems: string[] = [];
  const creates = functions.filter((planned) => planned.action === 'create');
  if (creates.length > 0 && options.zipFile === undefined) {
    problems.push(
      `${creates.map((planned) => planned.functionName).join(', ')} must be created, which needs a deployment zip (mbs package)`,
    );
  }
  return {
    functions,
    counts: {
      create: creates.length,
      update: functions.filter((planned) => planned.action === 'update').length,
      unchanged: functions.filter((planned) => planned.action === 'unchanged').length,
    },
    problems,
    warnings,
  };
}

/** The plan as text: one line per function, then a summary (or "nothing to do"). */
export function formatDeploymentPlan(plan: DeploymentPlan): string {
  const nameWidth = Math.max(8, ...plan.functions.map((planned) => planned.functionName.length));
  const lines = plan.functions.map((planned) => {
    const settings = `${planned.spec.memoryMb} MB, timeout ${planned.spec.timeoutSeconds} s (${planned.timeoutSource})`;
    const detail = planned.action === 'unchanged' ? '' : `: ${planned.changes.join(', ')}`;
    return `${planned.action.padEnd(9)}  ${planned.functionName.padEnd(nameWidth)}  ${settings}${detail}`;
  });
  const { create, update, unchanged } = plan.counts;
  lines.push(
    create + update === 0
      ? `Nothing to do: all ${unchanged} function(s) are up to date.`
      : `${plan.functions.length} function(s): ${create} to create, ${update} to update, ${unchanged} unchanged.`,
  );
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  for (const problem of plan.problems) lines.push(`problem: ${problem}`);
  return `${lines.join('\n')}\n`;
}
