import path from 'node:path';
import {
  type Arrival,
  classSchemeFromEdges,
  type PricingModel,
  type ServiceTimeProfile,
  type WorkloadWindow,
} from '@mbs/core';
import {
  createArrivalsReplay,
  createMapSampleReplay,
  type OptimizationProblem,
  type SearchBounds,
  type SystemReplay,
} from '@mbs/optimizer';
import { createParametricProfile, readMbsProfile } from '@mbs/profiles';
import { createCsvTraceReader } from '@mbs/trace-formats';
import {
  createRangeArrivals,
  fitWorkload,
  markedRangeArrivals,
  type RangeArrivals,
} from '@mbs/traces';
import { arraysTrace, generateBurstyArrivals } from './bursty-trace.js';
import { errors } from './errors.js';
import { dataDirectory, deepSpeechProfilePath, realCaseBounds } from './real-data.js';
import { createStreamSampleReplay } from './stream-sample-replay.js';

/** Arrival times (s from the first) and sizes of one trace. */
export interface TraceArrays {
  readonly name: string;
  readonly times: Float64Array;
  readonly sizes: Float64Array;
}

/** The traces the bursty validation runs on, by name. */
export const BURSTY_TRACES = {
  hard: 'the bursty hard case, seed 6 (sizes independent of time)',
  drift: 'the bursty hard case, seed 6, sizes drifting with time',
  azure: 'the Azure LLM conversation trace (../shared/data)',
} as const;

/** Reads or generates a trace by name. */
export async function loadTrace(name: keyof typeof BURSTY_TRACES): Promise<TraceArrays> {
  if (name === 'azure') {
    const times: number[] = [];
    const sizes: number[] = [];
    for await (const arrival of createCsvTraceReader().read(
      path.join(dataDirectory, 'azure-llm-conv-2023.csv'),
    )) {
      times.push(arrival.timeSeconds);
      sizes.push(arrival.size);
    }
    const first = times[0] ?? 0;
    return {
      name,
      times: Float64Array.from(times, (time) => time - first),
      sizes: Float64Array.from(sizes),
    };
  }
  const { times, sizes } = generateBurstyArrivals({ seed: 6, sizeDrift: name === 'drift' });
  return { name, times, sizes };
}

/** The arrivals with times in [from, to) seconds, shifted to start at `from`. */
export function sliceTrace(trace: TraceArrays, from: number, to: number): TraceArrays {
  const indices: number[] = [];
  trace.times.forEach((time, index) => {
    if (time >= from && time < to) indices.push(index);
  });
  return {
    name: `${trace.name} ${from.toFixed(0)}-${to.toFixed(0)} s`,
    times: Float64Array.from(indices, (index) => trace.times[index]! - from),
    sizes: Float64Array.from(indices, (index) => trace.sizes[index]!),
  };
}

/** The profiles the bursty validation solves with. */
export type ProfileName = 'parametric' | 'deepspeech';

/** Everything a case needs to be solved and replayed, fitted from one trace (or its first part). */
export interface FittedCase {
  readonly trace: TraceArrays;
  readonly window: WorkloadWindow;
  readonly profile: ServiceTimeProfile;
  readonly classCount: number;
  readonly representativeSizes: readonly number[];
  /** The problem at an SLO: the window's MAP, and each range's restriction when it is marked. */
  readonly problem: (sloSeconds: number) => OptimizationProblem;
  /** Replays the trace's own arrivals with their classes (standard error over 10 stretches). */
  readonly realReplay: SystemReplay;
  /**
   * Replays 10^6 requests sampled from the processes the model was given, seed 7: the window's
   * MAP with independent classes, or each buffer's own stream when classes depend on arrivals.
   */
  readonly fittedReplay: SystemReplay;
  /** Each range's stream, when classes depend on the arrivals (what each range kept). */
  readonly rangeArrivals?: RangeArrivals;
  /** Classes a later stretch of traffic with this case's class scheme and replays it. */
  readonly replayOf: (other: TraceArrays) => SystemReplay;
  readonly fitSeconds: number;
}

/** Requests sampled from the fitted process per replay. */
export const FITTED_REPLAY_REQUESTS = 1_000_000;

/**
 * Fits a trace for a profile (parametric: 8 quantile classes and the parametric profile over
 * their representative sizes; DeepSpeech: the profile's 33 classes as quantile classes of the
 * sizes) with `fitWorkload`'s defaults (fit chosen by counting statistics at the grid's timeouts,
 * a marked MAP when classes depend on the arrivals), and builds its problem and replays.
 */
export async function fitCase(
  trace: TraceArrays,
  profileName: ProfileName,
  pricing: PricingModel,
): Promise<FittedCase> {
  const started = performance.now();
  const deepSpeech =
    profileName === 'deepspeech' ? await readMbsProfile(deepSpeechProfilePath) : undefined;
  const classCount = deepSpeech?.classCount ?? 8;
  const bounds0 = realCaseBounds(deepSpeech ?? createParametricProfile({}));
  const workload = await fitWorkload(arraysTrace(trace.times, trace.sizes, trace.name), {
    classes: { by: 'quantile', count: classCount },
    countWindowsSeconds: bounds0.timeoutsSeconds,
  });
  const window = workload.windows[0];
  if (workload.windows.length !== 1 || !window || workload.classUpperEdges.length !== classCount) {
    throw errors.error(
      'TRACE_PARSE',
      `${trace.name}: expected one window of ${classCount} classes`,
    );
  }
  const representativeSizes = workload.classRepresentativeSizes;
  const profile = deepSpeech ?? createParametricProfile({ representativeSizes });
  const bounds: SearchBounds = realCaseBounds(profile);
  const scheme = classSchemeFromEdges(workload.classUpperEdges, representativeSizes);
  const classed = (arrays: TraceArrays): (Arrival & { readonly classId: number })[] =>
    Array.from(arrays.times, (timeSeconds, index) => {
      const size = arrays.sizes[index]!;
      return { timeSeconds, size, classId: scheme.classOf(size) };
    });
  // Classes depending on the arrivals: each range's own stream, fitted by its counting match
  // against the marked MAP's restriction (as `mbs solve --trace` does).
  const marked = markedRangeArrivals(window, trace.name);
  const rangeArrivals = marked
    ? createRangeArrivals(classed(trace), classCount, {
        fit: 'counts',
        candidate: marked,
        countWindowsSeconds: bounds.timeoutsSeconds,
        durationSeconds: window.endSeconds - window.startSeconds,
      })
    : undefined;
  // With stretches, so the held-out replay reports its share over the SLO too.
  const replayOf = (arrays: TraceArrays) =>
    createArrivalsReplay(classed(arrays), { profile, pricing, stretches: 10 });
  const problem = (sloSeconds: number): OptimizationProblem => ({
    map: window.map,
    classShares: window.classShares,
    classRepresentativeSizes: representativeSizes,
    profile,
    pricing,
    percentile: 0.95,
    constraint: { mode: 'latency', sloSeconds },
    bounds,
    ...(rangeArrivals ? { rangeArrivals } : {}),
  });
  return {
    trace,
    window,
    profile,
    classCount,
    representativeSizes,
    problem,
    // With the percentile's spread over 10 stretches of the trace, for a verification margin.
    realReplay: createArrivalsReplay(classed(trace), { profile, pricing, stretches: 10 }),
    fittedReplay: rangeArrivals
      ? createStreamSampleReplay(problem(1), { requests: FITTED_REPLAY_REQUESTS, seed: 7 })
      : createMapSampleReplay(
          { map: window.map, classShares: window.classShares, representativeSizes },
          { profile, pricing, requests: FITTED_REPLAY_REQUESTS, seed: 7 },
        ),
    ...(rangeArrivals ? { rangeArrivals } : {}),
    replayOf,
    fitSeconds: (performance.now() - started) / 1000,
  };
}
