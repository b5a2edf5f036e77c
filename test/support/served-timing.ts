import { loadavg } from 'node:os';
import type { BatchRecord } from '@mbs/core';
import { quantile } from '@mbs/core';

/** How well the machine kept the model's timings during a served run, from its batch records. */
export interface ServedTiming {
  /** p95 over batches sent at their timeout of how late they left, ms (the batcher's timers). */
  readonly timeoutLatenessP95Ms: number;
  /** p95 over batches of the invocation's time beyond the handler's own duration, ms. */
  readonly invocationExtraP95Ms: number;
}

/**
 * A run kept the timings the tests' models assume when both figures are within these; a failed
 * check on a run outside them is put down to the machine (the checks are on p95 latencies, so
 * tails count: the overload test's slack of 80 ms is two invocations of 40 ms beyond the handler).
 */
export const FAIR_TIMING: ServedTiming = { timeoutLatenessP95Ms: 10, invocationExtraP95Ms: 40 };

/**
 * The timing figures of a served run. With `oneInvocationPerBuffer` (a server run with
 * `--max-in-flight-per-buffer 1`), an invocation starts when its batch left or when the buffer's
 * previous invocation ended, whichever is later; otherwise when its batch left.
 */
export function servedTiming(
  batches: readonly BatchRecord[],
  timeoutSecondsByBuffer: readonly number[],
  oneInvocationPerBuffer = false,
): ServedTiming {
  const lateness = batches
    .filter((batch) => batch.reason === 'timeout')
    .map(
      (batch) =>
        (batch.dispatchedSeconds - batch.openedSeconds - timeoutSecondsByBuffer[batch.buffer]!) *
        1000,
    );
  const previousEnd = new Map<number, number>();
  const extra = [...batches]
    .sort((a, b) => a.dispatchedSeconds - b.dispatchedSeconds)
    .map((batch) => {
      const started = oneInvocationPerBuffer
        ? Math.max(batch.dispatchedSeconds, previousEnd.get(batch.buffer) ?? 0)
        : batch.dispatchedSeconds;
      previousEnd.set(batch.buffer, batch.endedSeconds);
      return (batch.endedSeconds - started) * 1000 - batch.durationMs;
    });
  return {
    // No batch left at its timeout: none was late.
    timeoutLatenessP95Ms: lateness.length === 0 ? 0 : quantile(lateness, 0.95),
    invocationExtraP95Ms: quantile(extra, 0.95),
  };
}

/** Whether a run's timings were outside {@link FAIR_TIMING}: the machine starved the server. */
export const starved = (timing: ServedTiming): boolean =>
  timing.timeoutLatenessP95Ms > FAIR_TIMING.timeoutLatenessP95Ms ||
  timing.invocationExtraP95Ms > FAIR_TIMING.invocationExtraP95Ms;

/**
 * Runs a timing-sensitive served measurement with its checks, and runs it again, after a pause,
 * only when its checks failed on a run the machine starved (see {@link starved}): such a run
 * measured the load, not the code. `run` calls `report` with the run's timing as soon as it has
 * the records, then checks. A run whose checks pass passes whatever its timing; a failure on a
 * fair run, or on the last of `attempts`, is the test's failure (with the starvation named).
 */
export async function retryWhenStarved<Result>(
  name: string,
  attempts: number,
  run: (attempt: number, report: (timing: ServedTiming) => void) => Promise<Result>,
): Promise<Result & { readonly attempt: number }> {
  for (let attempt = 1; ; attempt++) {
    let timing: ServedTiming | undefined;
    try {
      const result = await run(attempt, (reported) => {
        timing = reported;
      });
      return { ...result, attempt };
    } catch (error) {
      if (timing === undefined || !starved(timing)) throw error;
      const figures = `timeout batches left ${timing.timeoutLatenessP95Ms.toFixed(1)} ms late at p95 (fair: <= ${FAIR_TIMING.timeoutLatenessP95Ms}), invocations took ${timing.invocationExtraP95Ms.toFixed(1)} ms beyond the handler at p95 (fair: <= ${FAIR_TIMING.invocationExtraP95Ms}); load average ${loadavg()[0]!.toFixed(1)}`;
      if (attempt >= attempts) {
        throw new Error(
          `${name}: failed in all ${attempts} runs, each on a machine that starved mbs serve (last: ${figures}): ${(error as Error).message}`,
          { cause: error },
        );
      }
      console.log(`${name}, attempt ${attempt} failed on a starved machine (${figures}); again`);
      await new Promise((resolve) => setTimeout(resolve, 5000));
    }
  }
}
