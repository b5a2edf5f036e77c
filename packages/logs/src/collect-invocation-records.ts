import type {
  CloudWatchLogsClient,
  CloudWatchLogsClientConfig,
  FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { importOptionalPackage, rejectUnknownOptions } from '@mbs/core';
import type { CollectedInvocation, LogEvent, LogLineCounts } from './assemble-invocations.js';
import { assembleInvocations, emptyLineCounts } from './assemble-invocations.js';
import { backoffDelayMs, sleep } from './backoff.js';
import { errors } from './errors.js';
import { requireInteger } from './options.js';

/** Progress of a collection, reported after every page. */
export interface CollectionProgress {
  readonly functionName: string;
  /** Pages read so far for this function. */
  readonly pages: number;
  /** Log events read so far for this function. */
  readonly events: number;
  /** Throttled calls retried so far, over all functions. */
  readonly throttledRetries: number;
}

/** Options of {@link collectInvocationRecords}. */
export interface CollectInvocationRecordsOptions {
  /** A CloudWatch Logs client to use; otherwise one is built from region/endpoint/credentials. */
  readonly client?: CloudWatchLogsClient;
  readonly region?: string;
  /** Endpoint URL, e.g. the local emulator's `http://127.0.0.1:PORT`. */
  readonly endpoint?: string;
  readonly credentials?: CloudWatchLogsClientConfig['credentials'];
  /** Attempts per call inside the SDK (its own retries), default 3. */
  readonly maxAttempts?: number;
  /** Functions whose log groups (`/aws/lambda/<name>`) are read. */
  readonly functionNames: readonly string[];
  /** Start of the range, in milliseconds since the epoch. */
  readonly startMs: number;
  /** End of the range, in milliseconds since the epoch. */
  readonly endMs: number;
  /** Events per FilterLogEvents page, 1..10000 (default 10000). */
  readonly pageSize?: number;
  /** A CloudWatch filter pattern; by default every line is read so unknown lines get counted. */
  readonly filterPattern?: string;
  /** Retries of a throttled page after the SDK's own retries, default 8. */
  readonly maxThrottleRetries?: number;
  /** First backoff bound in milliseconds, default 200. */
  readonly backoffBaseMs?: number;
  /** Largest backoff bound in milliseconds, default 10000. */
  readonly backoffCapMs?: number;
  /** Uniform random numbers in [0, 1) for jitter; `Math.random` by default. */
  readonly random?: () => number;
  /** Safety bound on pages per function, default 100000. */
  readonly maxPages?: number;
  readonly onProgress?: (progress: CollectionProgress) => void;
  readonly signal?: AbortSignal;
}

/** What was read from one function's log group. */
export interface FunctionLogSummary {
  readonly functionName: string;
  readonly logGroupName: string;
  /** False when the log group does not exist (the function never ran or never logged). */
  readonly logGroupFound: boolean;
  readonly pages: number;
  readonly events: number;
  readonly invocations: number;
  /** Request ids with START but no REPORT in the range. */
  readonly incompleteRequestIds: readonly string[];
  readonly lineCounts: LogLineCounts;
  readonly unknownSamples: readonly string[];
}

/** Result of {@link collectInvocationRecords}. */
export interface InvocationCollection {
  /** Every invocation of every function, in START order. */
  readonly invocations: readonly CollectedInvocation[];
  readonly functions: readonly FunctionLogSummary[];
  /** Line counts over all functions; `unknown` lines are counted here, never dropped silently. */
  readonly lineCounts: LogLineCounts;
  /** Pages that were throttled and retried after a backoff. */
  readonly throttledRetries: number;
}

const ACCEPTED = [
  'client',
  'region',
  'endpoint',
  'credentials',
  'maxAttempts',
  'functionNames',
  'startMs',
  'endMs',
  'pageSize',
  'filterPattern',
  'maxThrottleRetries',
  'backoffBaseMs',
  'backoffCapMs',
  'random',
  'maxPages',
  'onProgress',
  'signal',
];
const WHERE = 'collectInvocationRecords';

function errorName(error: unknown): string {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : '';
}

function isThrottling(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata
    ?.httpStatusCode;
  const name = errorName(error);
  return name === 'ThrottlingException' || name === 'LimitExceededException' || status === 429;
}

function validate(options: CollectInvocationRecordsOptions): void {
  rejectUnknownOptions(options, ACCEPTED, errors.prefix(WHERE));
  if (
    options.client !== undefined &&
    (options.region !== undefined ||
      options.endpoint !== undefined ||
      options.credentials !== undefined ||
      options.maxAttempts !== undefined)
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `${WHERE}: pass either client or region/endpoint/credentials/maxAttempts, not both`,
    );
  }
  if (
    !Array.isArray(options.functionNames) ||
    options.functionNames.length === 0 ||
    options.functionNames.some((name) => typeof name !== 'string' || name.length === 0)
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `${WHERE}: functionNames must be a non-empty array of function names`,
    );
  }
  if (
    !Number.isFinite(options.startMs) ||
    !Number.isFinite(options.endMs) ||
    options.endMs < options.startMs
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `${WHERE}: startMs and endMs must be epoch milliseconds with startMs <= endMs; got ${options.startMs}..${options.endMs}`,
    );
  }
  if (options.pageSize !== undefined)
    requireInteger(options.pageSize, 'pageSize', 1, 10_000, WHERE);
  if (options.maxThrottleRetries !== undefined) {
    requireInteger(options.maxThrottleRetries, 'maxThrottleRetries', 0, 100, WHERE);
  }
  if (options.maxAttempts !== undefined)
    requireInteger(options.maxAttempts, 'maxAttempts', 1, 20, WHERE);
  if (options.maxPages !== undefined)
    requireInteger(options.maxPages, 'maxPages', 1, 10_000_000, WHERE);
}

/** The CloudWatch Logs part of the AWS SDK. */
type CloudWatchLogsSdk = typeof import('@aws-sdk/client-cloudwatch-logs');

/**
 * The SDK, imported only when logs are read: it is an optional peer dependency, so that the
 * summaries of this package (and `mbs --help`, `mbs solve`) never load it.
 */
const loadSdk = (): Promise<CloudWatchLogsSdk> =>
  importOptionalPackage(
    {
      packageName: '@aws-sdk/client-cloudwatch-logs',
      dependent: '@mbs/logs',
      neededBy: 'collectInvocationRecords (mbs logs collect)',
    },
    () => import('@aws-sdk/client-cloudwatch-logs'),
  );

function buildClient(
  sdk: CloudWatchLogsSdk,
  options: CollectInvocationRecordsOptions,
): CloudWatchLogsClient {
  const config: CloudWatchLogsClientConfig = {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  };
  return new sdk.CloudWatchLogsClient(config);
}

/**
 * Reads the Lambda log groups of `functionNames` between `startMs` and `endMs` with paginated
 * FilterLogEvents calls (backing off when throttled) and turns them into one record per
 * invocation: request id, START time, duration, billed duration, memory, init duration, errors
 * and timeouts.
 *
 * @example
 * ```ts
 * const { invocations, lineCounts } = await collectInvocationRecords({
 *   region: 'us-east-1',
 *   functionNames: ['mbs-b0', 'mbs-b1'],
 *   startMs: Date.parse('2025-01-01T00:00:00Z'),
 *   endMs: Date.parse('2025-01-01T01:00:00Z'),
 * });
 * ```
 */
export async function collectInvocationRecords(
  options: CollectInvocationRecordsOptions,
): Promise<InvocationCollection> {
  validate(options);
  const sdk = await loadSdk();
  const client = options.client ?? buildClient(sdk, options);
  const counter = { throttledRetries: 0 };
  try {
    const functions: FunctionLogSummary[] = [];
    const invocations: CollectedInvocation[] = [];
    const lineCounts = emptyLineCounts();
    for (const functionName of options.functionNames) {
      const { summary, collected } = await collectFunction(
        sdk,
        client,
        functionName,
        options,
        counter,
      );
      functions.push(summary);
      invocations.push(...collected);
      for (const [kind, count] of Object.entries(summary.lineCounts)) {
        lineCounts[kind as keyof LogLineCounts] += count;
      }
    }
    invocations.sort((a, b) => a.startMs - b.startMs);
    return { invocations, functions, lineCounts, throttledRetries: counter.throttledRetries };
  } finally {
    // A client we built is ours to close; an injected one belongs to the caller.
    if (options.client === undefined) client.destroy();
  }
}

async function collectFunction(
  sdk: CloudWatchLogsSdk,
  client: CloudWatchLogsClient,
  functionName: string,
  options: CollectInvocationRecordsOptions,
  counter: { throttledRetries: number },
): Promise<{ summary: FunctionLogSummary; collected: readonly CollectedInvocation[] }> {
  const logGroupName = `/aws/lambda/${functionName}`;
  const maxPages = options.maxPages ?? 100_000;
  const events: LogEvent[] = [];
  let pages = 0;
  let nextToken: string | undefined;
  let logGroupFound = true;
  do {
    if (pages >= maxPages) {
      throw errors.error(
        'PROVIDER_ERROR',
        `${logGroupName}: more than maxPages=${maxPages} FilterLogEvents pages; narrow startMs..endMs or raise maxPages`,
        { details: { logGroupName, pages, retryable: false } },
      );
    }
    const page = await readPage(sdk, client, logGroupName, nextToken, options, counter);
    if (page === undefined) {
      logGroupFound = false;
      break;
    }
    pages += 1;
    for (const event of page.events ?? []) {
      // An event without a message or time still counts: it is classified as an unknown line.
      events.push({
        timestamp: event.timestamp ?? 0,
        message: event.message ?? '',
        ...(event.logStreamName === undefined ? {} : { logStreamName: event.logStreamName }),
      });
    }
    options.onProgress?.({
      functionName,
      pages,
      events: events.length,
      throttledRetries: counter.throttledRetries,
    });
    nextToken = page.nextToken;
  } while (nextToken !== undefined && nextToken !== '');
  const assembled = assembleInvocations(functionName, events);
  return {
    collected: assembled.invocations,
    summary: {
      functionName,
      logGroupName,
      logGroupFound,
      pages,
      events: events.length,
      invocations: assembled.invocations.length,
      incompleteRequestIds: assembled.incompleteRequestIds,
      lineCounts: assembled.lineCounts,
      unknownSamples: assembled.unknownSamples,
    },
  };
}

async function readPage(
  sdk: CloudWatchLogsSdk,
  client: CloudWatchLogsClient,
  logGroupName: string,
  nextToken: string | undefined,
  options: CollectInvocationRecordsOptions,
  counter: { throttledRetries: number },
): Promise<FilterLogEventsCommandOutput | undefined> {
  const maxRetries = options.maxThrottleRetries ?? 8;
  const backoff = {
    baseMs: options.backoffBaseMs ?? 200,
    capMs: options.backoffCapMs ?? 10_000,
    random: options.random ?? Math.random,
  };
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.send(
        new sdk.FilterLogEventsCommand({
          logGroupName,
          startTime: options.startMs,
          endTime: options.endMs,
          limit: options.pageSize ?? 10_000,
          ...(options.filterPattern === undefined ? {} : { filterPattern: options.filterPattern }),
          ...(nextToken === undefined ? {} : { nextToken }),
        }),
        options.signal === undefined ? {} : { abortSignal: options.signal },
      );
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      if (isThrottling(error) && attempt < maxRetries) {
        counter.throttledRetries += 1;
        await sleep(backoffDelayMs(attempt, backoff), options.signal);
        continue;
      }
      if (isThrottling(error)) {
        throw errors.error(
          'THROTTLED',
          `${logGroupName}: FilterLogEvents still throttled after ${maxRetries} backoff retries; raise maxThrottleRetries or read fewer functions at once`,
          { cause: error, details: { logGroupName, retryable: true } },
        );
      }
      throw errors.error(
        'PROVIDER_ERROR',
        `${logGroupName}: FilterLogEvents failed: ${(error as Error).message ?? String(error)}`,
        { cause: error, details: { logGroupName, retryable: false, name: errorName(error) } },
      );
    }
  }
}
