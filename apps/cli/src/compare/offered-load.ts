import type { RequestRecord } from '@mbs/core';

/**
 * The load a run really offered, in requests per second of wall-clock time: what the prediction
 * must be evaluated for. From `mbs run`, the replayed trace span divided by the speed; from
 * records alone (`mbs serve`), the span of the requests' arrivals.
 */
export interface OfferedLoad {
  /** Requests offered. */
  readonly requests: number;
  /** Replay speed (trace seconds per second) when a run document gives it. */
  readonly speed?: number;
  /** Span of the replayed arrivals in trace seconds (first to last), when a run gives it. */
  readonly traceSpanSeconds?: number;
  /** Span of the offered arrivals in wall-clock seconds (first to last). */
  readonly spanSeconds: number;
  /** Offered requests per wall-clock second: (requests - 1) / spanSeconds. */
  readonly ratePerSecond: number;
  /** Where the figures come from, for the printed line. */
  readonly from: 'run' | 'records';
}

/** The replay as run.json records it. */
export interface ReplayFacts {
  readonly speed: number;
  readonly traceSpanSeconds: number;
}

/**
 * The offered load of a run: with the run's replay (speed and trace span), the trace's
 * requests at the speed; else the span of the records' arrivals. Undefined when fewer than two
 * requests or a zero span leave no rate.
 *
 * @example
 * ```ts
 * offeredLoad(requests, { speed: 60, traceSpanSeconds: 600 }); // 2000 requests over 10 s: 199.9 req/s
 * ```
 */
export function offeredLoad(
  requests: readonly Pick<RequestRecord, 'arrivalSeconds'>[],
  replay?: ReplayFacts,
): OfferedLoad | undefined {
  const count = requests.length;
  if (count < 2) return undefined;
  if (replay !== undefined && replay.speed > 0 && replay.traceSpanSeconds > 0) {
    const spanSeconds = replay.traceSpanSeconds / replay.speed;
    return {
      requests: count,
      speed: replay.speed,
      traceSpanSeconds: replay.traceSpanSeconds,
      spanSeconds,
      ratePerSecond: (count - 1) / spanSeconds,
      from: 'run',
    };
  }
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const { arrivalSeconds } of requests) {
    first = Math.min(first, arrivalSeconds);
    last = Math.max(last, arrivalSeconds);
  }
  const spanSeconds = last - first;
  if (!(spanSeconds > 0)) return undefined;
  return {
    requests: count,
    spanSeconds,
    ratePerSecond: (count - 1) / spanSeconds,
    from: 'records',
  };
}

/**
 * Share of each class among the offered requests, by class id, or undefined when a record's class
 * is outside 0..classCount-1 (records of another configuration).
 */
export function offeredClassShares(
  requests: readonly Pick<RequestRecord, 'classId'>[],
  classCount: number,
): number[] | undefined {
  if (requests.length === 0) return undefined;
  const counts = new Array<number>(classCount).fill(0);
  for (const { classId } of requests) {
    if (!Number.isInteger(classId) || classId < 0 || classId >= classCount) return undefined;
    counts[classId]!++;
  }
  return counts.map((count) => count / requests.length);
}
