import { randomUUID } from 'node:crypto';
import { DEFAULT_LAMBDA_RUNTIME } from '@mbs/core';
import {
  assertOpen,
  type EmulatorState,
  type FunctionState,
  lookupFunction,
} from './emulator-state.js';
import { type FunctionCode, storeCode } from './function-code.js';
import { configurationOf, type LambdaFunctionConfiguration } from './function-configuration.js';
import { functionArn, parseFunctionReference } from './function-name.js';
import {
  checkArchitecture,
  checkEnvironment,
  checkHandler,
  checkMemoryMb,
  checkRuntime,
  checkTimeoutSeconds,
  type FunctionSettings,
} from './function-settings.js';
import { retireIdleInstances } from './instance-pool.js';
import { awsError, invalidParameterValue } from './lambda-errors.js';
import { DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_SECONDS } from './limits.js';

/**
 * What a function is created with (the emulator's terms; the HTTP API maps Lambda's onto it).
 * Defaults: 128 MB, 3 s, handler `index.handler` and runtime `nodejs22.x` (`DEFAULT_LAMBDA_RUNTIME`; a zip must name both),
 * the emulator's role, no description, x86_64, no environment.
 */
export interface CreateFunctionInput extends Partial<FunctionSettings> {
  readonly functionName: string;
  readonly code: FunctionCode;
}

/**
 * Changes to a function's configuration (UpdateFunctionConfiguration); the architecture changes
 * with the code only, as on Lambda.
 */
export interface FunctionConfigurationChanges
  extends Partial<Omit<FunctionSettings, 'architecture'>> {
  /** Only apply when the function's RevisionId is this one (else 412). */
  readonly revisionId?: string;
}

function lastModifiedNow(): string {
  return new Date().toISOString().replace('Z', '+0000');
}

/** Marks a change: a new revision, so warm instances of the old one are retired. */
function touch(emulator: EmulatorState, state: FunctionState): void {
  state.revision += 1;
  state.revisionId = randomUUID();
  state.lastModified = lastModifiedNow();
  retireIdleInstances(emulator, state);
}

function checkRevision(state: FunctionState, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== state.revisionId) {
    throw awsError({
      statusCode: 412,
      errorType: 'PreconditionFailedException',
      awsMessage:
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
      retryable: false,
    });
  }
}

/** CreateFunction: checks the settings as Lambda does, stores the code, answers the configuration. */
export function createFunction(
  emulator: EmulatorState,
  input: CreateFunctionInput,
): LambdaFunctionConfiguration {
  assertOpen(emulator);
  const { functions, options } = emulator;
  const { region, accountId } = options;
  const parsed = parseFunctionReference(input.functionName);
  if (functions.has(parsed.name)) {
    throw awsError({
      statusCode: 409,
      errorType: 'ResourceConflictException',
      awsMessage: `Function already exist: ${parsed.name}`,
      retryable: false,
    });
  }
  const isZip = 'zipFile' in input.code;
  if (isZip && (input.runtime === undefined || input.handler === undefined)) {
    throw invalidParameterValue(
      'Runtime and Handler are mandatory parameters for functions created with deployment packages.',
    );
  }
  const settings: FunctionSettings = {
    memoryMb: checkMemoryMb(input.memoryMb ?? DEFAULT_MEMORY_MB),
    timeoutSeconds: checkTimeoutSeconds(input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS),
    handler: checkHandler(input.handler ?? 'index.handler'),
    runtime: checkRuntime(input.runtime ?? DEFAULT_LAMBDA_RUNTIME),
    role: input.role ?? `arn:aws:iam::${accountId}:role/mbs-emulator`,
    description: input.description ?? '',
    architecture: checkArchitecture(input.architecture ?? 'x86_64'),
    environment: checkEnvironment(input.environment ?? {}),
  };
  const code = storeCode(emulator.root, input.code);
  const state: FunctionState = {
    name: parsed.name,
    arn: functionArn(region, accountId, parsed.name),
    settings,
    code,
    revision: 0,
    revisionId: randomUUID(),
    lastModified: lastModifiedNow(),
    reservedConcurrency: undefined,
    inflight: 0,
    deleted: false,
    idle: [],
    live: new Set(),
    starting: 0,
  };
  functions.set(parsed.name, state);
  return configurationOf(state);
}

/** UpdateFunctionCode: replaces the code (if `revisionId` still matches); new instances run it. */
export function updateFunctionCode(
  emulator: EmulatorState,
  reference: string,
  code: FunctionCode,
  revisionId?: string,
): LambdaFunctionConfiguration {
  const state = lookupFunction(emulator, reference);
  checkRevision(state, revisionId);
  state.code = storeCode(emulator.root, code);
  touch(emulator, state);
  return configurationOf(state);
}

/** UpdateFunctionConfiguration: applies the changes given, checked as at creation. */
export function updateFunctionConfiguration(
  emulator: EmulatorState,
  reference: string,
  changes: FunctionConfigurationChanges,
): LambdaFunctionConfiguration {
  const state = lookupFunction(emulator, reference);
  checkRevision(state, changes.revisionId);
  const current = state.settings;
  state.settings = {
    memoryMb: changes.memoryMb === undefined ? current.memoryMb : checkMemoryMb(changes.memoryMb),
    timeoutSeconds:
      changes.timeoutSeconds === undefined
        ? current.timeoutSeconds
        : checkTimeoutSeconds(changes.timeoutSeconds),
    handler: changes.handler === undefined ? current.handler : checkHandler(changes.handler),
    runtime: changes.runtime === undefined ? current.runtime : checkRuntime(changes.runtime),
    role: changes.role ?? current.role,
    description: changes.description ?? current.description,
    architecture: current.architecture,
    environment:
      changes.environment === undefined
        ? current.environment
        : checkEnvironment(changes.environment),
  };
  touch(emulator, state);
  return configurationOf(state);
}

/** DeleteFunction: removes the function; busy instances finish, then are killed on release. */
export function deleteFunction(
  emulator: EmulatorState,
  reference: string,
  qualifier?: string,
): void {
  const state = lookupFunction(emulator, reference, qualifier);
  state.deleted = true;
  emulator.functions.delete(state.name);
  retireIdleInstances(emulator, state);
}
