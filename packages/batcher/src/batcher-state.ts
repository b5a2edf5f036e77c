import type {
  BatchRecord,
  ClassScheme,
  IdTable,
  PricingModel,
  Provider,
  RequestRecord,
} from '@mbs/core';
import { createIdTable, createRandom, DEFAULT_FUNCTION_NAME_PREFIX } from '@mbs/core';
import type { BufferSlot, PendingRequest } from './buffer-slot.js';
import type { BatcherClock } from './clock.js';
import { createSystemClock } from './clock.js';
import type { NormalizedConfiguration } from './configuration-input.js';
import { normalizeConfiguration } from './configuration-input.js';
import { createFunctionNamer } from './function-names.js';
import type { BatcherOptions, FunctionNamer, ResolvedLimits } from './options.js';
import { resolveBatcherOptions } from './options.js';
import type { ResolvedRetryOptions } from './retry.js';

/**
 * Everything one batcher knows and counts, shared by the modules that route, dispatch, settle
 * and reconfigure. The counts are the batcher-wide ones of `BatcherStats`; each buffer's
 * own counts live in its {@link BufferSlot}.
 */
export interface BatcherState {
  readonly clock: BatcherClock;
  readonly limits: ResolvedLimits;
  readonly retry: ResolvedRetryOptions;
  /** Longest wait for one invocation, in seconds (Infinity: no limit). */
  readonly invocationTimeoutSeconds: number;
  readonly provider: Provider;
  readonly pricing: PricingModel | undefined;
  readonly onRequestRecord: ((record: RequestRecord) => void) | undefined;
  readonly onBatchRecord: ((record: BatchRecord) => void) | undefined;
  readonly functionNameOf: FunctionNamer;
  readonly followSchedule: boolean;
  readonly schedulePeriodSeconds: number | undefined;
  /** Clock time of window time 0, in seconds. */
  readonly scheduleOriginSeconds: number;
  /** Picks the buffer of a class that several buffers share. */
  readonly routingRandom: () => number;
  /** Spreads retry backoffs. */
  readonly jitterRandom: () => number;

  configuration: NormalizedConfiguration;
  scheme: ClassScheme;
  /** Buffers of the current configuration, by index. */
  slots: BufferSlot[];
  /** Buffer index of a class under the current configuration. */
  route: (classId: number) => number;
  /** Buffers of earlier configurations that still have work, until they are idle. */
  readonly retiredSlots: Set<BufferSlot>;
  /** Index of the applied window of `configuration`; -1 until one is applied. */
  windowIndex: number;
  scheduleTimer: unknown;

  /**
   * Requests not yet settled, by id, so ids stay unique among them. An IdTable, not a Map: a Map
   * churned per request keeps settled requests alive through scavenges (see `createIdTable`).
   */
  readonly activeRequests: IdTable<PendingRequest>;
  requestSequence: number;
  batchSequence: number;

  submitted: number;
  resolved: number;
  rejected: number;
  rejectedAtSubmit: number;
  cancelled: number;
  inFlightInvocations: number;
  batchesDispatched: number;
  batchesCompleted: number;
  retries: number;
  unmatchedResults: number;
  doubleSettlements: number;
  callbackErrors: number;
  configurationChanges: number;

  closing: boolean;
  /** Resolves the promise of close() once every buffer is idle. */
  resolveDrained: (() => void) | undefined;
}

/**
 * Checks the options and the configuration and returns the state of a batcher with no
 * configuration applied yet (no buffers); throws MbsError OPTION_INVALID or a configuration error.
 */
export function createBatcherState(options: BatcherOptions): BatcherState {
  const resolved = resolveBatcherOptions(options);
  const {
    functionNames,
    functionNamePrefix = DEFAULT_FUNCTION_NAME_PREFIX,
    followSchedule = false,
    seed,
  } = resolved.options;
  const clock: BatcherClock = resolved.options.clock ?? createSystemClock();
  const seeded = (streamSeed: number) => {
    const source = createRandom(streamSeed);
    return () => source.next();
  };
  // Two streams, so that retries do not shift the routing of later requests.
  const routingRandom =
    resolved.options.random ?? (seed === undefined ? Math.random : seeded(seed));
  const jitterRandom =
    resolved.options.random ?? (seed === undefined ? Math.random : seeded(seed ^ 0x5bd1e995));
  const scheduleOriginSeconds = resolved.options.scheduleOriginSeconds ?? clock.now();
  const configuration = normalizeConfiguration(options.config, 'options.config');
  return {
    clock,
    limits: resolved.limits,
    retry: resolved.retry,
    invocationTimeoutSeconds: resolved.invocationTimeoutSeconds,
    provider: resolved.options.provider,
    pricing: resolved.options.pricing,
    onRequestRecord: resolved.options.onRequestRecord,
    onBatchRecord: resolved.options.onBatchRecord,
    functionNameOf: createFunctionNamer(functionNames, functionNamePrefix),
    followSchedule,
    schedulePeriodSeconds: resolved.options.schedulePeriodSeconds,
    scheduleOriginSeconds,
    routingRandom,
    jitterRandom,
    configuration,
    scheme: configuration.scheme,
    slots: [],
    route: () => 0,
    retiredSlots: new Set<BufferSlot>(),
    windowIndex: -1,
    scheduleTimer: undefined,
    activeRequests: createIdTable<PendingRequest>(),
    requestSequence: 0,
    batchSequence: 0,
    submitted: 0,
    resolved: 0,
    rejected: 0,
    rejectedAtSubmit: 0,
    cancelled: 0,
    inFlightInvocations: 0,
    batchesDispatched: 0,
    batchesCompleted: 0,
    retries: 0,
    unmatchedResults: 0,
    doubleSettlements: 0,
    callbackErrors: 0,
    configurationChanges: 0,
    closing: false,
    resolveDrained: undefined,
  };
}

/** Every buffer that may hold work: the current ones, then the retired ones. */
export function* allSlots(state: BatcherState): Generator<BufferSlot> {
  yield* state.slots;
  yield* state.retiredSlots;
}
