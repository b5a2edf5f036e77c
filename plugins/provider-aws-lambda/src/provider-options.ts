import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { LambdaClient, type LambdaClientConfig } from '@aws-sdk/client-lambda';
import { type MbsError, rejectUnknownOptions } from '@mbs/core';
import { errors } from './errors.js';

/** How the AWS SDK spaces its retries (`standard` by default). */
export type AwsRetryMode = 'standard' | 'adaptive' | 'legacy';

/** Settings that build an AWS SDK client when none is passed. */
export interface AwsClientSettings {
  /** AWS region; the SDK's default chain (AWS_REGION, profile) when absent. */
  readonly region?: string;
  /** Endpoint URL override, e.g. the local emulator `http://127.0.0.1:PORT`. */
  readonly endpoint?: string;
  /** Credentials or a credential provider; the SDK's standard chain when absent. */
  readonly credentials?: LambdaClientConfig['credentials'];
  /** Attempts per call including the first, 1..20 (SDK default 3); 1 disables SDK retries. */
  readonly maxAttempts?: number;
  readonly retryMode?: AwsRetryMode;
  /**
   * Connections the client opens per endpoint, so as many invocations run at once (default 1,000,
   * Lambda's default account concurrency; the SDK's own default of 50 would queue the batches of
   * a busy batcher inside the client, unseen).
   */
  readonly maxSockets?: number;
}

/** Connections per endpoint when `maxSockets` is not given: Lambda's default account concurrency. */
export const DEFAULT_MAX_SOCKETS = 1000;

/** Options of {@link createAwsLambdaProvider}. */
export interface AwsLambdaProviderOptions extends AwsClientSettings {
  /** A Lambda client to use instead of building one from the settings. */
  readonly client?: LambdaClient;
  /** A CloudWatch Logs client for readLogs; built from the same settings when absent. */
  readonly logsClient?: CloudWatchLogsClient;
  /** Execution role ARN used when deployFunction creates a function. */
  readonly roleArn?: string;
  /** Version or alias invoked (`$LATEST` by default). */
  readonly qualifier?: string;
  /** Longest wait for a function to become Active / Successful after a change, default 300000. */
  readonly deploymentWaitMs?: number;
  /** Interval between GetFunctionConfiguration polls while waiting, default 1000. */
  readonly deploymentPollMs?: number;
}

/** Option keys of {@link AwsClientSettings}. */
export const CLIENT_SETTING_KEYS = [
  'region',
  'endpoint',
  'credentials',
  'maxAttempts',
  'retryMode',
  'maxSockets',
] as const;

const PROVIDER_OPTION_KEYS = [
  ...CLIENT_SETTING_KEYS,
  'client',
  'logsClient',
  'roleArn',
  'qualifier',
  'deploymentWaitMs',
  'deploymentPollMs',
];

const RETRY_MODES: readonly string[] = ['standard', 'adaptive', 'legacy'];

function invalid(where: string, message: string, details: Record<string, unknown> = {}): MbsError {
  return errors.error('OPTION_INVALID', `${where}: ${message}`, {
    details,
  });
}

/** Checks client settings: maxAttempts 1..20, a known retry mode, an http(s) endpoint. */
export function validateClientSettings(settings: AwsClientSettings, where: string): void {
  const { maxAttempts, retryMode, endpoint, maxSockets } = settings;
  if (maxSockets !== undefined && !(Number.isInteger(maxSockets) && maxSockets >= 1)) {
    throw invalid(where, `maxSockets must be an integer >= 1; got ${maxSockets}`, {
      option: 'maxSockets',
      value: maxSockets,
    });
  }
  if (
    maxAttempts !== undefined &&
    (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 20)
  ) {
    throw invalid(where, `maxAttempts must be an integer in [1, 20]; got ${maxAttempts}`, {
      option: 'maxAttempts',
      value: maxAttempts,
    });
  }
  if (retryMode !== undefined && !RETRY_MODES.includes(retryMode)) {
    throw invalid(
      where,
      `retryMode must be one of ${RETRY_MODES.join(', ')}; got ${JSON.stringify(retryMode)}`,
      {
        option: 'retryMode',
        value: retryMode,
      },
    );
  }
  if (endpoint !== undefined && !/^https?:\/\/\S+$/.test(endpoint)) {
    throw invalid(where, `endpoint must be an http(s) URL; got ${JSON.stringify(endpoint)}`, {
      option: 'endpoint',
      value: endpoint,
    });
  }
}

/** Checks provider options: known keys, client settings, positive wait bounds. */
export function validateProviderOptions(options: AwsLambdaProviderOptions): void {
  const where = 'createAwsLambdaProvider';
  rejectUnknownOptions(options, PROVIDER_OPTION_KEYS, errors.prefix(where));
  validateClientSettings(options, where);
  for (const key of ['deploymentWaitMs', 'deploymentPollMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw invalid(where, `${key} must be a positive number of milliseconds; got ${value}`, {
        option: key,
        value,
      });
    }
  }
}

/** The SDK client configuration of some settings (only the keys that are set). */
export function clientConfiguration(settings: AwsClientSettings): LambdaClientConfig {
  return {
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
    ...(settings.maxAttempts === undefined ? {} : { maxAttempts: settings.maxAttempts }),
    ...(settings.retryMode === undefined ? {} : { retryMode: settings.retryMode }),
    requestHandler: {
      httpAgent: { keepAlive: true, maxSockets: settings.maxSockets ?? DEFAULT_MAX_SOCKETS },
      httpsAgent: { keepAlive: true, maxSockets: settings.maxSockets ?? DEFAULT_MAX_SOCKETS },
    },
  };
}

/** A Lambda client from settings, using the SDK's standard credential chain by default. */
export function buildLambdaClient(settings: AwsClientSettings): LambdaClient {
  return new LambdaClient(clientConfiguration(settings));
}
