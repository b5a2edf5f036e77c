import path from 'node:path';
import {
  type Arrival,
  classSchemeFromEdges,
  type MarkovianArrivalProcess,
  type PricingModel,
  type ServiceTimeProfile,
} from '@mbs/core';
import {
  createArrivalsReplay,
  createMapSampleReplay,
  type OptimizationProblem,
  type SystemReplay,
} from '@mbs/optimizer';
import { createCsvTraceReader, readMapFiles } from '@mbs/trace-formats';
import { createRangeArrivals, fitWorkload } from '@mbs/traces';
import { errors } from './errors.js';
import { dataDirectory } from './real-data.js';

/** Requests sampled from a MAP for each replay. */
export const MAP_REPLAY_REQUESTS = 1_000_000;
/** Seed of the sample the solution is verified on. */
export const VERIFY_SEED = 7;
/** Seed of the independent sample that checks the verified solution. */
export const CHECK_SEED = 8;

/** One workload: what the model solves for and how ours is replayed. */
export interface ValidationCase {
  readonly name: string;
  readonly map: MarkovianArrivalProcess;
  readonly classShares: readonly number[];
  readonly representativeSizes: readonly number[];
  /** The replay the verification loop tightens against. */
  readonly replay: SystemReplay;
  readonly replayLabel: string;
  /** Twitter: a replay of an independent sample, to check the verified solution generalises. */
  readonly checkReplay?: SystemReplay;
  /** Azure: a replay of a sample of the trace's one fitted MAP. */
  readonly fittedMapReplay?: SystemReplay;
  /**
   * Azure with `rangeFits`: each class range's own MAP(2), fitted from the trace's arrivals in
   * that range, for `OptimizationProblem.rangeArrivals` (instead of thinning the one MAP).
   */
  readonly rangeArrivals?: OptimizationProblem['rangeArrivals'];
}

/** What every case shares. */
export interface CaseContext {
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  readonly log: (message: string) => void;
  /**
   * Fit each class range's arrivals on its own where the case has per-request classes (Azure);
   * Twitter MAPs carry none, so their cases ignore it.
   */
  readonly rangeFits?: boolean;
}

function mapSampleReplay(
  workload: {
    map: MarkovianArrivalProcess;
    classShares: readonly number[];
    representativeSizes: readonly number[];
  },
  context: CaseContext,
  seed: number,
): SystemReplay {
  return createMapSampleReplay(workload, {
    profile: context.profile,
    pricing: context.pricing,
    requests: MAP_REPLAY_REQUESTS,
    seed,
  });
}

/**
 * A Twitter hour: its MAP with equal class shares and sizes = class index + 1 (the MAPs carry no
 * sizes), replayed on a sample of the MAP and checked on an independent one.
 */
export async function twitterCase(hour: number, context: CaseContext): Promise<ValidationCase> {
  const directory = path.join(dataDirectory, 'twitter-maps');
  const map = await readMapFiles(
    path.join(directory, `hour${hour}_D0.csv`),
    path.join(directory, `hour${hour}_D1.csv`),
  );
  const classCount = context.profile.classCount;
  const workload = {
    map,
    classShares: new Array<number>(classCount).fill(1 / classCount),
    representativeSizes: Array.from({ length: classCount }, (_, classId) => classId + 1),
  };
  return {
    name: `Twitter hour ${hour}`,
    ...workload,
    replay: mapSampleReplay(workload, context, VERIFY_SEED),
    replayLabel: `${MAP_REPLAY_REQUESTS} requests sampled from the MAP (seed ${VERIFY_SEED})`,
    checkReplay: mapSampleReplay(workload, context, CHECK_SEED),
  };
}

/**
 * The Azure LLM conversation trace: sizes mapped to the profile's count of quantile classes, one
 * MAP(2) window fitted by `@mbs/traces`, replayed on the trace's own arrivals with their classes.
 * With `context.rangeFits`, also each class range's own MAP(2) fitted from those arrivals.
 */
export async function azureCase(context: CaseContext): Promise<ValidationCase> {
  const tracePath = path.join(dataDirectory, 'azure-llm-conv-2023.csv');
  const classCount = context.profile.classCount;
  const reader = createCsvTraceReader();
  const workload = await fitWorkload(reader.read(tracePath), {
    classes: { by: 'quantile', count: classCount },
  });
  const window = workload.windows[0];
  if (workload.windows.length !== 1 || !window) {
    throw errors.error(
      'TRACE_PARSE',
      `${tracePath}: expected one window, got ${workload.windows.length}`,
    );
  }
  if (workload.classUpperEdges.length !== classCount) {
    throw errors.error(
      'TRACE_PARSE',
      `${tracePath}: the sizes give ${workload.classUpperEdges.length} distinct quantile classes; the profile has ${classCount}`,
    );
  }
  const scheme = classSchemeFromEdges(workload.classUpperEdges, workload.classRepresentativeSizes);
  // Every arrival carries its class: the replay and the range fits both read it.
  const arrivals: (Arrival & { readonly classId: number })[] = [];
  for await (const arrival of reader.read(tracePath)) {
    arrivals.push({ ...arrival, classId: scheme.classOf(arrival.size) });
  }
  context.log(
    `Azure: ${arrivals.length} arrivals, MAP fit ${window.map.d0.length === 1 ? 'Poisson' : 'MAP(2)'}, class edges (tokens) ${workload.classUpperEdges.map(Math.round).join(' ')}`,
  );
  const fitted = {
    map: window.map,
    classShares: window.classShares,
    representativeSizes: workload.classRepresentativeSizes,
  };
  return {
    name: 'Azure LLM conv.',
    ...fitted,
    replay: createArrivalsReplay(arrivals, { profile: context.profile, pricing: context.pricing }),
    replayLabel: `the real trace's ${arrivals.length} arrivals with their classes`,
    fittedMapReplay: mapSampleReplay(fitted, context, VERIFY_SEED),
    ...(context.rangeFits
      ? {
          // The window's length, as the one MAP's rate uses (`mbs solve --range-fits` does the same).
          rangeArrivals: createRangeArrivals(arrivals, classCount, {
            durationSeconds: window.endSeconds - window.startSeconds,
          }),
        }
      : {}),
  };
}
