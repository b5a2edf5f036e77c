import type { Arrival, MarkovianArrivalProcess } from '@mbs/core';
import { createRandom, type RandomSource } from '@mbs/core';
import { createMapSampler, createMarkedMapSampler } from '@mbs/markov';
import { createClassSampler } from './class-sampler.js';
import { errors } from './errors.js';
import { createReplayEngine } from './replay-engine.js';
import type { ReplayOptions, ReplaySummary } from './replay-types.js';

/** Where MAP samples come from: the MAP, the class of each request, and its size. */
export interface MapWorkload {
  /** Arrival process; rates per second. */
  readonly map: MarkovianArrivalProcess;
  /**
   * Share of each class; each request's class is drawn independently with these shares, unless
   * `classArrivals` is given.
   */
  readonly classShares: readonly number[];
  /**
   * A marked MAP's class matrices (summing to `map.d1`): each arrival's class is then drawn from
   * the rates of the phase change that carried it, so classes follow the arrival process.
   */
  readonly classArrivals?: readonly (readonly (readonly number[])[])[];
  /**
   * Size of a request of each class (its representative size), for padding figures; default
   * the class scheme's representative sizes, or 0 (no padding figures) without one.
   */
  readonly representativeSizes?: readonly number[];
}

/** Options of {@link sampleMapArrivals}. */
export interface SampleMapOptions extends MapWorkload {
  readonly count: number;
  readonly seed?: number;
}

function sizeOfClass(workload: MapWorkload, options: ReplayOptions | undefined) {
  const sizes = workload.representativeSizes;
  if (sizes !== undefined) {
    if (sizes.length !== workload.classShares.length) {
      throw errors.error(
        'OPTION_INVALID',
        `option representativeSizes: ${sizes.length} sizes for ${workload.classShares.length} class shares`,
        { details: { option: 'representativeSizes' } },
      );
    }
    return (classId: number) => sizes[classId]!;
  }
  const scheme = options?.classScheme;
  return scheme ? (classId: number) => scheme.representativeSize(classId) : () => 0;
}

/**
 * The next arrival's gap and class: from the marked MAP when the workload has class matrices,
 * else the MAP's gap and a class drawn independently by share.
 */
function createArrivalSource(
  workload: MapWorkload,
  random: RandomSource,
): () => { readonly gap: number; readonly classId: number } {
  if (workload.classArrivals) {
    if (workload.classArrivals.length !== workload.classShares.length) {
      throw errors.error(
        'OPTION_INVALID',
        `option classArrivals: ${workload.classArrivals.length} class matrices for ${workload.classShares.length} class shares`,
        { details: { option: 'classArrivals' } },
      );
    }
    const marked = createMarkedMapSampler(
      { ...workload.map, classArrivals: workload.classArrivals },
      random,
    );
    return () => {
      const { interArrivalSeconds, classId } = marked.next();
      return { gap: interArrivalSeconds, classId };
    };
  }
  const sampler = createMapSampler(workload.map, random);
  const classOf = createClassSampler(workload.classShares);
  return () => {
    const gap = sampler.nextInterArrival();
    return { gap, classId: classOf(random.next()) };
  };
}

function checkCount(count: number, option: string): void {
  if (!(Number.isInteger(count) && count >= 1)) {
    throw errors.error('OPTION_INVALID', `option ${option}: ${count}; must be an integer >= 1`, {
      details: { option },
    });
  }
}

/**
 * Arrivals sampled from a MAP, each with a class drawn from the shares and its representative
 * size, starting at time 0; seeded, so the same seed gives the same arrivals.
 *
 * @example
 * ```ts
 * for (const arrival of sampleMapArrivals({ map, classShares: [0.7, 0.3], count: 1000, seed: 7 })) ...
 * ```
 */
export function* sampleMapArrivals(options: SampleMapOptions): Generator<Arrival> {
  checkCount(options.count, 'count');
  const random = createRandom(options.seed ?? 1);
  const next = createArrivalSource(options, random);
  const sizeOf = sizeOfClass(options, undefined);
  let timeSeconds = 0;
  for (let index = 0; index < options.count; index++) {
    const { gap, classId } = next();
    timeSeconds += gap;
    yield { timeSeconds, size: sizeOf(classId), classId };
  }
}

/**
 * Replays `requests` arrivals sampled from a MAP (classes drawn from the shares) through the
 * system; one seeded random source drives the arrivals, the classes and split-class routing, so
 * a seed fixes the whole run.
 *
 * @example
 * ```ts
 * const summary = simulateMap(
 *   { map: window.map, classShares: window.classShares },
 *   { system, profile, pricing, seed: 7 },
 *   1_000_000,
 * );
 * ```
 */
export function simulateMap(
  workload: MapWorkload,
  options: ReplayOptions,
  requests: number,
): ReplaySummary {
  checkCount(requests, 'requests');
  const random = createRandom(options.seed ?? 1);
  const engine = createReplayEngine(options, random);
  const next = createArrivalSource(workload, random);
  const sizeOf = sizeOfClass(workload, options);
  const count = Math.min(requests, options.maxRequests ?? requests);
  let timeSeconds = 0;
  for (let index = 0; index < count; index++) {
    const { gap, classId } = next();
    timeSeconds += gap;
    engine.push(timeSeconds, sizeOf(classId), classId);
  }
  return engine.finish();
}
