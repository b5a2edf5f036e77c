import type {
  ConfigurationPrediction,
  MarkovianArrivalProcess,
  PricingModel,
  ServiceTimeProfile,
  SystemConfiguration,
} from '@mbs/core';
import { type BatchHandlerTiming, batchServiceMs } from './batch-handler.js';

/** What the model needs besides the system: the arrivals, the class mix and the service law. */
export interface PredictionInput {
  readonly map: MarkovianArrivalProcess;
  readonly classShares: readonly number[];
  readonly system: SystemConfiguration;
  readonly timing: BatchHandlerTiming;
  readonly pricing: PricingModel;
  readonly percentile: number;
  /** Time an invocation takes beyond the handler's sleep (HTTP, process hand-off), in seconds. */
  readonly overheadSeconds: number;
}

/** The model's prediction, or why there is none (the model package is not built or refused). */
export type PredictionOutcome =
  | { readonly prediction: ConfigurationPrediction }
  | { readonly missing: string };

/** A MAP run `factor` times faster: every rate multiplied, so the arrival rate is too. */
export function speedUpMap(map: MarkovianArrivalProcess, factor: number): MarkovianArrivalProcess {
  const scale = (matrix: readonly (readonly number[])[]) =>
    matrix.map((row) => row.map((rate) => rate * factor));
  return { d0: scale(map.d0), d1: scale(map.d1) };
}

/** The service-time profile of the test handler (memory does not matter without CPU scaling). */
export function handlerProfile(
  timing: BatchHandlerTiming,
  overheadSeconds: number,
): ServiceTimeProfile {
  return {
    specificationVersion: 'v1',
    name: 'sleeping-batch-handler',
    description: 'The end-to-end test handler: base + per padded unit, in milliseconds',
    memorySizesMb: [128, 10240],
    maxBatchSize: 256,
    classCount: timing.classUpperEdges.length,
    interpolation: 'inverse-memory',
    memoryRangeMb: { min: 128, max: 10240 },
    serviceTimeSeconds: (_memoryMb, largestClass, batchSize) =>
      batchServiceMs(timing, largestClass, batchSize) / 1000 + overheadSeconds,
  };
}

/** Evaluates the system with @mbs/model when it can be loaded. */
export async function predictWithModel(input: PredictionInput): Promise<PredictionOutcome> {
  let model: typeof import('@mbs/model');
  try {
    model = await import('@mbs/model');
  } catch (error) {
    return { missing: `@mbs/model cannot be loaded: ${(error as Error).message}` };
  }
  try {
    const evaluation = model.evaluateSystem({
      map: input.map,
      classShares: input.classShares,
      system: input.system,
      profile: handlerProfile(input.timing, input.overheadSeconds),
      pricing: input.pricing,
      percentile: input.percentile,
      classRepresentativeSizes: input.timing.classUpperEdges,
    });
    return {
      prediction: {
        percentile: evaluation.percentile,
        latencyPercentileSeconds: evaluation.latencyPercentileSeconds,
        meanLatencySeconds: evaluation.meanLatencySeconds,
        costPerRequestUsd: evaluation.costPerRequestUsd,
        invocationsPerSecond: evaluation.invocationsPerSecond,
        paddingShare: evaluation.paddingShare,
      },
    };
  } catch (error) {
    return { missing: `@mbs/model refused the system: ${(error as Error).message}` };
  }
}
