import type {
  BatchRecord,
  BufferConfiguration,
  PricingModel,
  Provider,
  RequestRecord,
} from '@mbs/core';
import { assertPlugin, LAMBDA_MAX_FUNCTION_TIMEOUT_SECONDS } from '@mbs/core';
import type { BatcherClock } from './clock.js';
import type { BatcherConfiguration } from './configuration-input.js';
import { errors } from './errors.js';
import type { TypedProvider } from './function-provider.js';
import type { ResolvedRetryOptions, RetryOptions } from './retry.js';
import { DEFAULT_RETRY_OPTIONS } from './retry.js';

/**
 * Limits that make `submit` refuse work at once (MbsError BACKPRESSURE) instead of queueing
 * without bound. When a batch is dispatched while its buffer or the whole batcher is at the
 * in-flight limit, the batch waits in its buffer's dispatch queue (oldest first); its requests
 * still count as pending, so the pending limit bounds that queue too. Nothing is dropped.
 */
export interface BatcherLimits {
  /** Requests waiting in one buffer: its open batch plus its queued batches. Default 10,000. */
  readonly maxPendingPerBuffer?: number;
  /** Invocations in flight for one buffer (retry backoffs included). Default unlimited. */
  readonly maxInFlightPerBuffer?: number;
  /** Invocations in flight for all buffers (retry backoffs included). Default 1,000. */
  readonly maxInFlightTotal?: number;
}

/** {@link BatcherLimits} with every default filled in. */
export type ResolvedLimits = Required<BatcherLimits>;

/** The limit defaults: Lambda's default account concurrency is 1,000. */
export const DEFAULT_LIMITS: ResolvedLimits = {
  maxPendingPerBuffer: 10_000,
  maxInFlightPerBuffer: Number.POSITIVE_INFINITY,
  maxInFlightTotal: 1000,
};

/**
 * Default longest wait for one invocation, in seconds: Lambda's longest function timeout (900 s)
 * and a minute for the network, so that a frozen endpoint fails a batch instead of holding its
 * requests for ever.
 */
export const DEFAULT_INVOCATION_TIMEOUT_SECONDS = LAMBDA_MAX_FUNCTION_TIMEOUT_SECONDS + 60;

/**
 * Names the function of each buffer, from its configuration and index; `windowIndex` is the
 * window of the configuration document when it has several windows, else undefined.
 */
export type FunctionNamer = (
  buffer: BufferConfiguration,
  bufferIndex: number,
  windowIndex?: number,
) => string;

/**
 * Options of {@link createBatcher}; `Input` and `Output` are the types of one request's input
 * and output, taken from a {@link TypedProvider} or given explicitly.
 */
export interface BatcherOptions<Input = unknown, Output = unknown> {
  /** The configuration to run: a document from `mbs solve`, or one system with class edges. */
  readonly config: BatcherConfiguration;
  /** Where batches go: any Provider, e.g. `createFunctionProvider(fn)` or the AWS Lambda one. */
  readonly provider: Provider | TypedProvider<Input, Output>;
  /** Time source and timers; the system clock (real timers) by default. */
  readonly clock?: BatcherClock;
  /** Prices invocations for `BatchRecord.costUsd`; without it costUsd is NaN (null in JSON). */
  readonly pricing?: PricingModel;
  readonly limits?: BatcherLimits;
  readonly retry?: RetryOptions;
  /**
   * Longest wait for one invocation's answer, in seconds (each attempt of a retried batch waits
   * this long). When it passes, the provider's `invoke` is aborted through its signal and every
   * request of the batch fails with PROVIDER_ERROR (`details.timedOut`, not retried: the
   * invocation may still be running). Default {@link DEFAULT_INVOCATION_TIMEOUT_SECONDS};
   * `Infinity` waits for ever.
   */
  readonly invocationTimeoutSeconds?: number;
  /** Called once per settled request that reached a buffer. Errors thrown are counted, not raised. */
  readonly onRequestRecord?: (record: RequestRecord) => void;
  /** Called once per finished batch. Errors thrown are counted, not raised. */
  readonly onBatchRecord?: (record: BatchRecord) => void;
  /**
   * Function names by buffer index, or a function naming them. Default: the buffer's
   * `functionName`, else `<functionNamePrefix>-b<buffer>` (`<functionNamePrefix>-w<window>-b<buffer>`
   * when the document has several windows): the names `mbs deploy` creates.
   */
  readonly functionNames?: readonly string[] | FunctionNamer;
  /** Prefix of default function names, as `mbs deploy --prefix`. Default `mbs`. */
  readonly functionNamePrefix?: string;
  /** Random source in [0, 1) for split classes and retry jitter; overrides `seed`. */
  readonly random?: () => number;
  /** Seed of the random source, for reproducible routing and jitter. Default: Math.random. */
  readonly seed?: number;
  /**
   * Apply each window of a configuration document when the clock reaches it (window times are
   * seconds after `scheduleOriginSeconds`). Default false: the first window applies.
   */
  readonly followSchedule?: boolean;
  /** Clock time of window time 0, in seconds. Default: the clock's time at creation. */
  readonly scheduleOriginSeconds?: number;
  /** Repeat the schedule with this period in seconds (e.g. 86400 for a daily schedule). */
  readonly schedulePeriodSeconds?: number;
}

const KNOWN_OPTIONS: readonly (keyof BatcherOptions)[] = [
  'config',
  'provider',
  'clock',
  'pricing',
  'limits',
  'retry',
  'invocationTimeoutSeconds',
  'onRequestRecord',
  'onBatchRecord',
  'functionNames',
  'functionNamePrefix',
  'random',
  'seed',
  'followSchedule',
  'scheduleOriginSeconds',
  'schedulePeriodSeconds',
];

function invalid(option: string, problem: string, value: unknown): never {
  const shown = typeof value === 'function' ? 'a function' : JSON.stringify(value);
  throw errors.error('OPTION_INVALID', `${option} ${problem}; got ${shown}`, {
    details: { option, value: typeof value === 'function' ? 'function' : value },
  });
}

function rejectUnknownKeys(option: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw errors.error(
        'OPTION_INVALID',
        `${option}.${key} is not an option; accepted: ${known.join(', ')}`,
        { details: { option: `${option}.${key}` } },
      );
    }
  }
}

function checkObject(option: string, value: unknown): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    invalid(option, 'must be an object', value);
  }
}

/** An integer >= minimum, or +Infinity when `allowInfinity`. */
function checkCount(option: string, value: unknown, minimum: number, allowInfinity: boolean) {
  const ok =
    typeof value === 'number' &&
    ((Number.isInteger(value) && value >= minimum) ||
      (allowInfinity && value === Number.POSITIVE_INFINITY));
  if (!ok) {
    invalid(
      option,
      `must be an integer >= ${minimum}${allowInfinity ? ' or Infinity' : ''}`,
      value,
    );
  }
  return value;
}

function checkNonNegative(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    invalid(option, 'must be a finite number >= 0', value);
  }
  return value;
}

function resolveLimits(value: unknown): ResolvedLimits {
  if (value === undefined) return DEFAULT_LIMITS;
  checkObject('limits', value);
  rejectUnknownKeys('limits', value, Object.keys(DEFAULT_LIMITS));
  const pick = (key: keyof ResolvedLimits) =>
    value[key] === undefined
      ? DEFAULT_LIMITS[key]
      : checkCount(`limits.${key}`, value[key], 1, true);
  return {
    maxPendingPerBuffer: pick('maxPendingPerBuffer'),
    maxInFlightPerBuffer: pick('maxInFlightPerBuffer'),
    maxInFlightTotal: pick('maxInFlightTotal'),
  };
}

function resolveRetry(value: unknown): ResolvedRetryOptions {
  if (value === undefined) return DEFAULT_RETRY_OPTIONS;
  checkObject('retry', value);
  rejectUnknownKeys('retry', value, Object.keys(DEFAULT_RETRY_OPTIONS));
  const maxAttempts =
    value.maxAttempts === undefined
      ? DEFAULT_RETRY_OPTIONS.maxAttempts
      : checkCount('retry.maxAttempts', value.maxAttempts, 1, false);
  const baseDelayMs =
    value.baseDelayMs === undefined
      ? DEFAULT_RETRY_OPTIONS.baseDelayMs
      : checkNonNegative('retry.baseDelayMs', value.baseDelayMs);
  const maxDelayMs =
    value.maxDelayMs === undefined
      ? Math.max(DEFAULT_RETRY_OPTIONS.maxDelayMs, baseDelayMs)
      : checkNonNegative('retry.maxDelayMs', value.maxDelayMs);
  if (maxDelayMs < baseDelayMs) {
    invalid('retry.maxDelayMs', `must be >= retry.baseDelayMs (${baseDelayMs})`, maxDelayMs);
  }
  return { maxAttempts, baseDelayMs, maxDelayMs };
}

function checkFunction(option: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'function')
    invalid(option, 'must be a function', value);
}

function checkClock(value: unknown): void {
  if (value === undefined) return;
  checkObject('clock', value);
  for (const method of ['now', 'setTimer', 'clearTimer']) {
    if (typeof value[method] !== 'function') {
      invalid(
        'clock',
        `must have now(), setTimer(atSeconds, callback) and clearTimer(handle); ${method} is missing`,
        Object.keys(value),
      );
    }
  }
}

/** Options checked, with defaults filled in; `config` is checked separately. */
export interface ResolvedBatcherOptions {
  readonly options: BatcherOptions;
  readonly limits: ResolvedLimits;
  readonly retry: ResolvedRetryOptions;
  readonly invocationTimeoutSeconds: number;
}

/**
 * Checks the options of a batcher: unknown keys are refused, and each bad value is named with
 * the accepted range.
 */
export function resolveBatcherOptions(value: unknown): ResolvedBatcherOptions {
  checkObject('options', value);
  rejectUnknownKeys('options', value, KNOWN_OPTIONS);
  if (value.config === undefined) invalid('config', 'is required', value.config);
  if (value.provider === undefined) invalid('provider', 'is required', value.provider);
  assertPlugin('provider', value.provider);
  if (value.pricing !== undefined) assertPlugin('pricing', value.pricing);
  checkClock(value.clock);
  checkFunction('onRequestRecord', value.onRequestRecord);
  checkFunction('onBatchRecord', value.onBatchRecord);
  checkFunction('random', value.random);
  const names = value.functionNames;
  if (
    names !== undefined &&
    typeof names !== 'function' &&
    !(Array.isArray(names) && names.every((name) => typeof name === 'string' && name.length > 0))
  ) {
    invalid('functionNames', 'must be an array of non-empty strings or a function', names);
  }
  const prefix = value.functionNamePrefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length === 0)) {
    invalid('functionNamePrefix', 'must be a non-empty string', prefix);
  }
  if (value.seed !== undefined && !Number.isInteger(value.seed)) {
    invalid('seed', 'must be an integer', value.seed);
  }
  if (value.followSchedule !== undefined && typeof value.followSchedule !== 'boolean') {
    invalid('followSchedule', 'must be a boolean', value.followSchedule);
  }
  if (value.scheduleOriginSeconds !== undefined) {
    const origin = value.scheduleOriginSeconds;
    if (typeof origin !== 'number' || !Number.isFinite(origin)) {
      invalid('scheduleOriginSeconds', 'must be a finite number of seconds on the clock', origin);
    }
  }
  const period = value.schedulePeriodSeconds;
  if (
    period !== undefined &&
    (typeof period !== 'number' || !Number.isFinite(period) || period <= 0)
  ) {
    invalid('schedulePeriodSeconds', 'must be a finite number > 0', period);
  }
  const invocationTimeoutSeconds = value.invocationTimeoutSeconds;
  if (
    invocationTimeoutSeconds !== undefined &&
    !(
      typeof invocationTimeoutSeconds === 'number' &&
      invocationTimeoutSeconds > 0 &&
      !Number.isNaN(invocationTimeoutSeconds)
    )
  ) {
    invalid(
      'invocationTimeoutSeconds',
      'must be a number of seconds > 0 (Infinity waits for ever)',
      invocationTimeoutSeconds,
    );
  }
  return {
    options: value as unknown as BatcherOptions,
    limits: resolveLimits(value.limits),
    retry: resolveRetry(value.retry),
    invocationTimeoutSeconds:
      (invocationTimeoutSeconds as number | undefined) ?? DEFAULT_INVOCATION_TIMEOUT_SECONDS,
  };
}
