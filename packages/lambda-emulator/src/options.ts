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
] as const;
const FAULT_KEYS = [
  'seed',
  'throttleRate',
  'errorRate',
  'crashRate',
  'extraLatencyMs',
  'latencyRate',
] as const;
const CPU_KEYS = ['referenceVcpu', 'minimumScale'] as const;

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
    cpuScaling = {
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
  };
}
