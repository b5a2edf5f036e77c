import type {
  ConfigurationDocument,
  ConfigurationPrediction,
  PricingModel,
  ServiceTimeProfile,
} from '@mbs/core';
import { arrivalRate, scaleMapRate } from '@mbs/markov';
import { evaluateSystem } from '@mbs/model';
import type { OfferedLoad } from './offered-load.js';

/** What {@link offeredPrediction} evaluates. */
export interface OfferedPredictionInput {
  readonly config: ConfigurationDocument;
  /** Index of the window whose system and arrival process are used. */
  readonly window: number;
  readonly offered: OfferedLoad;
  /** Class mix of the offered requests; the window's own when absent. */
  readonly offeredClassShares?: readonly number[];
  /** The profile the configuration was solved with, for its classes. */
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
}

/** The model evaluated again for the load a run offered, and how it was obtained. */
export interface OfferedPrediction {
  readonly window: number;
  /** The window's arrival rate as solved, requests per second of trace time. */
  readonly windowRatePerSecond: number;
  /** The rate the model was evaluated at: the offered load's, requests per wall-clock second. */
  readonly ratePerSecond: number;
  /** ratePerSecond / windowRatePerSecond: the time scale applied to the window's MAP. */
  readonly timeScale: number;
  /** Whether the class mix is the offered requests' (else the window's). */
  readonly offeredClassMix: boolean;
  readonly prediction: ConfigurationPrediction;
}

/**
 * The model's prediction for the workload a run really offered: the window's MAP (as solved)
 * scaled in time so its rate is the offered rate (the run's speed times the replayed span's own
 * rate), the offered class mix, the window's system, the configuration's profile and the pricing;
 * evaluated by `@mbs/model`'s `evaluateSystem`, the model `mbs solve` searches with. Undefined
 * when the configuration does not record the window's arrival process (written before it did).
 *
 * @example
 * ```ts
 * const offered = offeredLoad(records.requests, { speed: 60, traceSpanSeconds: 371 });
 * offeredPrediction({ config, window: 0, offered, profile, pricing })?.prediction.costPerRequestUsd;
 * ```
 */
export function offeredPrediction(input: OfferedPredictionInput): OfferedPrediction | undefined {
  const { config, window, offered } = input;
  const solved = config.windows[window];
  if (solved?.workload === undefined) return undefined;
  const windowRatePerSecond = arrivalRate(solved.workload.map);
  const timeScale = offered.ratePerSecond / windowRatePerSecond;
  const classShares = input.offeredClassShares ?? solved.workload.classShares;
  // Documents written as 99 rather than 0.99 are read as percentages, as summarizeRun does.
  const stored = solved.prediction?.percentile ?? 0.95;
  const evaluation = evaluateSystem({
    map: scaleMapRate(solved.workload.map, timeScale),
    classShares,
    system: solved.system,
    profile: input.profile,
    pricing: input.pricing,
    percentile: stored > 1 ? stored / 100 : stored,
    classRepresentativeSizes: config.classRepresentativeSizes ?? config.classUpperEdges,
  });
  return {
    window,
    windowRatePerSecond,
    ratePerSecond: offered.ratePerSecond,
    timeScale,
    offeredClassMix: input.offeredClassShares !== undefined,
    prediction: {
      percentile: evaluation.percentile,
      latencyPercentileSeconds: evaluation.latencyPercentileSeconds,
      meanLatencySeconds: evaluation.meanLatencySeconds,
      costPerRequestUsd: evaluation.costPerRequestUsd,
      invocationsPerSecond: evaluation.invocationsPerSecond,
      paddingShare: evaluation.paddingShare,
    },
  };
}
