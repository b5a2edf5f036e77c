import { isRetryableError, type RetryOptions, retryDelaySeconds } from '@mbs/batcher';
import {
  type BatchEvent,
  createRandom,
  type InvocationReport,
  type InvocationResult,
  isMbsError,
  MbsError,
  type Provider,
} from '@mbs/core';
import { errors } from '../errors.js';
import type {
  ColdStartRecord,
  MeasurementProgress,
  PointMeasurement,
  RetryRecord,
} from './measurement.js';
import { memoryRounds, type PointState, pointStates, type RoundStep } from './memory-rounds.js';
import { type PlannedPoint, type ProfilePlan, pointKey } from './profile-plan.js';
import {
  checkRepetitionRule,
  DEFAULT_REPETITION_RULE,
  type RepetitionRule,
  repetitionStop,
} from './repetitions.js';

/**
 * Retries of a profile run: more attempts and longer waits than the batcher's, because a profile
 * run is not latency-bound and must outlast a throttling burst (10 attempts at a 30 % throttle
 * rate fail once in 170,000 invocations).
 */
export const DEFAULT_PROFILE_RETRY: Required<RetryOptions> = {
  maxAttempts: 10,
  baseDelayMs: 100,
  maxDelayMs: 5000,
};

/** Options of {@link measureProfile}. */
export interface MeasureProfileOptions {
  /** Invokes the functions; its REPORT records give the durations. */
  readonly provider: Pick<Provider, 'invoke'>;
  readonly plan: ProfilePlan;
  /** The function that serves a memory size. Memories sharing a function are measured in turn. */
  readonly functionName: (memoryMb: number) => string;
  /** Deploys or reconfigures the function of a memory before its first point. */
  readonly prepareFunction?: (memoryMb: number, functionName: string) => Promise<void>;
  /** The batch sent for a point: `batchSize` requests of class `classIndex`'s size. */
  readonly batchEvent: (classIndex: number, batchSize: number) => BatchEvent;
  /** Size sent for each class, recorded with each point. */
  readonly classSizes: readonly number[];
  /** When to stop repeating a point; default {@link DEFAULT_REPETITION_RULE}. */
  readonly rule?: RepetitionRule;
  /**
   * Rounds of invocations discarded before a memory's kept ones, one invocation of each point per
   * round (a new input shape costs more the first time); default 1.
   */
  readonly warmUpInvocations?: number;
  /**
   * Pause before each invocation, in ms; default {@link DEFAULT_PROFILE_GAP_MS}, so that every
   * invocation starts on an instance that has idled (see there). 0 measures back to back.
   */
  readonly gapMs?: number;
  /** Functions measured at once; default 1. Each function has one invocation in flight at most. */
  readonly concurrency?: number;
  /**
   * Functions each of the `concurrency` measurers takes in turn, one invocation of each after
   * another, instead of measuring one function's points to the end before the next; default 1.
   * On a machine whose speed drifts over minutes (a laptop, a shared VM: the emulator), memories
   * measured in turn see the same drift, so it cannot tilt one memory against another. Each
   * function taken in turn keeps a warm instance, so the provider must keep that many alive at
   * once (the emulator's `maxInstances`), else every turn starts cold. Memories that share a
   * function are still measured one after the other.
   */
  readonly interleave?: number;
  /** Retries of refused invocations; default {@link DEFAULT_PROFILE_RETRY}. */
  readonly retry?: RetryOptions;
  /** Seed of the retry jitter; default 1. */
  readonly seed?: number;
  /** Points measured by an earlier run, skipped now (resume). */
  readonly measured?: readonly PointMeasurement[];
  /** Stops the run after the invocations in flight; the run then reports `interrupted`. */
  readonly signal?: AbortSignal;
  /** Called with each point as soon as it is measured (write it down: the run can be resumed). */
  readonly onPoint?: (point: PointMeasurement) => void | Promise<void>;
  readonly onColdStart?: (coldStart: ColdStartRecord) => void | Promise<void>;
  readonly onRetry?: (retry: RetryRecord) => void;
  readonly onProgress?: (progress: MeasurementProgress) => void;
}

/** What {@link measureProfile} measured. */
export interface ProfileMeasurement {
  /** Every measured point of the plan: resumed ones first, then this run's, in plan order. */
  readonly points: readonly PointMeasurement[];
  /** Cold starts of this run. */
  readonly coldStarts: readonly ColdStartRecord[];
  /** Refusals retried in this run. */
  readonly retries: readonly RetryRecord[];
  /** Invocations made by this run, kept, discarded and refused alike. */
  readonly invocations: number;
  /** Whether the signal stopped the run before the plan was done. */
  readonly interrupted: boolean;
}

/**
 * Default pause before each invocation: 50 ms, so that every invocation, at every memory, starts
 * on an instance that has idled, as one does between batches in service.
 *
 * Why: an invocation that follows an idle instance costs more than one that follows another
 * straight away (its caches were cooled by other work, its threads went to sleep): on the
 * emulator with the default model, 0.3 ms more at 1,769 MB, up to 1.9 x the time of the smallest
 * batches and about 1.1 x at middle work, nothing at the largest. The emulator makes the instance
 * of a memory below one vCPU idle after each invocation for the rest of its scaled Duration
 * ((1,769 / M - 1) x the handler's time: 12.8 x at 128 MB), so back to back, the small memories
 * were measured idle-started and the others not, and their surfaces had another shape: the
 * handler's time at 128 MB over its time at 1,769 MB, cell by cell, was 1.9 to 2.3 at the
 * smallest batch and spread by 15 to 18 % over the grid (three runs), which the law's per-memory
 * a_M and b_M cannot follow (the shape is shared); the points held out at 128 and 256 MB read 3
 * to 4 % slower than the law on average, up to 17 %. With the pause, that ratio is 0.9 to 1.0 at
 * the smallest batch and spreads by 5 to 6 % (two runs, under load). How long the idle must be:
 * in process, quiet, over 12 interleaved rounds, the smallest batch took 1.91 x its back-to-back
 * time after 10 ms idle, 2.03 x after 20, 2.21 x after 50, 2.23 x after 100 and 2.12 x after
 * 300; a middle batch 1.21, 1.27, 1.28, 1.19 and 1.24 x; the larger ones within 10 % at every
 * pause. So 50 ms reaches the plateau for every work, and the emulator's own idle below one
 * vCPU (which is longer) adds little on top. It costs 50 ms per invocation (about 60 s over the
 * default plan on the emulator, where functions are measured one at a time). On AWS the client's
 * own round trip idles the instance for part of it already.
 */
export const DEFAULT_PROFILE_GAP_MS = 50;

const MAX_CONCURRENCY = 64;
const MAX_INTERLEAVE = 64;

/**
 * Most cold starts of one function while functions are measured in turn: 3, the first one and a
 * couple of instances recycled by the platform; more means the provider shuts an instance down
 * at each turn (see {@link MeasureProfileOptions.interleave}).
 */
const MAX_COLD_STARTS_IN_TURN = 3;

/** A whole-number option within least..most, or OPTION_INVALID naming it and the range. */
function wholeOption(name: string, value: number, least: number, most: number): number {
  if (!Number.isSafeInteger(value) || value < least || value > most) {
    throw errors.option(name, `is ${value}; give an integer from ${least} to ${most}`, value);
  }
  return value;
}

function checkOptions(options: MeasureProfileOptions) {
  const rule = checkRepetitionRule(options.rule ?? DEFAULT_REPETITION_RULE);
  const warmUps = wholeOption('warmUpInvocations', options.warmUpInvocations ?? 1, 0, 100);
  const concurrency = wholeOption('concurrency', options.concurrency ?? 1, 1, MAX_CONCURRENCY);
  const interleave = wholeOption('interleave', options.interleave ?? 1, 1, MAX_INTERLEAVE);
  const gapMs = options.gapMs ?? DEFAULT_PROFILE_GAP_MS;
  if (!(Number.isFinite(gapMs) && gapMs >= 0 && gapMs <= 60_000)) {
    throw errors.option('gapMs', `is ${gapMs}; give milliseconds from 0 to 60000`, gapMs);
  }
  const retry = { ...DEFAULT_PROFILE_RETRY, ...options.retry };
  if (!Number.isSafeInteger(retry.maxAttempts) || retry.maxAttempts < 1) {
    throw errors.option(
      'retry.maxAttempts',
      `is ${retry.maxAttempts}; give an integer >= 1`,
      retry.maxAttempts,
    );
  }
  if (options.classSizes.length !== options.plan.grid.classSizes.length) {
    throw errors.option(
      'classSizes',
      `lists ${options.classSizes.length} sizes; the plan has ${options.plan.grid.classSizes.length} classes`,
    );
  }
  return { rule, warmUps, concurrency, interleave, retry, gapMs };
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller then sees it stopping). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function describePoint(point: PlannedPoint): string {
  return `memory ${point.memoryMb} MB, class ${point.classIndex}, batch ${point.batchSize}`;
}

/** An invocation as the profiler keeps it: a platform's record, with its billed duration. */
type BilledResult = InvocationResult<InvocationReport & { readonly billedDurationMs: number }>;

/**
 * Refuses a result whose function failed, whose requests did not all run, or whose record is not
 * a platform's REPORT (no billed duration: an in-process provider's own stopwatch).
 */
function checkResult(
  result: InvocationResult,
  point: PlannedPoint,
  functionName: string,
): asserts result is BilledResult {
  const { record } = result;
  if (record.error !== undefined) {
    // Lambda refuses a response over 6 MB: the batch's outputs, not the function, are too large.
    const hint =
      record.error.type === 'Function.ResponseSizeTooLarge'
        ? `; the outputs of this batch of ${point.batchSize} exceed Lambda's 6 MB response limit, so this batch cannot be served: lower the largest batch size or class size of the plan`
        : '';
    throw errors.error(
      'FUNCTION_ERROR',
      `${functionName} (${describePoint(point)}) failed: ${record.error.type}: ${record.error.message}${hint}`,
      { details: { ...point, functionName, errorType: record.error.type } },
    );
  }
  const failed = result.results.find((item) => !item.ok);
  if (failed !== undefined && !failed.ok) {
    throw errors.error(
      'FUNCTION_ERROR',
      `${functionName} (${describePoint(point)}) refused request ${failed.id}: ${failed.error.code}: ${failed.error.message}; the inputs do not fit the deployed model (check its descriptor)`,
      { details: { ...point, functionName, errorCode: failed.error.code } },
    );
  }
  if (!(Number.isFinite(record.durationMs) && record.durationMs >= 0)) {
    throw errors.error(
      'PROVIDER_ERROR',
      `${functionName} (${describePoint(point)}): the REPORT record has no usable Duration (${record.durationMs})`,
      { details: { ...point, functionName } },
    );
  }
  if (record.billedDurationMs === undefined) {
    throw errors.error(
      'PROVIDER_ERROR',
      `${functionName} (${describePoint(point)}): the provider reports no Billed Duration; mbs profile needs a platform's REPORT record (--provider local or aws), not a client-side measurement`,
      { details: { ...point, functionName } },
    );
  }
}

/**
 * Measures the service time of every point of a plan on a provider, from the REPORT record of
 * each invocation (Duration, not a client stopwatch).
 *
 * How timings are kept clean:
 * - each function (one per memory, normally) has at most one invocation in flight, so it is served
 *   by one warm instance and no invocation shares an instance or its CPU with another;
 * - up to `concurrency` functions are measured at once: on Lambda each instance has its own CPU
 *   share, so functions do not disturb each other (on a local emulator they share this machine's
 *   cores: keep concurrency at 1 there);
 * - the first invocation of a function, and any later one that reports an Init Duration, is a
 *   cold start: recorded apart (per memory) and discarded; `warmUpInvocations` rounds over the
 *   memory's points are discarded first, because a new input shape costs more the first time;
 * - the points of a memory are measured in rounds, one invocation of each unfinished point per
 *   round (as benchmarks interleave cases), so load from elsewhere lands on every point alike
 *   and the instance sees the input shapes change as in service; each round ordered by work,
 *   up and down by turns, because an invocation's time depends on the one before it;
 * - with `interleave` > 1, several functions (memories) are measured in turn, one invocation of
 *   each after another, so a drift of the machine's speed over the run lands on all of them alike;
 * - each point is repeated until the confidence interval of its mean is narrow enough
 *   (`rule`); refusals (throttling) are retried with capped exponential backoff and full jitter.
 *
 * A function error, a request the handler refused, or a refusal that outlasts the retries stops
 * the run with an MbsError naming the point; the points measured before it have been handed to
 * `onPoint` already.
 *
 * @example
 * ```ts
 * const measurement = await measureProfile({
 *   provider, plan, classSizes: plan.grid.classSizes,
 *   functionName: (memoryMb) => `mbs-profile-m${memoryMb}`,
 *   batchEvent: (classIndex, batchSize) => ({ requests: makeRequests(classIndex, batchSize) }),
 *   onPoint: (point) => appendFile('profile.measurements.jsonl', `${JSON.stringify(point)}\n`),
 * });
 * ```
 */
export async function measureProfile(options: MeasureProfileOptions): Promise<ProfileMeasurement> {
  const { rule, warmUps, concurrency, interleave, retry, gapMs } = checkOptions(options);
  const { provider, plan, signal } = options;
  const random = createRandom(options.seed ?? 1);
  const done = new Map<string, PointMeasurement>();
  for (const point of options.measured ?? []) done.set(pointKey(point), point);
  const remaining = plan.points.filter((point) => !done.has(pointKey(point)));
  const resumed = plan.points.flatMap((point) => done.get(pointKey(point)) ?? []);

  // Memories that share a function are measured one after the other by one worker.
  const groups = new Map<string, number[]>();
  for (const point of remaining) {
    const name = options.functionName(point.memoryMb);
    const memories = groups.get(name) ?? [];
    if (!memories.includes(point.memoryMb)) memories.push(point.memoryMb);
    groups.set(name, memories);
  }
  const queue = [...groups.entries()];
  const measuredNow = new Map<string, PointMeasurement>();
  const coldStarts: ColdStartRecord[] = [];
  const retries: RetryRecord[] = [];
  const active = new Set<number>();
  // Points with samples under way, for the share of the plan done.
  const underWay = new Set<PointState>();
  let invocations = 0;
  let failure: unknown;
  const stopping = () => failure !== undefined || signal?.aborted === true;

  const report = () =>
    options.onProgress?.({
      pointsDone: resumed.length + measuredNow.size,
      share:
        plan.points.length === 0
          ? 1
          : (resumed.length +
              measuredNow.size +
              [...underWay].reduce(
                (sum, state) => sum + state.durationsMs.length / rule.maxRepetitions,
                0,
              )) /
            plan.points.length,
      pointsTotal: plan.points.length,
      invocations,
      retries: retries.length,
      coldStarts: coldStarts.length,
      activeMemoriesMb: [...active].sort((a, b) => a - b),
    });

  /** One invocation, retried while refused; undefined when the run is stopping. */
  async function invokeOnce(
    functionName: string,
    point: PlannedPoint,
    counter: { retries: number },
  ): Promise<BilledResult | undefined> {
    for (let attempt = 1; ; attempt++) {
      if (stopping()) return undefined;
      invocations++;
      let result: InvocationResult;
      try {
        const event = options.batchEvent(point.classIndex, point.batchSize);
        result = await provider.invoke(functionName, event, signal ? { signal } : {});
      } catch (error) {
        if (signal?.aborted) return undefined;
        if (!isRetryableError(error) || attempt >= retry.maxAttempts) {
          const exhausted = isRetryableError(error) ? ` after ${attempt} attempts` : '';
          throw errors.error(
            isMbsError(error, 'THROTTLED') ? 'THROTTLED' : 'PROVIDER_ERROR',
            `${functionName} (${describePoint(point)}): the provider refused the invocation${exhausted}: ${(error as Error).message}`,
            { cause: error, details: { ...point, functionName, attempts: attempt } },
          );
        }
        const delayMs = retryDelaySeconds(attempt, retry, () => random.next()) * 1000;
        const record: RetryRecord = {
          memoryMb: point.memoryMb,
          functionName,
          code: isMbsError(error) ? error.code : 'ERROR',
          attempt,
          delayMs,
          message: (error as Error).message,
        };
        retries.push(record);
        counter.retries++;
        options.onRetry?.(record);
        report();
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        continue;
      }
      // Function errors resolve (they are not refusals) and are not retried: they stop the run.
      checkResult(result, point, functionName);
      return result;
    }
  }

  /** Invokes until a warm invocation answers; cold ones are recorded and discarded. */
  async function invokeWarm(
    functionName: string,
    point: PlannedPoint,
    counter: { retries: number; coldStarts: number },
  ): Promise<BilledResult | undefined> {
    // A function whose every invocation starts cold (an instance that dies each time) would
    // never give a service time; stop after a few in a row.
    for (let cold = 0; cold < 5; cold++) {
      if (gapMs > 0) await pause(gapMs, signal);
      const result = await invokeOnce(functionName, point, counter);
      if (result === undefined) return undefined;
      const { record } = result;
      if (record.initDurationMs === undefined) return result;
      const coldStart: ColdStartRecord = {
        memoryMb: point.memoryMb,
        functionName,
        initDurationMs: record.initDurationMs,
        durationMs: record.durationMs,
      };
      coldStarts.push(coldStart);
      counter.coldStarts++;
      await options.onColdStart?.(coldStart);
      report();
      // Measured in turn, a provider that keeps fewer instances than functions shuts one down at
      // every turn: each kept sample would follow a fresh start. Said, not measured.
      const restarts = coldStarts.filter((entry) => entry.functionName === functionName).length;
      if (interleave > 1 && restarts > MAX_COLD_STARTS_IN_TURN) {
        throw errors.error(
          'PROVIDER_ERROR',
          `${functionName} (${describePoint(point)}): started cold ${restarts} times while ${interleave} functions were measured in turn; the provider does not keep an instance warm for each (an emulator's --max-instances must be at least ${interleave * concurrency}): lower --interleave, or raise the provider's instance limit`,
          { details: { ...point, functionName, coldStarts: restarts } },
        );
      }
    }
    throw errors.error(
      'FUNCTION_ERROR',
      `${functionName} (${describePoint(point)}): 5 invocations in a row started cold; the instance does not stay warm (is it crashing?)`,
      { details: { ...point, functionName } },
    );
  }

  /**
   * Runs one step of a memory's rounds: one warm invocation, its duration kept (or discarded in
   * a warm-up round), the point finished and handed to `onPoint` once `rule` says it has enough.
   * Resolves false when the run is stopping.
   */
  async function runStep(
    functionName: string,
    session: string,
    round: number,
    { state, warmUp }: RoundStep,
  ): Promise<boolean> {
    const result = await invokeWarm(functionName, state.point, state.counter);
    if (result === undefined) return false;
    if (warmUp) {
      state.warmUpDurationsMs.push(result.record.durationMs);
      report();
      return true;
    }
    state.durationsMs.push(result.record.durationMs);
    state.billedDurationsMs.push(result.record.billedDurationMs);
    state.rounds.push(round);
    const stop = repetitionStop(state.durationsMs, rule);
    if (stop !== undefined) {
      state.finished = true;
      underWay.delete(state);
      const { point, counter, warmUpDurationsMs, durationsMs, billedDurationsMs, rounds } = state;
      const measurement: PointMeasurement = {
        ...point,
        functionName,
        size: options.classSizes[point.classIndex]!,
        warmUpDurationsMs,
        durationsMs,
        billedDurationsMs,
        coldStarts: counter.coldStarts,
        retries: counter.retries,
        stop,
        session,
        rounds,
      };
      measuredNow.set(pointKey(point), measurement);
      await options.onPoint?.(measurement);
    }
    report();
    return true;
  }

  /** A function being measured: its memories still to come, and the rounds of the current one. */
  interface Lane {
    readonly functionName: string;
    readonly memories: number[];
    memoryMb?: number;
    steps?: Generator<RoundStep, void, undefined>;
    /** The next step, drawn but not run yet. */
    next?: RoundStep | undefined;
    /** Progress at which the current memory's rounds started (see {@link RoundStep.progress}). */
    base: number;
  }

  /** How far a lane is, in rounds since its worker started: where its next step stands. */
  const progressOf = (lane: Lane) => lane.base + (lane.next?.progress ?? 0);

  /**
   * Draws a lane's next step: the current memory's next invocation, or the first of its next
   * memory (deployed or reconfigured first); false when the lane has no memory left. A new
   * memory's rounds start where the least advanced of the lanes it joins stands, so rounds taken
   * at the same time carry the same number; alone, at `freeRound`, the worker's first round not
   * yet used, so rounds taken at other times never do.
   */
  async function drawStep(
    lane: Lane,
    others: readonly Lane[],
    freeRound: number,
  ): Promise<boolean> {
    for (;;) {
      const drawn = lane.steps?.next();
      if (drawn !== undefined && !drawn.done) {
        lane.next = drawn.value;
        return true;
      }
      if (lane.memoryMb !== undefined) active.delete(lane.memoryMb);
      const memoryMb = lane.memories.shift();
      if (memoryMb === undefined || stopping()) return false;
      lane.base = others.length === 0 ? freeRound : Math.min(...others.map(progressOf));
      lane.next = undefined;
      lane.memoryMb = memoryMb;
      active.add(memoryMb);
      await options.prepareFunction?.(memoryMb, lane.functionName);
      const states = pointStates(remaining.filter((point) => point.memoryMb === memoryMb));
      for (const state of states) underWay.add(state);
      lane.steps = memoryRounds(states, warmUps, options.classSizes);
    }
  }

  /**
   * Measures functions from the queue, `interleave` of them in turn: each invocation goes to the
   * function whose rounds are least far along (see {@link RoundStep.progress}), so their rounds
   * keep in step whatever their number of points; a function whose memories are all done makes
   * room for the next in the queue. Within a function, memories come one after the other (they
   * share its instance).
   */
  async function worker(session: string): Promise<void> {
    const lanes: Lane[] = [];
    // The worker's highest round so far: a memory that starts alone starts after it.
    let lastRound = -1;
    try {
      for (;;) {
        while (lanes.length < interleave && queue.length > 0) {
          const [functionName, memories] = queue.shift()!;
          const lane: Lane = { functionName, memories: [...memories], base: 0 };
          if (await drawStep(lane, lanes, lastRound + 1)) lanes.push(lane);
          else if (stopping()) return;
        }
        if (lanes.length === 0 || stopping()) return;
        // The least advanced lane; on a tie the first in line, and a lane that has just run
        // goes to the back of the line.
        const lane = lanes.reduce((best, other) =>
          progressOf(other) < progressOf(best) ? other : best,
        );
        // The worker's round: lanes that started together count rounds alike.
        const round = Math.floor(lane.base) + lane.next!.round;
        lastRound = Math.max(lastRound, round);
        if (!(await runStep(lane.functionName, session, round, lane.next!))) return;
        const others = lanes.filter((other) => other !== lane);
        const more = await drawStep(lane, others, lastRound + 1);
        lanes.splice(0, lanes.length, ...others, ...(more ? [lane] : []));
        if (!more && stopping()) return;
      }
    } finally {
      for (const lane of lanes) if (lane.memoryMb !== undefined) active.delete(lane.memoryMb);
    }
  }

  report();
  // Rounds are counted per worker and per run: a resumed run's rounds are other times.
  const run = new Date().toISOString();
  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, (_, index) =>
    worker(`${run}#${index}`).catch((error: unknown) => {
      // The first failure stops the others after their invocation in flight.
      failure ??= error;
    }),
  );
  await Promise.all(workers);
  if (failure !== undefined) {
    if (failure instanceof MbsError) throw failure;
    throw errors.error(
      'PROVIDER_ERROR',
      `profile run failed: ${(failure as Error)?.message ?? String(failure)}`,
      {
        cause: failure,
      },
    );
  }
  const points = plan.points.flatMap((point) => {
    const key = pointKey(point);
    return done.get(key) ?? measuredNow.get(key) ?? [];
  });
  return {
    points,
    coldStarts,
    retries,
    invocations,
    interrupted: points.length < plan.points.length,
  };
}
