import type {
  ConfigurationPrediction,
  MarkovianArrivalProcess,
  PricingModel,
  ServiceTimeProfile,
  SystemConfiguration,
} from '@mbs/core';
import { bufferClassShare, validateSystemConfiguration } from '@mbs/core';
import { errors } from './errors.js';
import { type BufferEvaluation, evaluateBuffer } from './evaluate-buffer.js';
import { LatencyDistribution } from './latency-distribution.js';
import type { ModelApproximation } from './wait-law.js';
import { WaitLawCache } from './wait-law-cache.js';

/** Options of {@link evaluateSystem}. */
export interface EvaluateSystemOptions {
  /** Arrivals of all requests, per second. */
  readonly map: MarkovianArrivalProcess;
  /** Share of each class among all requests, indexed by class id; sums to 1. */
  readonly classShares: readonly number[];
  readonly system: SystemConfiguration;
  readonly profile: ServiceTimeProfile;
  readonly pricing: PricingModel;
  /** The latency percentile to report, in (0, 1), e.g. 0.95. */
  readonly percentile: number;
  /** Size each class pads to, indexed by class id; needed for the padding share. */
  readonly classRepresentativeSizes?: readonly number[];
  /** `exact` (default) or the MBS paper's `mbs` approximations. */
  readonly approximation?: ModelApproximation;
  /** Reuses wait laws across calls (the optimizer evaluates many systems on one MAP). */
  readonly waitLawCache?: WaitLawCache;
}

/** One buffer of a system evaluation. */
export interface SystemBufferEvaluation extends BufferEvaluation {
  /** Index in `system.buffers`. */
  readonly bufferIndex: number;
  /** Share of all requests routed to this buffer. */
  readonly requestShare: number;
  /** Share of each class among this buffer's requests, by class id. */
  readonly classShares: readonly number[];
}

/** What the model predicts for a whole system. */
export interface SystemEvaluation extends ConfigurationPrediction {
  /** Buffers that receive requests (a buffer whose classes have no share is left out). */
  readonly buffers: readonly SystemBufferEvaluation[];
  /** Latency of an arbitrary request, merged over buffers by request share. */
  readonly latency: LatencyDistribution;
}

/**
 * Predicts a multi-buffer system: each buffer gets the MAP thinned to its share of all requests
 * (exact, as classes are independent marks) and its own class mix; the latency distribution is
 * the request-share mixture over buffers.
 *
 * @example
 * ```ts
 * const prediction = evaluateSystem({ map, classShares, system, profile, pricing, percentile: 0.95 });
 * prediction.latencyPercentileSeconds; prediction.costPerRequestUsd;
 * ```
 */
export function evaluateSystem(options: EvaluateSystemOptions): SystemEvaluation {
  const { map, classShares, system, percentile } = options;
  validateSystemConfiguration(system, classShares.length, 'option system');
  const approximation = options.approximation ?? 'exact';
  if (options.waitLawCache && !options.waitLawCache.isFor(map)) {
    throw errors.error(
      'OPTION_INVALID',
      'option waitLawCache: made for another MAP; create one per MAP',
    );
  }
  const cache = options.waitLawCache ?? new WaitLawCache(map);
  const buffers: SystemBufferEvaluation[] = [];
  system.buffers.forEach((buffer, bufferIndex) => {
    const within = new Array<number>(classShares.length).fill(0);
    let requestShare = 0;
    for (let classId = buffer.firstClass; classId <= buffer.lastClass; classId++) {
      const share = (classShares[classId] ?? 0) * bufferClassShare(buffer, classId);
      within[classId] = share;
      requestShare += share;
    }
    if (!(requestShare > 1e-12)) return;
    const normalised = within.map((share) => share / requestShare);
    const waitLaw = cache.get(
      Math.min(1, requestShare),
      buffer.batchSize,
      buffer.timeoutSeconds,
      approximation,
    );
    const evaluation = evaluateBuffer({
      map,
      classShares: normalised,
      profile: options.profile,
      pricing: options.pricing,
      batchSize: buffer.batchSize,
      timeoutSeconds: buffer.timeoutSeconds,
      memoryMb: buffer.memoryMb,
      approximation,
      waitLaw,
      ...(options.classRepresentativeSizes === undefined
        ? {}
        : { classRepresentativeSizes: options.classRepresentativeSizes }),
    });
    buffers.push({ ...evaluation, bufferIndex, requestShare, classShares: normalised });
  });
  if (buffers.length === 0) {
    throw errors.error('OPTION_INVALID', 'option classShares: no buffer receives requests');
  }
  const totalShare = buffers.reduce((sum, buffer) => sum + buffer.requestShare, 0);
  const latency = LatencyDistribution.mixture(
    buffers.map((buffer) => buffer.latency),
    buffers.map((buffer) => buffer.requestShare),
  );
  let costPerRequestUsd = 0;
  let invocationsPerSecond = 0;
  let real = 0;
  let padded = 0;
  for (const buffer of buffers) {
    costPerRequestUsd += (buffer.requestShare / totalShare) * buffer.costPerRequestUsd;
    invocationsPerSecond += buffer.invocationsPerSecond;
    real += buffer.invocationsPerSecond * (buffer.realElementsPerBatch ?? 0);
    padded += buffer.invocationsPerSecond * (buffer.paddedElementsPerBatch ?? 0);
  }
  return {
    buffers,
    latency,
    percentile,
    latencyPercentileSeconds: latency.percentile(percentile),
    meanLatencySeconds: latency.meanSeconds,
    costPerRequestUsd,
    invocationsPerSecond,
    paddingShare: padded > 0 ? 1 - real / padded : Number.NaN,
  };
}
