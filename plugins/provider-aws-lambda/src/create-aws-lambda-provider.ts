import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import {
  InvokeCommand,
  type InvokeCommandOutput,
  type LambdaClient,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type {
  BatchEvent,
  DeployingProvider,
  FunctionSpec,
  InvocationRecord,
  InvocationResult,
  InvokeOptions,
  LogQuery,
} from '@mbs/core';
import { SPECIFICATION_VERSION } from '@mbs/core';
import { collectInvocationRecords } from '@mbs/logs';
import type { FunctionChange } from './deploy-function.js';
import { applyFunctionSpec } from './deploy-function.js';
import { errors } from './errors.js';
import type { FunctionState } from './function-state.js';
import { readFunctionState, waitForFunctionReady } from './function-state.js';
import { invocationResultOf } from './invocation-response.js';
import { toProviderError } from './lambda-errors.js';
import type { AwsLambdaProviderOptions } from './provider-options.js';
import {
  buildLambdaClient,
  clientConfiguration,
  validateProviderOptions,
} from './provider-options.js';

/** The AWS Lambda provider: the Provider contract plus the deployment helpers it is built on. */
export interface AwsLambdaProvider extends DeployingProvider {
  readonly name: 'aws-lambda';
  /** Invokes a batch; the record is Lambda's full REPORT line. */
  invoke(
    functionName: string,
    event: BatchEvent,
    options?: InvokeOptions,
  ): Promise<InvocationResult<InvocationRecord>>;
  /** The Lambda client in use (injected or built from the settings). */
  readonly client: LambdaClient;
  /** Like deployFunction, but says what it did (create, update with changes, or unchanged). */
  applyFunction(spec: FunctionSpec): Promise<FunctionChange>;
  /** The function's configuration, or undefined when it does not exist. */
  readFunction(functionName: string): Promise<FunctionState | undefined>;
}

const encoder = new TextEncoder();

/**
 * Creates the AWS Lambda provider: invokes a batch synchronously with the log tail, reads the
 * REPORT line into the invocation record, maps throttling and API errors to MbsError, and can
 * deploy, reconfigure and read the logs of functions. Uses the SDK's standard credential chain
 * unless `credentials` or a `client` is given.
 *
 * @example
 * ```ts
 * const provider = createAwsLambdaProvider({ region: 'eu-west-1', maxAttempts: 2 });
 * const { results, record } = await provider.invoke('mbs-b0', { requests: [{ id: 'r1', input }] });
 * console.log(record.billedDurationMs, record.initDurationMs);
 * ```
 */
export function createAwsLambdaProvider(options: AwsLambdaProviderOptions = {}): AwsLambdaProvider {
  validateProviderOptions(options);
  const client = options.client ?? buildLambdaClient(options);
  let logsClient = options.logsClient;
  let builtLogsClient: CloudWatchLogsClient | undefined;
  const wait = {
    waitMs: options.deploymentWaitMs ?? 300_000,
    pollMs: options.deploymentPollMs ?? 1000,
  };
  const memoryByFunction = new Map<string, number>();

  async function fallbackMemoryMb(functionName: string): Promise<number | undefined> {
    const known = memoryByFunction.get(functionName);
    if (known !== undefined) return known;
    // Only needed when the log tail lacks a REPORT line; a failed lookup leaves memory unknown.
    const state = await readFunctionState(client, functionName).catch(() => undefined);
    if (state !== undefined) memoryByFunction.set(functionName, state.memoryMb);
    return state?.memoryMb;
  }

  async function invoke(
    functionName: string,
    event: BatchEvent,
    invokeOptions: InvokeOptions = {},
  ): Promise<InvocationResult<InvocationRecord>> {
    const payload = encoder.encode(JSON.stringify(event));
    const started = performance.now();
    let output: InvokeCommandOutput;
    try {
      output = await client.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'RequestResponse',
          LogType: 'Tail',
          Payload: payload,
          ...(options.qualifier === undefined ? {} : { Qualifier: options.qualifier }),
        }),
        invokeOptions.signal === undefined ? {} : { abortSignal: invokeOptions.signal },
      );
    } catch (error) {
      throw toProviderError(error, functionName, 'Invoke', payload.byteLength);
    }
    const elapsedMs = performance.now() - started;
    const payloadText =
      output.Payload === undefined || output.Payload === null
        ? undefined
        : Buffer.from(output.Payload).toString('utf8');
    const requestId = output.$metadata.requestId;
    const result = invocationResultOf(event, {
      functionName,
      elapsedMs,
      ...(requestId === undefined ? {} : { requestId }),
      ...(output.FunctionError === undefined ? {} : { functionError: output.FunctionError }),
      ...(output.LogResult === undefined ? {} : { logResult: output.LogResult }),
      ...(payloadText === undefined ? {} : { payloadText }),
    });
    if (result.record.memorySizeMb > 0) return result;
    const memoryMb = await fallbackMemoryMb(functionName);
    return memoryMb === undefined
      ? result
      : { ...result, record: { ...result.record, memorySizeMb: memoryMb } };
  }

  async function applyFunction(spec: FunctionSpec): Promise<FunctionChange> {
    const existing = await readFunctionState(client, spec.functionName);
    const change = await applyFunctionSpec(client, spec, existing, {
      ...wait,
      ...(options.roleArn === undefined ? {} : { roleArn: options.roleArn }),
    });
    memoryByFunction.set(spec.functionName, spec.memoryMb);
    return change;
  }

  async function configureFunction(
    functionName: string,
    settings: { readonly memoryMb?: number; readonly timeoutSeconds?: number },
  ): Promise<void> {
    if (settings.memoryMb === undefined && settings.timeoutSeconds === undefined) {
      throw errors.error(
        'OPTION_INVALID',
        `configureFunction ${functionName}: pass memoryMb and/or timeoutSeconds`,
      );
    }
    await waitForFunctionReady(client, functionName, wait);
    try {
      await client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: functionName,
          ...(settings.memoryMb === undefined ? {} : { MemorySize: settings.memoryMb }),
          ...(settings.timeoutSeconds === undefined ? {} : { Timeout: settings.timeoutSeconds }),
        }),
      );
    } catch (error) {
      throw toProviderError(error, functionName, 'UpdateFunctionConfiguration');
    }
    await waitForFunctionReady(client, functionName, wait);
    if (settings.memoryMb !== undefined) memoryByFunction.set(functionName, settings.memoryMb);
  }

  async function readLogs(query: LogQuery): Promise<readonly InvocationRecord[]> {
    if (logsClient === undefined) {
      builtLogsClient = new CloudWatchLogsClient(clientConfiguration(options));
      logsClient = builtLogsClient;
    }
    const collection = await collectInvocationRecords({
      client: logsClient,
      functionNames: [query.functionName],
      startMs: query.startMs,
      endMs: query.endMs,
    });
    return collection.invocations;
  }

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: 'aws-lambda',
    description: 'AWS Lambda over the AWS SDK (invoke, deploy, CloudWatch Logs)',
    client,
    invoke,
    applyFunction,
    async deployFunction(spec) {
      await applyFunction(spec);
    },
    configureFunction,
    readLogs,
    readFunction: (functionName) => readFunctionState(client, functionName),
    async dispose() {
      // Only clients built here are destroyed; injected ones belong to the caller.
      if (options.client === undefined) client.destroy();
      builtLogsClient?.destroy();
    },
  };
}
