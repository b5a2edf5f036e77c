import type { Arrival, Trace } from '@mbs/core';

/** A trace over arrivals in memory (tests only). */
export function arrayTrace(arrivals: readonly Arrival[], sizeUnit?: string): Trace {
  return {
    metadata: {
      source: 'memory',
      format: 'array',
      ...(sizeUnit === undefined ? {} : { sizeUnit }),
    },
    report: () => ({ linesRead: arrivals.length, arrivals: arrivals.length, skipped: {} }),
    async *[Symbol.asyncIterator]() {
      yield* arrivals;
    },
  };
}

/** Arrivals at the running sums of `gaps`, starting at 0, with the given sizes (tests only). */
export function arrivalsFromGaps(
  gaps: readonly number[],
  sizes: readonly number[] = [],
): Arrival[] {
  const arrivals: Arrival[] = [{ timeSeconds: 0, size: sizes[0] ?? 0 }];
  let time = 0;
  gaps.forEach((gap, index) => {
    time += gap;
    arrivals.push({ timeSeconds: time, size: sizes[index + 1] ?? 0 });
  });
  return arrivals;
}
