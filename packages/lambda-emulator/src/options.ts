import { availableParallelism } from 'node:os';
import type { CpuScalingOptions } from './cpu-scaling.js';
import { invalidOption } from './emulator-errors.js';
import { DEFAULT_ACCOUNT_CONCURRENCY, MINIMUM_UNRESERVED_CONCURRENCY } from './limits.js';
import type { InstanceIsolation } from './process-instance.js';

/** Fault injection for tests: each rate is the share of synchronous invocations it hits. */
export interface FaultOptions {
  /** Seed of the fault generator, so a run's faults repeat. Default 1. */
  readonly seed?: number;
  /** Share refused with 429 TooManyRequestsException (Reason ConcurrentInvocationLimitExceeded). */
  readonly throttleRate?: number;
  /** Share that fail with a function error (errorType `Emulator.InjectedError`). */
  readonly errorRate?: number;
  /** Share whose instance is killed as the invocation starts (errorType `Runtime.ExitError`). */
  readonly crashRate?: number;
  /** Extra latency added to the answer (not to Duration), in milliseconds. Default 0. */
  readonly extraLatencyMs?: number;
  /** Share that get the extra latency. Default 1. */
  readonly latencyRate?: number;
}

/** How long the emulator keeps log events, as a log group's retention does on CloudWatch Logs. */
export interface LogRetentionOptions {
  /**
   * Most bytes kept across all log groups, counted as CloudWatch Logs counts a batch: each
   * message's UTF-8 bytes plus 26 per event. The oldest events go first. Default 128 MiB.
   */
  readonly maxBytes?: number;
  /** Events older than this many seconds are dropped. Default: kept while within `maxBytes`. */
  readonly maxAgeSeconds?: number;
}

/**
 * Default of `maxInstances`: twice the cores, at least 4. An instance is one process expected to
 * keep at most one core busy (1,769 MB is one Lambda vCPU), and the emulator turns measured time
 * into Lambda's Duration (see cpu-scaling): with at most two instances per core the measured
 * times stay meaningful, while a burst of 1,000 invocations cannot fork 1,000 processes.
 */
export function defaultMaxInstances(cores: number = availableParallelism()): number {
  return Math.max(4, 2 * cores);
}

/** Default of `maxQueuedInvocations`: Lambda's default account concurrency. */
export const DEFAULT_MAX_QUEUED_INVOCATIONS = 1000;
/** Default of `logRetention.maxBytes`: 128 MiB. */
export const DEFAULT_LOG_RETENTION_BYTES = 134_217_728;

/**
 * Options of the emulator (shared by the in-process provider and the HTTP server).
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ warmSeconds: 60, accountConcurrency: 200 });
 * ```
 */
export interface EmulatorOptions {
  /** Region in ARNs. Default `us-east-1`. */
  readonly region?: string;
  /** Account id in ARNs. Default `123456789012`. */
  readonly accountId?: string;
  /** Account concurrency limit. Default 1000, as on Lambda. */
  readonly accountConcurrency?: number;
  /** Concurrency that reservations must leave unreserved. Default min(100, accountConcurrency). */
  readonly minimumUnreservedConcurrency?: number;
  /** How long an idle instance stays warm, in seconds. Default 300. */
  readonly warmSeconds?: number;
  /** Where zip functions run: `process` (a child process per instance, default) or `thread`. */
  readonly isolation?: InstanceIsolation;
  /** How memory scales handler time (see {@link CpuScalingOptions}); `false` turns it off. */
  readonly cpuScaling?: CpuScalingOptions | false;
  /** Whether Billed Duration includes Init Duration on cold starts, as since August 2025. Default true. */
  readonly billInitPhase?: boolean;
  /** Fault injection; off by default. */
  readonly faults?: FaultOptions;
  /** Directory under which the emulator makes its temporary directory. Default the OS temp dir. */
  readonly workDirectory?: string;
  /**
   * Most process or thread instances alive at once, across functions. An invocation that needs a
   * new instance beyond it waits (an idle instance of another function is shut down to make
   * room). Default {@link defaultMaxInstances}: twice the cores, at least 4.
   */
  readonly maxInstances?: number;
  /**
   * Most invocations waiting for an instance (or queued as Event invocations); beyond it
   * invocations are throttled with 429 TooManyRequestsException (ConcurrentInvocationLimitExceeded).
   * Default 1000.
   */
  readonly maxQueuedInvocations?: number;
  /** How long log events are kept; default 128 MiB across all groups, oldest dropped first. */
  readonly logRetention?: LogRetentionOptions;
}

/** Emulator options with every default filled in. */
export interface ResolvedEmulatorOptions {
  readonly region: string;
  readonly accountId: string;
  readonly accountConcurrency: number;
  readonly minimumUnreservedConcurrency: number;
  readonly warmSeconds: number;
  readonly isolation: InstanceIsolation;
  readonly cpuScaling: Required<CpuScalingOptions> | false;
  readonly billInitPhase: boolean;
  readonly faults: Required<FaultOptions>;
  readonly workDirectory: string | undefined;
  readonly maxInstances: number;
  readonly maxQueuedInvocations: number;
  readonly logRetention: { readonly maxBytes: number; readonly maxAgeSeconds: number | undefined };
}

const EMULATOR_KEYS = [
  'region',
  'accountId',
  'accountConcurrency',
  'minimumUnreservedConcurrency',
  'warmSeconds',
  'isolation',
  'cpuScaling',
  'billInitPhase',
  'faults',
  'workDirectory',
  'maxInstances',
  'maxQueuedInvocations',
  'logRetention',
] as const;
const FAULT_KEYS = [
  'seed',
  'throttleRate',
  'errorRate',
  'crashRate',
  'extraLatencyMs',
  'latencyRate',
] as const;
const CPU_KEYS = ['referenceVcpu', 'minimumScale', 'excludeHostWait'] as const;
const RETENTION_KEYS = ['maxBytes', 'maxAgeSeconds'] as const;

function fail(option: string, problem: string, value: unknown): never {
  throw invalidOption(option, problem, value);
}

/** Throws OPTION_INVALID naming the first key of `value` not in `known`. */
export function rejectUnknownKeys(value: object, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      fail(
        `${path}${key}`,
        `is not an option; accepted: ${known.join(', ')}`,
        (value as Record<string, unknown>)[key],
      );
    }
  }
}

function numberIn(
  option: string,
  value: unknown,
  fallback: number,
  minimum: number,
  maximum: number,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < minimum ||
    value > maximum ||
    (integer && !Number.isInteger(value))
  ) {
    fail(
      option,
      `must be ${integer ? 'an integer' : 'a number'} in [${minimum}, ${maximum}]`,
      value,
    );
  }
  return value;
}

function text(option: string, value: unknown, fallback: string, pattern: RegExp): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !pattern.test(value))
    fail(option, `must match ${pattern}`, value);
  return value;
}

/** Checks emulator options (unknown keys, types, ranges) and fills in defaults. */
export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  rejectUnknownKeys(options, EMULATOR_KEYS, '');
  const accountConcurrency = numberIn(
    'accountConcurrency',
    options.accountConcurrency,
    DEFAULT_ACCOUNT_CONCURRENCY,
    1,
    1_000_000,
    true,
  );
  const faults = options.faults ?? {};
  if (typeof faults !== 'object' || faults === null) fail('faults', 'must be an object', faults);
  rejectUnknownKeys(faults, FAULT_KEYS, 'faults.');
  const rate = (
    key: 'throttleRate' | 'errorRate' | 'crashRate' | 'latencyRate',
    fallback: number,
  ) => numberIn(`faults.${key}`, faults[key], fallback, 0, 1);
  let cpuScaling: Required<CpuScalingOptions> | false = false;
  if (options.cpuScaling !== false) {
    const cpu = options.cpuScaling ?? {};
    if (typeof cpu !== 'object' || cpu === null)
      fail('cpuScaling', 'must be an object or false', cpu);
    rejectUnknownKeys(cpu, CPU_KEYS, 'cpuScaling.');
    if (cpu.excludeHostWait !== undefined && typeof cpu.excludeHostWait !== 'boolean') {
      fail('cpuScaling.excludeHostWait', 'must be a boolean', cpu.excludeHostWait);
    }
    cpuScaling = {
      excludeHostWait: cpu.excludeHostWait ?? true,
      referenceVcpu: numberIn('cpuScaling.referenceVcpu', cpu.referenceVcpu, 1, 0.01, 64),
      minimumScale: numberIn('cpuScaling.minimumScale', cpu.minimumScale, 1 / 6, 0.001, 1),
    };
  }
  const isolation = options.isolation ?? 'process';
  if (isolation !== 'process' && isolation !== 'thread') {
    fail('isolation', 'must be "process" or "thread"', isolation);
  }
  if (options.billInitPhase !== undefined && typeof options.billInitPhase !== 'boolean') {
    fail('billInitPhase', 'must be a boolean', options.billInitPhase);
  }
  if (options.workDirectory !== undefined && typeof options.workDirectory !== 'string') {
    fail('workDirectory', 'must be a directory path', options.workDirectory);
  }
  const retention = options.logRetention ?? {};
  if (typeof retention !== 'object' || retention === null) {
    fail('logRetention', 'must be an object', retention);
  }
  rejectUnknownKeys(retention, RETENTION_KEYS, 'logRetention.');
  return {
    region: text('region', options.region, 'us-east-1', /^[a-z]{2}(-[a-z]+)+-\d$/),
    accountId: text('accountId', options.accountId, '123456789012', /^\d{12}$/),
    accountConcurrency,
    minimumUnreservedConcurrency: numberIn(
      'minimumUnreservedConcurrency',
      options.minimumUnreservedConcurrency,
      Math.min(MINIMUM_UNRESERVED_CONCURRENCY, accountConcurrency),
      0,
      accountConcurrency,
      true,
    ),
    warmSeconds: numberIn('warmSeconds', options.warmSeconds, 300, 0, 86_400),
    isolation,
    cpuScaling,
    billInitPhase: options.billInitPhase ?? true,
    faults: {
      seed: numberIn('faults.seed', faults.seed, 1, 0, 2 ** 32 - 1, true),
      throttleRate: rate('throttleRate', 0),
      errorRate: rate('errorRate', 0),
      crashRate: rate('crashRate', 0),
      latencyRate: rate('latencyRate', 1),
      extraLatencyMs: numberIn('faults.extraLatencyMs', faults.extraLatencyMs, 0, 0, 600_000),
    },
    workDirectory: options.workDirectory,
    maxInstances: numberIn(
      'maxInstances',
      options.maxInstances,
      defaultMaxInstances(),
      1,
      10_000,
      true,
    ),
    maxQueuedInvocations: numberIn(
      'maxQueuedInvocations',
      options.maxQueuedInvocations,
      DEFAULT_MAX_QUEUED_INVOCATIONS,
      1,
      1_000_000,
      true,
    ),
    logRetention: {
      maxBytes: numberIn(
        'logRetention.maxBytes',
        retention.maxBytes,
        DEFAULT_LOG_RETENTION_BYTES,
        1_048_576,
        2 ** 40,
        true,
      ),
      maxAgeSeconds:
        retention.maxAgeSeconds === undefined
          ? undefined
          : numberIn(
              'logRetention.maxAgeSeconds',
              retention.maxAgeSeconds,
              0,
              1,
              10 * 365 * 86_400,
            ),
    },
  };
}
