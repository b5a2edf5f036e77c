import { createHash } from 'node:crypto';
import {
  type FunctionConfiguration,
  GetFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type { Architecture } from '@mbs/core';
import { errors } from './errors.js';
import { isResourceNotFound, toProviderError } from './lambda-errors.js';

/** What a deployed function is configured with, as GetFunctionConfiguration reports it. */
export interface FunctionState {
  readonly functionName: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Base64 SHA-256 of the deployment zip, as Lambda reports CodeSha256. */
  readonly codeSha256?: string;
  readonly handler?: string;
  readonly runtime?: string;
  readonly architecture?: Architecture;
  readonly environment?: Readonly<Record<string, string>>;
  /** `Pending`, `Active`, `Inactive` or `Failed`. */
  readonly state?: string;
  /** `InProgress`, `Successful` or `Failed`. */
  readonly lastUpdateStatus?: string;
  readonly stateReason?: string;
}

/** Lambda's CodeSha256 of a zip: base64 of its SHA-256. */
export function codeSha256Of(zipFile: Uint8Array): string {
  return createHash('sha256').update(zipFile).digest('base64');
}

/** A FunctionState from the SDK's FunctionConfiguration. */
export function functionStateOf(
  functionName: string,
  configuration: FunctionConfiguration,
): FunctionState {
  const architecture = configuration.Architectures?.[0];
  const variables = configuration.Environment?.Variables;
  const reason = configuration.LastUpdateStatusReason ?? configuration.StateReason;
  return {
    functionName: configuration.FunctionName ?? functionName,
    memoryMb: configuration.MemorySize ?? 128,
    timeoutSeconds: configuration.Timeout ?? 3,
    ...(configuration.CodeSha256 === undefined ? {} : { codeSha256: configuration.CodeSha256 }),
    ...(configuration.Handler === undefined ? {} : { handler: configuration.Handler }),
    ...(configuration.Runtime === undefined ? {} : { runtime: configuration.Runtime }),
    ...(architecture === undefined ? {} : { architecture }),
    ...(variables === undefined ? {} : { environment: variables }),
    ...(configuration.State === undefined ? {} : { state: configuration.State }),
    ...(configuration.LastUpdateStatus === undefined
      ? {}
      : { lastUpdateStatus: configuration.LastUpdateStatus }),
    ...(reason === undefined ? {} : { stateReason: reason }),
  };
}

/** The function's current configuration, or undefined when it does not exist. */
export async function readFunctionState(
  client: LambdaClient,
  functionName: string,
): Promise<FunctionState | undefined> {
  try {
    const output = await client.send(
      new GetFunctionConfigurationCommand({ FunctionName: functionName }),
    );
    return functionStateOf(functionName, output);
  } catch (error) {
    if (isResourceNotFound(error)) return undefined;
    throw toProviderError(error, functionName, 'GetFunctionConfiguration');
  }
}

/** Bounds of {@link waitForFunctionReady}. */
export interface WaitOptions {
  /** Longest wait in milliseconds. */
  readonly waitMs: number;
  /** Interval between polls in milliseconds. */
  readonly pollMs: number;
}

/**
 * Polls GetFunctionConfiguration until the function is Active with its last update Successful;
 * throws PROVIDER_ERROR when it is Failed or the bounded wait runs out.
 */
export async function waitForFunctionReady(
  client: LambdaClient,
  functionName: string,
  options: WaitOptions,
): Promise<FunctionState> {
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    const state = await readFunctionState(client, functionName);
    if (state === undefined) {
      throw errors.error(
        'PROVIDER_ERROR',
        `${functionName}: disappeared while waiting for it to become Active`,
        { details: { functionName, retryable: false } },
      );
    }
    if (state.state === 'Failed' || state.lastUpdateStatus === 'Failed') {
      throw errors.error(
        'PROVIDER_ERROR',
        `${functionName}: deployment failed (${state.stateReason ?? 'no reason given'}); fix the package or settings and deploy again`,
        {
          details: {
            functionName,
            retryable: false,
            state: state.state,
            lastUpdateStatus: state.lastUpdateStatus,
          },
        },
      );
    }
    const active = state.state === undefined || state.state === 'Active';
    const updated = state.lastUpdateStatus === undefined || state.lastUpdateStatus === 'Successful';
    if (active && updated) return state;
    if (Date.now() >= deadline) {
      throw errors.error(
        'PROVIDER_ERROR',
        `${functionName}: still ${state.state}/${state.lastUpdateStatus} after ${options.waitMs} ms; raise deploymentWaitMs or check the function in the console`,
        {
          details: {
            functionName,
            retryable: true,
            state: state.state,
            lastUpdateStatus: state.lastUpdateStatus,
          },
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}
