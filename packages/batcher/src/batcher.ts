import type {
  BatchEvent,
  BatchRecord,
  BufferConfiguration,
  ClassScheme,
  ConfigurationWindow,
  InvocationResult,
  ItemResult,
  RequestRecord,
  SystemConfiguration,
} from '@mbs/core';
import { isMbsError, MbsError } from '@mbs/core';
// Dispatch decisions come only from the shared state machine the replay uses too, so the runtime
// and the replay cannot disagree on when a batch leaves.
import type { BufferPolicy, Decision, Dispatch } from '@mbs/policy';
import { createBufferPolicy, createClassRouter } from '@mbs/policy';
import type { BatcherClock } from './clock.js';
import { createSystemClock } from './clock.js';
import type { BatcherConfiguration } from './configuration-input.js';
import { normalizeConfiguration } from './configuration-input.js';
import type { BatcherOptions } from './options.js';
import { resolveBatcherOptions } from './options.js';
import { invocationBilling, paddingShare } from './records.js';
import { isRetryableError, retryDelaySeconds } from './retry.js';
import { createSeededRandom } from './seeded-random.js';
import type { BatcherStats, BufferStats } from './stats.js';

/** One request handed to {@link Batcher.submit}. */
export interface SubmitRequest {
  /** Unique among pending requests; sent to the function and used in records. Default: generated. */
  readonly id?: string;
  /** Request size in the configuration's size unit; picks the class. Finite and >= 0. */
  readonly size: number;
  /** The function's input for this request. */
  readonly input: unknown;
  /** Size class, when known; overrides the class from `size`. */
  readonly classId?: number;
}

/** A running multi-buffer batcher. */
export interface Batcher {
  /**
   * Routes a request to its buffer and resolves with the function's output for it. Rejects with
   * MbsError FUNCTION_ERROR, THROTTLED or PROVIDER_ERROR when it could not be served, at once with
   * BACKPRESSURE when its buffer is full, and with CLOSED after {@link Batcher.close}.
   */
  submit(request: SubmitRequest): Promise<unknown>;
  /** Dispatches every open batch now (reason `flush`). */
  flush(): void;
  /**
   * Applies a new configuration without losing or duplicating requests: open batches are
   * migrated or dispatched as the shared policy decides, in-flight invocations finish normally.
   * A bare system keeps the current class edges.
   */
  reconfigure(config: BatcherConfiguration | SystemConfiguration): void;
  /** Counts of requests and invocations, in total and per current buffer. */
  stats(): BatcherStats;
  /** Flushes every open batch and resolves when every invocation has finished. Idempotent. */
  close(): Promise<void>;
}

interface PendingRequest {
  readonly id: string;
  readonly size: number;
  readonly classId: number;
  readonly input: unknown;
  readonly arrivalSeconds: number;
  readonly slot: BufferSlot;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: unknown) => void;
  settled: boolean;
}

interface DispatchedBatch {
  readonly id: string;
  readonly slot: BufferSlot;
  readonly items: readonly PendingRequest[];
  readonly openedSeconds: number;
  readonly dispatchedSeconds: number;
  readonly reason: BatchRecord['reason'];
  readonly functionName: string;
  readonly memoryMb: number;
  attempts: number;
}

interface BufferSlot {
  readonly index: number;
  configuration: BufferConfiguration;
  functionName: string;
  readonly policy: BufferPolicy<PendingRequest>;
  readonly onTimer: () => void;
  timer: unknown;
  armedDeadlineSeconds: number | undefined;
  readonly queue: DispatchedBatch[];
  queuedRequests: number;
  inFlightInvocations: number;
  inFlightRequests: number;
  submitted: number;
  resolved: number;
  rejected: number;
  rejectedAtSubmit: number;
  batchesDispatched: number;
  retired: boolean;
}

const isSystemConfiguration = (value: unknown): value is SystemConfiguration =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as { buffers?: unknown }).buffers) &&
  (value as { schema?: unknown }).schema === undefined;

/**
 * Creates a multi-buffer batcher: requests are routed by size class to buffers, each buffer
 * sends a batch to its function when the shared policy (`@mbs/policy`) says so (B requests or T
 * seconds after the first), and each request's promise settles with its own result.
 *
 * @example
 * ```ts
 * const batcher = createBatcher({ config: parseConfigurationDocument(json, 'config.json'), provider });
 * const output = await batcher.submit({ size: 512, input: tensor });
 * await batcher.close();
 * ```
 */
export function createBatcher(options: BatcherOptions): Batcher {
  const resolved = resolveBatcherOptions(options);
  const { limits, retry } = resolved;
  const {
    provider,
    pricing,
    onRequestRecord,
    onBatchRecord,
    functionNames,
    functionNamePrefix = 'mbs-buffer',
    followSchedule = false,
    schedulePeriodSeconds,
  } = resolved.options;
  const clock: BatcherClock = resolved.options.clock ?? createSystemClock();
  const seed = resolved.options.seed;
  const routingRandom =
    resolved.options.random ?? (seed === undefined ? Math.random : createSeededRandom(seed));
  const jitterRandom =
    resolved.options.random ??
    (seed === undefined ? Math.random : createSeededRandom(seed ^ 0x5bd1e995));
  const scheduleOriginSeconds = resolved.options.scheduleOriginSeconds ?? clock.now();

  let configuration = normalizeConfiguration(options.config, 'options.config');
  let scheme: ClassScheme = configuration.scheme;
  let slots: BufferSlot[] = [];
  let route: (classId: number) => number = () => 0;
  const retiredSlots = new Set<BufferSlot>();
  const activeRequests = new Map<string, PendingRequest>();
  let windowIndex = -1;
  let scheduleTimer: unknown;

  let requestSequence = 0;
  let batchSequence = 0;
  let submitted = 0;
  let resolvedCount = 0;
  let rejectedCount = 0;
  let rejectedAtSubmit = 0;
  let inFlightInvocations = 0;
  let batchesDispatched = 0;
  let batchesCompleted = 0;
  let retries = 0;
  let unmatchedResults = 0;
  let doubleSettlements = 0;
  let callbackErrors = 0;
  let configurationChanges = 0;
  let closing = false;
  let closed: Promise<void> | undefined;
  let resolveDrained: (() => void) | undefined;

  const functionNameOf = (buffer: BufferConfiguration, index: number): string => {
    if (typeof functionNames === 'function') return functionNames(buffer, index);
    if (functionNames !== undefined) {
      const name = functionNames[index];
      if (name === undefined) {
        throw new MbsError(
          'OPTION_INVALID',
          `[@mbs/batcher] functionNames has ${functionNames.length} names; the configuration has a buffer ${index}, so at least ${index + 1} are needed`,
          { details: { option: 'functionNames', bufferIndex: index } },
        );
      }
      return name;
    }
    return buffer.functionName ?? `${functionNamePrefix}-${index}`;
  };

  const createSlot = (buffer: BufferConfiguration, index: number): BufferSlot => {
    const slot: BufferSlot = {
      index,
      configuration: buffer,
      functionName: functionNameOf(buffer, index),
      policy: createBufferPolicy<PendingRequest>({
        batchSize: buffer.batchSize,
        timeoutSeconds: buffer.timeoutSeconds,
      }),
      onTimer: () => {
        slot.timer = undefined;
        slot.armedDeadlineSeconds = undefined;
        applyDecision(slot, slot.policy.onTimer(clock.now()));
      },
      timer: undefined,
      armedDeadlineSeconds: undefined,
      queue: [],
      queuedRequests: 0,
      inFlightInvocations: 0,
      inFlightRequests: 0,
      submitted: 0,
      resolved: 0,
      rejected: 0,
      rejectedAtSubmit: 0,
      batchesDispatched: 0,
      retired: false,
    };
    return slot;
  };

  const callback = <Record>(handler: ((record: Record) => void) | undefined, record: Record) => {
    if (handler === undefined) return;
    try {
      handler(record);
    } catch {
      // A failing record sink must not break serving; the count shows in stats().
      callbackErrors++;
    }
  };

  // ---- timers -------------------------------------------------------------------------------

  const syncTimer = (slot: BufferSlot): void => {
    const deadline = slot.policy.deadlineSeconds();
    if (deadline === slot.armedDeadlineSeconds) return;
    if (slot.timer !== undefined) clock.clearTimer(slot.timer);
    slot.timer = undefined;
    slot.armedDeadlineSeconds = deadline;
    if (deadline !== undefined) slot.timer = clock.setTimer(deadline, slot.onTimer);
  };

  const stopTimer = (slot: BufferSlot): void => {
    if (slot.timer !== undefined) clock.clearTimer(slot.timer);
    slot.timer = undefined;
    slot.armedDeadlineSeconds = undefined;
  };

  // ---- settling -----------------------------------------------------------------------------

  const settle = (
    request: PendingRequest,
    batch: DispatchedBatch,
    completionSeconds: number,
    error: MbsError | undefined,
    output?: unknown,
  ): void => {
    if (request.settled) {
      // Cannot happen by construction; counted so tests can assert it stays zero.
      doubleSettlements++;
      return;
    }
    request.settled = true;
    activeRequests.delete(request.id);
    const slot = request.slot;
    if (error === undefined) {
      resolvedCount++;
      slot.resolved++;
      request.resolve(output);
    } else {
      rejectedCount++;
      slot.rejected++;
      request.reject(error);
    }
    if (onRequestRecord === undefined) return;
    const record: RequestRecord = {
      requestId: request.id,
      buffer: slot.index,
      classId: request.classId,
      size: request.size,
      arrivalSeconds: request.arrivalSeconds,
      dispatchSeconds: batch.dispatchedSeconds,
      completionSeconds,
      waitSeconds: batch.dispatchedSeconds - request.arrivalSeconds,
      latencySeconds: completionSeconds - request.arrivalSeconds,
      batchId: batch.id,
      batchSize: batch.items.length,
    };
    callback(
      onRequestRecord,
      error === undefined
        ? record
        : { ...record, error: { code: error.code, message: error.message } },
    );
  };

  const emitBatchRecord = (
    batch: DispatchedBatch,
    endedSeconds: number,
    result: InvocationResult | undefined,
    error: MbsError | undefined,
  ): void => {
    if (onBatchRecord === undefined) return;
    let largestClass = 0;
    const sizes = batch.items.map((item) => {
      if (item.classId > largestClass) largestClass = item.classId;
      return item.size;
    });
    const { invocationId, ...billing } = invocationBilling(result?.record, batch.memoryMb, pricing);
    const record: BatchRecord = {
      batchId: batch.id,
      buffer: batch.slot.index,
      openedSeconds: batch.openedSeconds,
      dispatchedSeconds: batch.dispatchedSeconds,
      endedSeconds,
      size: batch.items.length,
      largestClass,
      paddingShare: paddingShare(sizes),
      ...billing,
      reason: batch.reason,
      ...(invocationId === undefined ? {} : { invocationId }),
      ...(error === undefined ? {} : { error: { code: error.code, message: error.message } }),
    };
    callback(onBatchRecord, record);
  };

  const completeBatch = (batch: DispatchedBatch, result: InvocationResult): void => {
    const now = clock.now();
    const record = result.record;
    const items = batch.items;
    if (record.error !== undefined) {
      const error = new MbsError(
        'FUNCTION_ERROR',
        `[@mbs/batcher] function ${batch.functionName} failed on batch ${batch.id} (${items.length} requests): ${record.error.type}: ${record.error.message}`,
        {
          details: {
            functionName: batch.functionName,
            batchId: batch.id,
            invocationId: record.requestId,
            errorType: record.error.type,
            errorMessage: record.error.message,
            attempts: batch.attempts,
          },
        },
      );
      for (const item of items) settle(item, batch, now, error);
      emitBatchRecord(batch, now, result, error);
      return;
    }
    const results = result.results;
    let byId: Map<string, ItemResult> | undefined;
    let matched = 0;
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      // Results come in batch order; the map is only built when a provider reorders them.
      let itemResult = results[index];
      if (itemResult?.id !== item.id) {
        byId ??= new Map(results.map((candidate) => [candidate.id, candidate]));
        itemResult = byId.get(item.id);
      }
      if (itemResult === undefined) {
        settle(
          item,
          batch,
          now,
          new MbsError(
            'FUNCTION_ERROR',
            `[@mbs/batcher] function ${batch.functionName} returned no result for request ${item.id} of batch ${batch.id}; each request needs one result with its id`,
            {
              details: {
                functionName: batch.functionName,
                batchId: batch.id,
                requestId: item.id,
                invocationId: record.requestId,
                missingResult: true,
              },
            },
          ),
        );
        continue;
      }
      matched++;
      if (itemResult.ok) {
        settle(item, batch, now, undefined, itemResult.output);
      } else {
        settle(
          item,
          batch,
          now,
          new MbsError(
            'FUNCTION_ERROR',
            `[@mbs/batcher] function ${batch.functionName} failed on request ${item.id} of batch ${batch.id}: ${itemResult.error.code}: ${itemResult.error.message}`,
            {
              details: {
                functionName: batch.functionName,
                batchId: batch.id,
                requestId: item.id,
                invocationId: record.requestId,
                itemError: itemResult.error,
              },
            },
          ),
        );
      }
    }
    unmatchedResults += results.length - matched;
    emitBatchRecord(batch, now, result, undefined);
  };

  const failBatch = (batch: DispatchedBatch, cause: unknown): void => {
    const now = clock.now();
    const code = isMbsError(cause) && cause.code === 'THROTTLED' ? 'THROTTLED' : 'PROVIDER_ERROR';
    const reason = cause instanceof Error ? cause.message : `a non-error value: ${String(cause)}`;
    const error = new MbsError(
      code,
      `[@mbs/batcher] batch ${batch.id} (${batch.items.length} requests) to ${batch.functionName} failed after ${batch.attempts} attempt(s): ${reason}`,
      {
        details: {
          ...(isMbsError(cause) ? cause.details : {}),
          functionName: batch.functionName,
          batchId: batch.id,
          attempts: batch.attempts,
        },
        cause,
      },
    );
    for (const item of batch.items) settle(item, batch, now, error);
    emitBatchRecord(batch, now, undefined, error);
  };

  const isInvocationResult = (value: unknown): value is InvocationResult => {
    const candidate = value as Partial<InvocationResult> | null | undefined;
    return (
      typeof candidate === 'object' &&
      candidate !== null &&
      Array.isArray(candidate.results) &&
      typeof candidate.record === 'object' &&
      candidate.record !== null
    );
  };

  // ---- invocations --------------------------------------------------------------------------

  const sleep = (seconds: number) =>
    new Promise<void>((resolve) => {
      clock.setTimer(clock.now() + seconds, resolve);
    });

  const runBatch = async (batch: DispatchedBatch): Promise<void> => {
    const event: BatchEvent = {
      batchId: batch.id,
      requests: batch.items.map((item) => ({ id: item.id, input: item.input })),
    };
    try {
      for (;;) {
        batch.attempts++;
        let result: unknown;
        try {
          result = await provider.invoke(batch.functionName, event);
        } catch (error) {
          if (isRetryableError(error) && batch.attempts < retry.maxAttempts) {
            retries++;
            await sleep(retryDelaySeconds(batch.attempts, retry, jitterRandom));
            continue;
          }
          failBatch(batch, error);
          return;
        }
        if (isInvocationResult(result)) completeBatch(batch, result);
        else {
          failBatch(
            batch,
            new MbsError(
              'PROVIDER_ERROR',
              `[@mbs/batcher] provider ${provider.name} resolved invoke() without { results, record }`,
              { details: { retryable: false } },
            ),
          );
        }
        return;
      }
    } catch (bug) {
      // Whatever went wrong, every request of the batch still gets an answer.
      const error = new MbsError(
        'INTERNAL',
        `[@mbs/batcher] batch ${batch.id} could not be completed: ${String(bug)}`,
        { cause: bug },
      );
      const now = clock.now();
      for (const item of batch.items) if (!item.settled) settle(item, batch, now, error);
    } finally {
      finishInvocation(batch);
    }
  };

  const canStart = (slot: BufferSlot) =>
    slot.inFlightInvocations < limits.maxInFlightPerBuffer &&
    inFlightInvocations < limits.maxInFlightTotal;

  const start = (batch: DispatchedBatch): void => {
    const slot = batch.slot;
    slot.inFlightInvocations++;
    slot.inFlightRequests += batch.items.length;
    inFlightInvocations++;
    void runBatch(batch);
  };

  const finishInvocation = (batch: DispatchedBatch): void => {
    const slot = batch.slot;
    slot.inFlightInvocations--;
    slot.inFlightRequests -= batch.items.length;
    inFlightInvocations--;
    batchesCompleted++;
    startQueuedBatches();
    if (slot.retired && isIdle(slot)) retiredSlots.delete(slot);
    checkDrained();
  };

  /** Starts queued batches while limits allow, oldest dispatch first across buffers. */
  const startQueuedBatches = (): void => {
    while (inFlightInvocations < limits.maxInFlightTotal) {
      let next: BufferSlot | undefined;
      for (const slot of allSlots()) {
        const head = slot.queue[0];
        if (head === undefined || slot.inFlightInvocations >= limits.maxInFlightPerBuffer) continue;
        if (next === undefined || head.dispatchedSeconds < next.queue[0]!.dispatchedSeconds) {
          next = slot;
        }
      }
      if (next === undefined) return;
      const batch = next.queue.shift()!;
      next.queuedRequests -= batch.items.length;
      start(batch);
    }
  };

  function* allSlots(): Generator<BufferSlot> {
    yield* slots;
    yield* retiredSlots;
  }

  const dispatch = (slot: BufferSlot, released: Dispatch<PendingRequest>): void => {
    if (released.items.length === 0) return;
    const batch: DispatchedBatch = {
      id: `b${++batchSequence}`,
      slot,
      items: released.items,
      openedSeconds: released.openedSeconds,
      dispatchedSeconds: clock.now(),
      // Batch records know full, timeout and flush; a dispatch forced by a configuration change
      // is a flush.
      reason: released.reason === 'reconfigure' ? 'flush' : released.reason,
      functionName: slot.functionName,
      memoryMb: slot.configuration.memoryMb,
      attempts: 0,
    };
    batchesDispatched++;
    slot.batchesDispatched++;
    if (slot.queue.length === 0 && canStart(slot)) start(batch);
    else {
      slot.queue.push(batch);
      slot.queuedRequests += batch.items.length;
    }
  };

  const applyDecision = (slot: BufferSlot, decision: Decision<PendingRequest>): void => {
    if (decision.dispatch !== undefined) dispatch(slot, decision.dispatch);
    syncTimer(slot);
  };

  const isIdle = (slot: BufferSlot) =>
    slot.policy.pending() === 0 && slot.queue.length === 0 && slot.inFlightInvocations === 0;

  const checkDrained = (): void => {
    if (!closing || resolveDrained === undefined) return;
    for (const slot of allSlots()) if (!isIdle(slot)) return;
    resolveDrained();
    resolveDrained = undefined;
  };

  // ---- configuration ------------------------------------------------------------------------

  const applySystem = (system: SystemConfiguration): void => {
    const nextRouter = createClassRouter(system, routingRandom);
    const names = system.buffers.map(functionNameOf);
    const now = clock.now();
    if (slots.length === system.buffers.length) {
      // Same buffers: each open batch stays and the policy decides whether it leaves now.
      system.buffers.forEach((buffer, index) => {
        const slot = slots[index]!;
        slot.configuration = buffer;
        slot.functionName = names[index]!;
        applyDecision(
          slot,
          slot.policy.reconfigure(
            { batchSize: buffer.batchSize, timeoutSeconds: buffer.timeoutSeconds },
            now,
          ),
        );
      });
    } else {
      // Different buffers: open batches leave now under the old configuration.
      for (const slot of slots) {
        applyDecision(slot, slot.policy.flush(now));
        stopTimer(slot);
        slot.retired = true;
        if (!isIdle(slot)) retiredSlots.add(slot);
      }
      slots = system.buffers.map(createSlot);
    }
    route = nextRouter.route;
    configurationChanges++;
  };

  const windowTimeSeconds = (now: number): number => {
    const elapsed = now - scheduleOriginSeconds;
    if (schedulePeriodSeconds === undefined) return elapsed;
    return ((elapsed % schedulePeriodSeconds) + schedulePeriodSeconds) % schedulePeriodSeconds;
  };

  const activeWindowIndex = (windows: readonly ConfigurationWindow[], now: number): number => {
    const time = windowTimeSeconds(now);
    let index = 0;
    for (let candidate = 1; candidate < windows.length; candidate++) {
      if (windows[candidate]!.startSeconds <= time) index = candidate;
    }
    return index;
  };

  /** Clock time of the next window start after `now`, or undefined if none comes. */
  const nextSwitchSeconds = (windows: readonly ConfigurationWindow[], now: number) => {
    const time = windowTimeSeconds(now);
    const base = now - time;
    const later = windows.find((window) => window.startSeconds > time);
    if (later !== undefined) return base + later.startSeconds;
    if (schedulePeriodSeconds === undefined || windows.length < 2) return undefined;
    return base + schedulePeriodSeconds + windows[0]!.startSeconds;
  };

  const followWindows = (): void => {
    if (scheduleTimer !== undefined) clock.clearTimer(scheduleTimer);
    scheduleTimer = undefined;
    if (closing) return;
    const now = clock.now();
    const windows = configuration.windows;
    const index = followSchedule ? activeWindowIndex(windows, now) : 0;
    if (index !== windowIndex) {
      windowIndex = index;
      applySystem(windows[index]!.system);
    }
    if (!followSchedule) return;
    const next = nextSwitchSeconds(windows, now);
    if (next !== undefined) {
      // The schedule alone must not keep a process alive.
      scheduleTimer = clock.setTimer(next, followWindows, { keepAlive: false });
    }
  };

  followWindows();

  // ---- public API ---------------------------------------------------------------------------

  const refuse = (error: MbsError): Promise<never> => {
    rejectedCount++;
    rejectedAtSubmit++;
    return Promise.reject(error);
  };

  const invalidRequest = (problem: string, value: unknown): Promise<never> =>
    refuse(
      new MbsError(
        'OPTION_INVALID',
        `[@mbs/batcher] submit: ${problem}; got ${JSON.stringify(value)}`,
        {
          details: { value },
        },
      ),
    );

  const submit = (request: SubmitRequest): Promise<unknown> => {
    submitted++;
    if (closing) {
      return refuse(
        new MbsError(
          'CLOSED',
          '[@mbs/batcher] submit after close(); create a new batcher to serve more requests',
        ),
      );
    }
    if (typeof request !== 'object' || request === null) {
      return invalidRequest(
        'the request must be an object { size, input, id?, classId? }',
        request,
      );
    }
    const { size, classId: givenClass, id: givenId } = request;
    if (typeof size !== 'number' || !Number.isFinite(size) || size < 0) {
      return invalidRequest('size must be a finite number >= 0', size);
    }
    if (
      givenClass !== undefined &&
      !(Number.isInteger(givenClass) && givenClass >= 0 && givenClass < scheme.count)
    ) {
      return invalidRequest(`classId must be an integer in 0..${scheme.count - 1}`, givenClass);
    }
    const classId = givenClass ?? scheme.classOf(size);
    const slot = slots[route(classId)]!;
    slot.submitted++;
    const pending = slot.policy.pending() + slot.queuedRequests;
    if (pending >= limits.maxPendingPerBuffer) {
      slot.rejectedAtSubmit++;
      slot.rejected++;
      const saturated =
        slot.inFlightInvocations >= limits.maxInFlightPerBuffer
          ? `; its ${slot.inFlightInvocations} invocations in flight are at limits.maxInFlightPerBuffer = ${limits.maxInFlightPerBuffer}`
          : inFlightInvocations >= limits.maxInFlightTotal
            ? `; ${inFlightInvocations} invocations in flight are at limits.maxInFlightTotal = ${limits.maxInFlightTotal}`
            : '';
      return refuse(
        new MbsError(
          'BACKPRESSURE',
          `[@mbs/batcher] buffer ${slot.index} holds ${pending} pending requests, at limits.maxPendingPerBuffer = ${limits.maxPendingPerBuffer}${saturated}; retry later or raise the limit`,
          {
            details: {
              limit: 'maxPendingPerBuffer',
              value: limits.maxPendingPerBuffer,
              buffer: slot.index,
              pending,
              inFlightInvocations: slot.inFlightInvocations,
              inFlightInvocationsTotal: inFlightInvocations,
            },
          },
        ),
      );
    }
    let id: string;
    if (givenId === undefined) {
      do id = `r${++requestSequence}`;
      while (activeRequests.has(id));
    } else if (typeof givenId !== 'string' || givenId.length === 0) {
      slot.rejectedAtSubmit++;
      slot.rejected++;
      return invalidRequest('id must be a non-empty string', givenId);
    } else if (activeRequests.has(givenId)) {
      slot.rejectedAtSubmit++;
      slot.rejected++;
      return invalidRequest(
        'id is already pending; ids must be unique among pending requests',
        givenId,
      );
    } else id = givenId;

    let resolveRequest!: (output: unknown) => void;
    let rejectRequest!: (error: unknown) => void;
    const promise = new Promise<unknown>((resolvePromise, rejectPromise) => {
      resolveRequest = resolvePromise;
      rejectRequest = rejectPromise;
    });
    const pendingRequest: PendingRequest = {
      id,
      size,
      classId,
      input: request.input,
      arrivalSeconds: clock.now(),
      slot,
      resolve: resolveRequest,
      reject: rejectRequest,
      settled: false,
    };
    activeRequests.set(id, pendingRequest);
    applyDecision(slot, slot.policy.onArrival(pendingRequest.arrivalSeconds, pendingRequest));
    return promise;
  };

  const flushAll = (): void => {
    const now = clock.now();
    for (const slot of slots) applyDecision(slot, slot.policy.flush(now));
  };

  const slotStats = (slot: BufferSlot): BufferStats => {
    const open = slot.policy.pending();
    return {
      buffer: slot.index,
      functionName: slot.functionName,
      batchSize: slot.configuration.batchSize,
      timeoutSeconds: slot.configuration.timeoutSeconds,
      memoryMb: slot.configuration.memoryMb,
      submitted: slot.submitted,
      resolved: slot.resolved,
      rejected: slot.rejected,
      rejectedAtSubmit: slot.rejectedAtSubmit,
      openRequests: open,
      queuedBatches: slot.queue.length,
      queuedRequests: slot.queuedRequests,
      pending: open + slot.queuedRequests,
      inFlightInvocations: slot.inFlightInvocations,
      inFlightRequests: slot.inFlightRequests,
      batchesDispatched: slot.batchesDispatched,
    };
  };

  return {
    submit,
    flush() {
      if (!closing) flushAll();
    },
    reconfigure(config) {
      if (closing) {
        throw new MbsError(
          'CLOSED',
          '[@mbs/batcher] reconfigure after close(); the batcher no longer serves',
        );
      }
      const next = isSystemConfiguration(config)
        ? normalizeConfiguration(
            { classUpperEdges: scheme.upperEdges, system: config },
            'reconfigure(system)',
          )
        : normalizeConfiguration(config, 'reconfigure(config)');
      configuration = next;
      scheme = next.scheme;
      windowIndex = -1;
      followWindows();
    },
    stats(): BatcherStats {
      let pending = 0;
      let queuedBatches = 0;
      let inFlightRequests = 0;
      for (const slot of allSlots()) {
        pending += slot.policy.pending() + slot.queuedRequests;
        queuedBatches += slot.queue.length;
        inFlightRequests += slot.inFlightRequests;
      }
      return {
        submitted,
        resolved: resolvedCount,
        rejected: rejectedCount,
        rejectedAtSubmit,
        pending,
        inFlightRequests,
        inFlightInvocations,
        queuedBatches,
        batchesDispatched,
        batchesCompleted,
        retries,
        unmatchedResults,
        doubleSettlements,
        callbackErrors,
        configurationChanges,
        retiredBuffers: retiredSlots.size,
        closed: closing,
        buffers: slots.map(slotStats),
      };
    },
    close() {
      if (closed !== undefined) return closed;
      closing = true;
      if (scheduleTimer !== undefined) clock.clearTimer(scheduleTimer);
      scheduleTimer = undefined;
      flushAll();
      closed = new Promise<void>((resolve) => {
        resolveDrained = resolve;
      });
      checkDrained();
      return closed;
    },
  };
}
