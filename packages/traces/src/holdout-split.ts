import type { Arrival, Trace } from '@mbs/core';
import { errors } from './errors.js';

/** A trace cut in time into the part a configuration is tuned on and the part it is checked on. */
export interface HoldoutSplit {
  /** The first part, as a trace (in memory) with the original's metadata. */
  readonly head: Trace;
  /** The held-out arrivals, times shifted to start at the cut (0 s). */
  readonly heldOut: readonly Arrival[];
  /** The cut, in seconds of the original trace. */
  readonly cutSeconds: number;
  /** Arrivals in the head. */
  readonly headArrivals: number;
}

/**
 * Reads a trace into memory and cuts it at first + (1 - heldOutFraction) x (last - first)
 * seconds: arrivals before the cut form the head (fit and tune on it), the rest are held out
 * (check on them), so an out-of-sample check sees traffic the fit never saw.
 *
 * @example
 * ```ts
 * const { head, heldOut } = await splitTraceForHoldout(reader.read('azure.csv'), 0.5);
 * const workload = await fitWorkload(head);
 * ```
 * @throws MbsError `OPTION_INVALID` for a fraction outside (0, 1); `TRACE_EMPTY` when either
 *   part would hold fewer than two arrivals.
 */
export async function splitTraceForHoldout(
  trace: Trace,
  heldOutFraction: number,
): Promise<HoldoutSplit> {
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
    throw errors.error(
      'OPTION_INVALID',
      `held-out fraction ${heldOutFraction}; give a fraction in (0, 1), e.g. 0.5`,
      { details: { option: 'heldOutFraction', value: heldOutFraction } },
    );
  }
  const arrivals: Arrival[] = [];
  for await (const arrival of trace) arrivals.push(arrival);
  const first = arrivals[0]?.timeSeconds ?? 0;
  const last = arrivals[arrivals.length - 1]?.timeSeconds ?? 0;
  const cutSeconds = first + (1 - heldOutFraction) * (last - first);
  const headCount = arrivals.findIndex((arrival) => arrival.timeSeconds >= cutSeconds);
  const head = arrivals.slice(0, headCount < 0 ? arrivals.length : headCount);
  const tail = arrivals.slice(head.length);
  if (head.length < 2 || tail.length < 2) {
    throw errors.error(
      'TRACE_EMPTY',
      `${trace.metadata.source}: cutting at ${cutSeconds} s leaves ${head.length} arrivals to tune on and ${tail.length} to check; each part needs 2 (a longer trace or another fraction)`,
    );
  }
  const report = trace.report();
  return {
    head: {
      metadata: trace.metadata,
      report: () => report,
      async *[Symbol.asyncIterator]() {
        yield* head;
      },
    },
    heldOut: tail.map((arrival) => ({ ...arrival, timeSeconds: arrival.timeSeconds - cutSeconds })),
    cutSeconds,
    headArrivals: head.length,
  };
}
