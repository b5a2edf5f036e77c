import { setTimeout as sleep, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Arrival } from '@mbs/core';
import { isMbsError } from '@mbs/core';

/** Options of {@link replayTrace}. */
export interface ReplayOptions {
  /** Arrivals in non-decreasing time order (a Trace). */
  readonly arrivals: AsyncIterable<Arrival>;
  /** Sends one request; its promise settles with the result or an error. */
  readonly submit: (arrival: Arrival, traceSeconds: number) => Promise<unknown>;
  /** Seconds on the run's clock (the batcher's clock). */
  readonly now: () => number;
  /** Trace seconds per real second: 1 replays in real time, 60 one minute per second. */
  readonly speed: number;
  /** Stop after this many arrivals. */
  readonly limit?: number;
  /** Called before each arrival is submitted, with its time from the first arrival. */
  readonly beforeSubmit?: (traceSeconds: number) => void;
  /** Stops the replay early (e.g. on Ctrl-C); requests already submitted still settle. */
  readonly signal?: AbortSignal;
}

/** Counts of a replay; at the end `submitted = resolved + rejected`. */
export interface ReplayCounts {
  readonly submitted: number;
  readonly resolved: number;
  readonly rejected: number;
  /** Rejections by MbsError code (`UNKNOWN` for anything else). */
  readonly rejectedByCode: Readonly<Record<string, number>>;
  /** Promises that settled more than once: always 0 (promises settle once), kept as a check. */
  readonly settledTwice: number;
}

/** What {@link replayTrace} gives back once every arrival has been submitted. */
export interface ReplayOutcome {
  /** Time of the last submitted arrival from the first, in trace seconds. */
  readonly traceSpanSeconds: number;
  /** Largest delay of a submission behind its schedule, in real seconds. */
  readonly maxLagSeconds: number;
  /** Whether the signal stopped the replay before the trace or the limit ended. */
  readonly interrupted: boolean;
  /** Counts now. */
  counts(): ReplayCounts;
  /** Resolves when every submitted request has settled. */
  readonly allSettled: Promise<void>;
}

/** Below this many seconds ahead, an arrival is submitted at once rather than after a timer. */
const SUBMIT_AHEAD_SECONDS = 0.001;
/** Submissions in a row without a pause before the loop lets I/O (answers) through. */
const SUBMISSIONS_BETWEEN_YIELDS = 64;

/**
 * Replays arrivals in real time scaled by `speed`: arrival i is submitted at
 * `start + (time_i - time_0) / speed` seconds on the run's clock, and every submitted request
 * is counted as resolved or rejected (by error code) when its promise settles.
 *
 * @example
 * ```ts
 * const outcome = await replayTrace({ arrivals: trace, submit, now: clock.now, speed: 60 });
 * await batcher.close();
 * await outcome.allSettled;
 * ```
 */
export async function replayTrace(options: ReplayOptions): Promise<ReplayOutcome> {
  const { speed, limit } = options;
  let submitted = 0;
  let resolved = 0;
  let rejected = 0;
  let settledTwice = 0;
  const rejectedByCode: Record<string, number> = {};
  let outstanding = 0;
  let loopDone = false;
  let resolveAllSettled!: () => void;
  const allSettled = new Promise<void>((resolve) => {
    resolveAllSettled = resolve;
  });
  const checkSettled = () => {
    if (loopDone && outstanding === 0) resolveAllSettled();
  };

  const track = (promise: Promise<unknown>) => {
    let settled = false;
    outstanding++;
    const finish = () => {
      if (settled) settledTwice++;
      settled = true;
      outstanding--;
      checkSettled();
    };
    promise.then(
      () => {
        resolved++;
        finish();
      },
      (error: unknown) => {
        rejected++;
        const code = isMbsError(error) ? error.code : 'UNKNOWN';
        rejectedByCode[code] = (rejectedByCode[code] ?? 0) + 1;
        finish();
      },
    );
  };

  const startSeconds = options.now();
  let firstTraceSeconds: number | undefined;
  let traceSpanSeconds = 0;
  let maxLagSeconds = 0;
  let sinceYield = 0;
  let interrupted = false;
  const signal = options.signal;
  for await (const arrival of options.arrivals) {
    if (limit !== undefined && submitted >= limit) break;
    if (signal?.aborted) {
      interrupted = true;
      break;
    }
    firstTraceSeconds ??= arrival.timeSeconds;
    const traceSeconds = arrival.timeSeconds - firstTraceSeconds;
    const dueSeconds = startSeconds + traceSeconds / speed;
    const aheadSeconds = dueSeconds - options.now();
    if (aheadSeconds > SUBMIT_AHEAD_SECONDS) {
      try {
        await sleep(aheadSeconds * 1000, undefined, signal === undefined ? {} : { signal });
      } catch {
        // Only an abort rejects the sleep.
        interrupted = true;
        break;
      }
      sinceYield = 0;
    } else if (++sinceYield >= SUBMISSIONS_BETWEEN_YIELDS) {
      // A replay that runs behind must still let answers in, or latencies would include its lag.
      await yieldToEventLoop();
      sinceYield = 0;
    }
    maxLagSeconds = Math.max(maxLagSeconds, options.now() - dueSeconds);
    options.beforeSubmit?.(traceSeconds);
    submitted++;
    traceSpanSeconds = traceSeconds;
    let promise: Promise<unknown>;
    try {
      promise = options.submit(arrival, traceSeconds);
    } catch (error) {
      // A submit that throws instead of rejecting is still one request with an explicit error.
      promise = Promise.reject(error);
    }
    track(promise);
  }
  loopDone = true;
  checkSettled();
  return {
    traceSpanSeconds,
    maxLagSeconds,
    interrupted,
    counts: () => ({
      submitted,
      resolved,
      rejected,
      rejectedByCode: { ...rejectedByCode },
      settledTwice,
    }),
    allSettled,
  };
}
