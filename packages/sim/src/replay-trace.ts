import type { Arrival } from '@mbs/core';
import { createReplayEngine } from './replay-engine.js';
import type { ReplayOptions, ReplaySummary } from './replay-types.js';

/**
 * Replays a trace (a streaming `Trace`, any async iterable, or an array of arrivals) through the
 * system and returns what it measured. Arrivals must be in time order; those without a class id
 * are classed by `options.classScheme`.
 *
 * @example
 * ```ts
 * const summary = await replayTrace(reader.read('azure.csv'), { system, profile, pricing, classScheme });
 * console.log(summary.overall.p99LatencySeconds, summary.overall.costPerRequestUsd);
 * ```
 */
export async function replayTrace(
  arrivals: AsyncIterable<Arrival> | Iterable<Arrival>,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  const engine = createReplayEngine(options);
  const limit = options.maxRequests ?? Number.POSITIVE_INFINITY;
  if (engine.requests < limit) {
    for await (const arrival of arrivals) {
      engine.push(arrival.timeSeconds, arrival.size, arrival.classId);
      if (engine.requests >= limit) break;
    }
  }
  return engine.finish();
}

/** {@link replayTrace} for an in-memory array, synchronously. */
export function replayArrivals(
  arrivals: readonly Arrival[],
  options: ReplayOptions,
): ReplaySummary {
  const engine = createReplayEngine(options);
  const count = Math.min(arrivals.length, options.maxRequests ?? arrivals.length);
  for (let index = 0; index < count; index++) {
    const arrival = arrivals[index]!;
    engine.push(arrival.timeSeconds, arrival.size, arrival.classId);
  }
  return engine.finish();
}
