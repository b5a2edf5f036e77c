import {
  CreateFunctionCommand,
  type LambdaClient,
  type Runtime,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type { FunctionSpec } from '@mbs/core';
import { DEFAULT_LAMBDA_RUNTIME } from '@mbs/core';
import { errors } from './errors.js';
import type { FunctionState, WaitOptions } from './function-state.js';
import { codeSha256Of, waitForFunctionReady } from './function-state.js';
import { toProviderError } from './lambda-errors.js';

/** Handler entry used when a spec names none. */
export const DEFAULT_HANDLER = 'index.handler';
/** Runtime used when a spec names none (`DEFAULT_LAMBDA_RUNTIME` of `@mbs/core`). */
export const DEFAULT_RUNTIME = DEFAULT_LAMBDA_RUNTIME;

/** What deploying a spec does to a function. */
export type FunctionAction = 'create' | 'update' | 'unchanged';

/** The action and the settings that differ (`memoryMb 1024 -> 2048`, `code`...). */
export interface FunctionChange {
  readonly functionName: string;
  readonly action: FunctionAction;
  readonly changes: readonly string[];
}

function sameEnvironment(
  wanted: Readonly<Record<string, string>>,
  current: Readonly<Record<string, string>> | undefined,
): boolean {
  const currentEntries = Object.entries(current ?? {});
  const wantedEntries = Object.entries(wanted);
  return (
    currentEntries.length === wantedEntries.length &&
    wantedEntries.every(([key, value]) => current?.[key] === value)
  );
}

/**
 * What applying `spec` to a function in state `existing` changes. Settings the spec leaves out
 * (code, handler, runtime, architecture, environment) are not compared, so they never force an
 * update.
 */
export function diffFunction(
  spec: FunctionSpec,
  existing: FunctionState | undefined,
): FunctionChange {
  const functionName = spec.functionName;
  if (existing === undefined) return { functionName, action: 'create', changes: ['new function'] };
  const changes: string[] = [];
  if (existing.memoryMb !== spec.memoryMb)
    changes.push(`memoryMb ${existing.memoryMb} -> ${spec.memoryMb}`);
  if (existing.timeoutSeconds !== spec.timeoutSeconds) {
    changes.push(`timeoutSeconds ${existing.timeoutSeconds} -> ${spec.timeoutSeconds}`);
  }
  if (spec.zipFile !== undefined && codeSha256Of(spec.zipFile) !== existing.codeSha256)
    changes.push('code');
  if (spec.handler !== undefined && spec.handler !== existing.handler) {
    changes.push(`handler ${existing.handler ?? '-'} -> ${spec.handler}`);
  }
  if (spec.runtime !== undefined && spec.runtime !== existing.runtime) {
    changes.push(`runtime ${existing.runtime ?? '-'} -> ${spec.runtime}`);
  }
  if (
    spec.architecture !== undefined &&
    spec.architecture !== (existing.architecture ?? 'x86_64')
  ) {
    changes.push(`architecture ${existing.architecture ?? 'x86_64'} -> ${spec.architecture}`);
  }
  if (spec.environment !== undefined && !sameEnvironment(spec.environment, existing.environment)) {
    changes.push('environment');
  }
  return { functionName, action: changes.length === 0 ? 'unchanged' : 'update', changes };
}

/** Settings of {@link applyFunctionSpec}. */
export interface ApplyOptions extends WaitOptions {
  /** Execution role ARN; required to create a function. */
  readonly roleArn?: string;
}

function environmentOf(spec: FunctionSpec) {
  return spec.environment === undefined
    ? {}
    : { Environment: { Variables: { ...spec.environment } } };
}

async function create(
  client: LambdaClient,
  spec: FunctionSpec,
  options: ApplyOptions,
): Promise<void> {
  const name = spec.functionName;
  if (spec.zipFile === undefined) {
    throw errors.error(
      'OPTION_INVALID',
      `deploy ${name}: the function does not exist, so a zipFile is needed to create it (build one with mbs package)`,
      { details: { functionName: name, option: 'zipFile' } },
    );
  }
  if (options.roleArn === undefined) {
    throw errors.error(
      'OPTION_INVALID',
      `deploy ${name}: creating a function needs an execution role; pass roleArn (an IAM role ARN Lambda can assume)`,
      { details: { functionName: name, option: 'roleArn' } },
    );
  }
  try {
    await client.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: options.roleArn,
        Code: { ZipFile: spec.zipFile },
        Runtime: (spec.runtime ?? DEFAULT_RUNTIME) as Runtime,
        Handler: spec.handler ?? DEFAULT_HANDLER,
        MemorySize: spec.memoryMb,
        Timeout: spec.timeoutSeconds,
        ...(spec.architecture === undefined ? {} : { Architectures: [spec.architecture] }),
        ...environmentOf(spec),
      }),
    );
  } catch (error) {
    throw toProviderError(error, name, 'CreateFunction');
  }
}

async function update(
  client: LambdaClient,
  spec: FunctionSpec,
  change: FunctionChange,
  options: ApplyOptions,
): Promise<void> {
  const name = spec.functionName;
  // A previous change may still be in progress; Lambda refuses updates until it settles.
  await waitForFunctionReady(client, name, options);
  const codeChanged = change.changes.some(
    (text) => text === 'code' || text.startsWith('architecture'),
  );
  if (codeChanged) {
    if (spec.zipFile === undefined) {
      throw errors.error(
        'OPTION_INVALID',
        `deploy ${name}: changing the architecture needs the zipFile as well`,
        { details: { functionName: name, option: 'zipFile' } },
      );
    }
    try {
      await client.send(
        new UpdateFunctionCodeCommand({
          FunctionName: name,
          ZipFile: spec.zipFile,
          ...(spec.architecture === undefined ? {} : { Architectures: [spec.architecture] }),
        }),
      );
    } catch (error) {
      throw toProviderError(error, name, 'UpdateFunctionCode');
    }
    await waitForFunctionReady(client, name, options);
  }
  if (change.changes.some((text) => text !== 'code' && !text.startsWith('architecture'))) {
    try {
      await client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: name,
          MemorySize: spec.memoryMb,
          Timeout: spec.timeoutSeconds,
          ...(spec.handler === undefined ? {} : { Handler: spec.handler }),
          ...(spec.runtime === undefined ? {} : { Runtime: spec.runtime as Runtime }),
          ...environmentOf(spec),
        }),
      );
    } catch (error) {
      throw toProviderError(error, name, 'UpdateFunctionConfiguration');
    }
  }
}

/**
 * Brings a function to `spec`: CreateFunction when it does not exist, otherwise
 * UpdateFunctionCode and/or UpdateFunctionConfiguration for what differs, then waits (bounded)
 * until it is Active with its last update Successful. Does nothing when nothing differs.
 */
export async function applyFunctionSpec(
  client: LambdaClient,
  spec: FunctionSpec,
  existing: FunctionState | undefined,
  options: ApplyOptions,
): Promise<FunctionChange> {
  const change = diffFunction(spec, existing);
  if (change.action === 'unchanged') return change;
  if (change.action === 'create') await create(client, spec, options);
  else await update(client, spec, change, options);
  await waitForFunctionReady(client, spec.functionName, options);
  return change;
}
