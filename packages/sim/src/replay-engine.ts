import type { BatchRecord, BufferConfiguration, RandomSource } from '@mbs/core';
import { billedDurationOf, createRandom } from '@mbs/core';
import {
  type BufferPolicy,
  createBufferPolicy,
  createClassRouter,
  type Dispatch,
} from '@mbs/policy';
import { errors } from './errors.js';
import { GrowableFloat64Array } from './growable-float64-array.js';
import { InstancePool } from './instance-pool.js';
import { checkReplayOptions } from './replay-options.js';
import type { ReplayOptions, ReplaySummary } from './replay-types.js';
import { type BufferTotals, summarizeReplay, zeroBufferCounters } from './summarize-replay.js';

/** A replay fed one arrival at a time, in time order. */
export interface ReplayEngine {
  /**
   * One arrival: time in seconds (non-decreasing), size, and its class when the source states it
   * (otherwise the class scheme classes the size).
   */
  push(timeSeconds: number, size: number, classId?: number): void;
  /** Arrivals pushed so far. */
  readonly requests: number;
  /** Lets every open batch time out, and returns the summary; the engine takes no more arrivals. */
  finish(): ReplaySummary;
}

interface BufferState extends BufferTotals {
  readonly index: number;
  readonly configuration: BufferConfiguration;
  readonly policy: BufferPolicy<number>;
  // The open batch's requests, in arrival order (a batch never exceeds B).
  readonly times: Float64Array;
  readonly sizes: Float64Array;
  readonly classes: Int32Array;
  // Per (largest class, batch size): service seconds, warm cost and billed ms; NaN until first use.
  readonly serviceSeconds: Float64Array;
  readonly warmCostUsd: Float64Array;
  readonly warmBilledMs: Float64Array;
  readonly pool: InstancePool | undefined;
}

/**
 * Creates a replay engine: arrivals go through the class router and the shared buffer policy
 * (`@mbs/policy`); every dispatched batch runs at once (Lambda scales out) for the profile's time
 * of its largest class and size, plus the init duration when it starts a new instance. A
 * request's latency is its wait in the buffer plus its batch's service (and init) time.
 *
 * @param random the random source of split-class routing; default `createRandom(options.seed)`
 * @example
 * ```ts
 * const engine = createReplayEngine({ system, profile, pricing, classScheme });
 * for (const arrival of arrivals) engine.push(arrival.timeSeconds, arrival.size);
 * const summary = engine.finish();
 * ```
 */
export function createReplayEngine(options: ReplayOptions, random?: RandomSource): ReplayEngine {
  const checked = checkReplayOptions(options);
  const { system, profile, pricing, classScheme, coldStart, onRequest, onBatch } = checked;
  const source = random ?? createRandom(checked.seed);
  const router = createClassRouter(system, () => source.next());
  const classCount = router.classCount;
  const initSeconds = coldStart ? coldStart.initDurationMs / 1000 : 0;
  const buffers: BufferState[] = system.buffers.map((configuration, index) => {
    const cells = classCount * configuration.batchSize;
    return {
      index,
      configuration,
      policy: createBufferPolicy<number>({
        batchSize: configuration.batchSize,
        timeoutSeconds: configuration.timeoutSeconds,
      }),
      times: new Float64Array(configuration.batchSize),
      sizes: new Float64Array(configuration.batchSize),
      classes: new Int32Array(configuration.batchSize),
      serviceSeconds: new Float64Array(cells).fill(Number.NaN),
      warmCostUsd: new Float64Array(cells).fill(Number.NaN),
      warmBilledMs: new Float64Array(cells).fill(Number.NaN),
      pool: coldStart ? new InstancePool(coldStart.keepWarmSeconds) : undefined,
      latencies: new GrowableFloat64Array(),
      ...zeroBufferCounters(),
    };
  });
  const deadlines = new Float64Array(buffers.length).fill(Number.POSITIVE_INFINITY);
  let nextDeadline = Number.POSITIVE_INFINITY;
  let requests = 0;
  let batchSequence = 0;
  let firstArrivalSeconds = Number.NaN;
  let lastArrivalSeconds = Number.NEGATIVE_INFINITY;
  let finished = false;

  const earliestDeadline = (): number => {
    let earliest = Number.POSITIVE_INFINITY;
    for (let index = 0; index < deadlines.length; index++) {
      if (deadlines[index]! < earliest) earliest = deadlines[index]!;
    }
    return earliest;
  };

  const dispatch = (state: BufferState, dispatchSeconds: number, released: Dispatch<number>) => {
    const count = released.items.length;
    const { times, sizes, classes, configuration } = state;
    let largestClass = 0;
    let largestSize = 0;
    let totalSize = 0;
    for (let index = 0; index < count; index++) {
      if (classes[index]! > largestClass) largestClass = classes[index]!;
      if (sizes[index]! > largestSize) largestSize = sizes[index]!;
      totalSize += sizes[index]!;
    }
    const cell = largestClass * configuration.batchSize + count - 1;
    let serviceSeconds = state.serviceSeconds[cell]!;
    if (Number.isNaN(serviceSeconds)) {
      serviceSeconds = profile.serviceTimeSeconds(configuration.memoryMb, largestClass, count);
      const usage = { durationMs: serviceSeconds * 1000, memoryMb: configuration.memoryMb };
      state.serviceSeconds[cell] = serviceSeconds;
      state.warmCostUsd[cell] = pricing.invocationCostUsd(usage);
      state.warmBilledMs[cell] = billedDurationOf(pricing, usage);
    }
    const cold = state.pool?.acquire(dispatchSeconds, serviceSeconds, initSeconds) ?? false;
    let costUsd = state.warmCostUsd[cell]!;
    let billedDurationMs = state.warmBilledMs[cell]!;
    if (cold) {
      const usage = {
        durationMs: serviceSeconds * 1000,
        memoryMb: configuration.memoryMb,
        initDurationMs: coldStart!.initDurationMs,
      };
      costUsd = pricing.invocationCostUsd(usage);
      billedDurationMs = billedDurationOf(pricing, usage);
      state.coldStarts++;
    }
    const completionSeconds = dispatchSeconds + serviceSeconds + (cold ? initSeconds : 0);
    const latencies = state.latencies;
    let sumWaitSeconds = 0;
    for (let index = 0; index < count; index++) {
      latencies.push(completionSeconds - times[index]!);
      sumWaitSeconds += dispatchSeconds - times[index]!;
    }
    state.sumWaitSeconds += sumWaitSeconds;
    state.batches++;
    state.costUsd += costUsd;
    state.realElements += totalSize;
    state.paddedElements += count * largestSize;
    if (released.reason === 'full') state.fullBatches++;
    else state.timeoutBatches++;
    batchSequence++;
    if (onBatch === undefined && onRequest === undefined) return;
    const batchId = `b${batchSequence}`;
    if (onRequest) {
      for (let index = 0; index < count; index++) {
        const arrivalSeconds = times[index]!;
        onRequest({
          requestId: `r${released.items[index]!}`,
          buffer: state.index,
          classId: classes[index]!,
          size: sizes[index]!,
          arrivalSeconds,
          dispatchSeconds,
          completionSeconds,
          waitSeconds: dispatchSeconds - arrivalSeconds,
          latencySeconds: completionSeconds - arrivalSeconds,
          batchId,
          batchSize: count,
        });
      }
    }
    if (onBatch) {
      const record: BatchRecord = {
        batchId,
        buffer: state.index,
        openedSeconds: released.openedSeconds,
        dispatchedSeconds: dispatchSeconds,
        endedSeconds: completionSeconds,
        size: count,
        largestClass,
        paddingShare: largestSize > 0 ? 1 - totalSize / (count * largestSize) : 0,
        durationMs: serviceSeconds * 1000,
        billedDurationMs,
        memoryMb: configuration.memoryMb,
        cold,
        costUsd,
        // A dispatch forced by a configuration change is recorded as a flush, as the runtime does.
        reason: released.reason === 'reconfigure' ? 'flush' : released.reason,
      };
      onBatch(record);
    }
  };

  const fireTimersUpTo = (nowSeconds: number) => {
    for (;;) {
      let earliest = -1;
      let earliestSeconds = Number.POSITIVE_INFINITY;
      for (let index = 0; index < deadlines.length; index++) {
        if (deadlines[index]! < earliestSeconds) {
          earliest = index;
          earliestSeconds = deadlines[index]!;
        }
      }
      if (earliestSeconds > nowSeconds) break;
      if (earliest < 0) break;
      const state = buffers[earliest]!;
      const deadline = deadlines[earliest]!;
      const decision = state.policy.onTimer(deadline);
      if (!decision.dispatch) {
        throw errors.error(
          'INTERNAL',
          `buffer ${earliest}: the policy did not dispatch at its own deadline ${deadline}`,
        );
      }
      dispatch(state, deadline, decision.dispatch);
      deadlines[earliest] = decision.deadlineSeconds ?? Number.POSITIVE_INFINITY;
    }
    nextDeadline = earliestDeadline();
  };

  return {
    push(timeSeconds, size, classId) {
      if (finished) {
        throw errors.error('CLOSED', 'the replay is finished; it takes no more arrivals');
      }
      if (!(timeSeconds >= lastArrivalSeconds) || !Number.isFinite(timeSeconds)) {
        throw errors.error(
          'TRACE_ORDER',
          `arrival ${requests}: time ${timeSeconds} s comes before ${lastArrivalSeconds} s or is not finite; arrivals must be in time order (sort the trace)`,
          { details: { arrival: requests, timeSeconds } },
        );
      }
      if (!(size >= 0) || !Number.isFinite(size)) {
        throw errors.error(
          'TRACE_PARSE',
          `arrival ${requests}: size ${size} must be a finite number >= 0`,
          { details: { arrival: requests, size } },
        );
      }
      let classOf = classId;
      if (classOf === undefined) {
        if (classScheme === undefined) {
          throw errors.error(
            'OPTION_INVALID',
            `arrival ${requests} has no class id and no classScheme was given; give one to class sizes`,
          );
        }
        classOf = classScheme.classOf(size);
      } else if (!(Number.isInteger(classOf) && classOf >= 0 && classOf < classCount)) {
        throw errors.error(
          'TRACE_PARSE',
          `arrival ${requests}: class ${classOf} is outside 0..${classCount - 1} of the system`,
          { details: { arrival: requests, classId: classOf } },
        );
      }
      if (requests === 0) firstArrivalSeconds = timeSeconds;
      lastArrivalSeconds = timeSeconds;
      if (timeSeconds >= nextDeadline) fireTimersUpTo(timeSeconds);
      const bufferIndex = router.bufferOf(classOf);
      const state = buffers[bufferIndex]!;
      const slot = state.policy.pending();
      state.times[slot] = timeSeconds;
      state.sizes[slot] = size;
      state.classes[slot] = classOf;
      const decision = state.policy.onArrival(timeSeconds, requests++);
      if (decision.dispatch) {
        dispatch(state, timeSeconds, decision.dispatch);
        const previous = deadlines[bufferIndex]!;
        deadlines[bufferIndex] = Number.POSITIVE_INFINITY;
        if (previous === nextDeadline) nextDeadline = earliestDeadline();
      } else if (decision.deadlineSeconds !== undefined) {
        deadlines[bufferIndex] = decision.deadlineSeconds;
        if (decision.deadlineSeconds < nextDeadline) nextDeadline = decision.deadlineSeconds;
      }
    },
    get requests() {
      return requests;
    },
    finish() {
      if (!finished) fireTimersUpTo(Number.POSITIVE_INFINITY);
      finished = true;
      return summarizeReplay(buffers, checked.percentiles, firstArrivalSeconds, lastArrivalSeconds);
    },
  };
}
