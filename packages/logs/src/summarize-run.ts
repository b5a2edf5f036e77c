import type {
  BatchRecord,
  ConfigurationPrediction,
  InvocationRecord,
  PricingModel,
  RequestRecord,
  ServiceTimeProfile,
} from '@mbs/core';
import { megabytesToGigabytes, millisecondsToSeconds, sortedQuantile } from '@mbs/core';
import { billedInvocationCostUsd } from './billed-invocation-cost.js';
import { type ClassPadding, classPadding } from './class-padding.js';
import { errors } from './errors.js';
import { joinRecords } from './join-records.js';
import { type ServiceTimeAgreement, serviceTimeAgreement } from './service-time-agreement.js';

/** What {@link summarizeRun} reads. */
export interface SummarizeRunInput {
  /** The platform's records (from the logs or the provider's invoke results). */
  readonly invocations: readonly InvocationRecord[];
  readonly batches: readonly BatchRecord[];
  readonly requests: readonly RequestRecord[];
  /** The cost model the run is priced with: each invocation record through its `invocationCostUsd`. */
  readonly pricing: Pick<PricingModel, 'invocationCostUsd'>;
  /** What the model predicted, to compare against. */
  readonly prediction?: ConfigurationPrediction;
  /** Length of the run in seconds for rates; by default the span of request arrivals. */
  readonly runSeconds?: number;
  /** Largest accepted relative gap between log-billed cost and batch-record cost (0.001). */
  readonly costTolerance?: number;
  /**
   * Size each class pads to, by class id, as the prediction used them; with them the padding is
   * also measured by class ({@link classPadding}) and that, not the padding by request sizes, is
   * compared with the prediction. Without them there is no padding row in the comparison.
   */
  readonly classRepresentativeSizes?: readonly number[];
  /**
   * The profile the prediction used; with it the summary sets the run's invocations against its
   * service times ({@link RunSummary.serviceTime}).
   */
  readonly profile?: ServiceTimeProfile;
}

/** The run's invocations against the profile, and the cost per request at its service times. */
export interface RunServiceTime extends ServiceTimeAgreement {
  /**
   * Cost per request had every compared invocation taken the profile's service time (the others
   * as billed): the run's own batches priced the way the model prices them. Against the
   * prediction it measures the batches' share of a cost error; the measured cost against it, the
   * service time's share.
   */
  readonly costPerRequestAtProfileUsd: number;
  /**
   * Cost per request with the cold invocations at the profile's service times and the others as
   * billed: against costPerRequestAtProfileUsd it measures the warm service time's share of a
   * cost error; the measured cost against it, the cold starts' share.
   */
  readonly costPerRequestWarmAsBilledUsd: number;
}

/**
 * One measured metric next to its prediction. `paddingShare` is measured by class
 * ({@link RunPadding.byClass}), the way the model defines it.
 */
export interface PredictionComparison {
  readonly metric:
    | 'latencyPercentileSeconds'
    | 'meanLatencySeconds'
    | 'costPerRequestUsd'
    | 'invocationsPerSecond'
    | 'paddingShare';
  readonly predicted: number;
  readonly measured: number;
  /** (measured - predicted) / predicted; NaN when the prediction is 0. */
  readonly relativeError: number;
}

/** Padding of a run's batches, measured two ways. */
export interface RunPadding {
  /**
   * (a) By real request sizes: the batches' `BatchRecord.paddingShare`
   * (1 − Σ sizes / (n × largest size)), averaged weighted by their number of requests; NaN
   * without batches. This is what the handler really padded; the model cannot predict it.
   */
  readonly byRequestSizesShare: number;
  /**
   * (b) By class, as the model defines it ({@link classPadding}); present when class
   * representative sizes were given. The comparison with the prediction uses this one.
   */
  readonly byClass?: ClassPadding;
}

/** Result of {@link summarizeRun}. */
export interface RunSummary {
  readonly requests: {
    readonly total: number;
    readonly succeeded: number;
    readonly failed: number;
  };
  /** Latency of succeeded requests in seconds (nearest-rank quantiles). */
  readonly latencySeconds: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly mean: number;
    readonly max: number;
  };
  readonly invocations: {
    /** Invocation records read from the platform. */
    readonly total: number;
    readonly batches: number;
    readonly coldStarts: number;
    readonly errors: number;
    /** Platform invocations per second of run; NaN when the run length is unknown. */
    readonly perSecond: number;
  };
  readonly cost: {
    /** Sum over invocation records of the cost model's price of their billed duration, in USD. */
    readonly fromBilledDurationsUsd: number;
    /** Sum of BatchRecord.costUsd, in USD. */
    readonly fromBatchRecordsUsd: number;
    /** fromBilledDurationsUsd / requests.total. */
    readonly perRequestUsd: number;
    readonly gbSeconds: number;
    /** |log cost - batch cost| / batch cost over the invocations matched to a batch. */
    readonly matchedRelativeDifference: number;
    /** Whether matchedRelativeDifference is within costTolerance. */
    readonly withinTolerance: boolean;
  };
  readonly padding: RunPadding;
  readonly join: {
    readonly matched: number;
    readonly unmatchedInvocations: number;
    readonly unmatchedBatches: number;
    readonly unmatchedRequests: number;
  };
  readonly runSeconds: number;
  /** Present when a profile was given. */
  readonly serviceTime?: RunServiceTime;
  readonly comparison?: readonly PredictionComparison[];
}

function runServiceTime(
  joined: Parameters<typeof serviceTimeAgreement>[0],
  profile: ServiceTimeProfile,
  input: SummarizeRunInput,
  fromBilledDurationsUsd: number,
): RunServiceTime {
  const agreement = serviceTimeAgreement(joined, profile, input.pricing);
  const atProfileUsd =
    fromBilledDurationsUsd - agreement.measuredCostUsd + agreement.profileCostUsd;
  const warmAsBilledUsd =
    fromBilledDurationsUsd - agreement.coldCostUsd + agreement.coldProfileCostUsd;
  const perRequest = (usd: number) =>
    input.requests.length === 0 ? Number.NaN : usd / input.requests.length;
  return {
    ...agreement,
    costPerRequestAtProfileUsd: perRequest(atProfileUsd),
    costPerRequestWarmAsBilledUsd: perRequest(warmAsBilledUsd),
  };
}

function runLengthSeconds(requests: readonly RequestRecord[]): number {
  if (requests.length === 0) return Number.NaN;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const request of requests) {
    first = Math.min(first, request.arrivalSeconds);
    last = Math.max(last, request.arrivalSeconds);
  }
  return last > first ? last - first : Number.NaN;
}

function compare(
  metric: PredictionComparison['metric'],
  predicted: number,
  measured: number,
): PredictionComparison {
  return {
    metric,
    predicted,
    measured,
    relativeError: predicted === 0 ? Number.NaN : (measured - predicted) / predicted,
  };
}

/**
 * Summarizes a run: latency quantiles, invocations, padding (by request sizes, and by class when
 * `classRepresentativeSizes` is given), and the cost per request measured from billed durations,
 * checked against the batch records' costs and compared with the model's prediction.
 *
 * @example
 * ```ts
 * const summary = summarizeRun({
 *   ...(await readRunDirectory('runs/first')),
 *   pricing,
 *   prediction: config.windows[0].prediction,
 *   classRepresentativeSizes: config.classUpperEdges,
 * });
 * console.log(summary.latencySeconds.p99, summary.padding.byClass?.share, summary.cost.withinTolerance);
 * ```
 */
export function summarizeRun(input: SummarizeRunInput): RunSummary {
  const tolerance = input.costTolerance ?? 0.001;
  if (input.runSeconds !== undefined && !(input.runSeconds > 0)) {
    throw errors.error(
      'OPTION_INVALID',
      `summarizeRun: runSeconds must be > 0; got ${input.runSeconds}`,
    );
  }
  const succeeded = input.requests.filter((request) => request.error === undefined);
  const latencies = succeeded.map((request) => request.latencySeconds).sort((a, b) => a - b);
  const meanLatency =
    latencies.length === 0
      ? Number.NaN
      : latencies.reduce((sum, value) => sum + value, 0) / latencies.length;

  let fromBilledDurationsUsd = 0;
  let gbSeconds = 0;
  for (const invocation of input.invocations) {
    fromBilledDurationsUsd += billedInvocationCostUsd(invocation, input.pricing);
    gbSeconds +=
      millisecondsToSeconds(invocation.billedDurationMs) *
      megabytesToGigabytes(invocation.memorySizeMb);
  }
  const fromBatchRecordsUsd = input.batches.reduce((sum, batch) => sum + batch.costUsd, 0);

  const join = joinRecords(input.invocations, input.batches, input.requests);
  let matchedLogCost = 0;
  let matchedBatchCost = 0;
  for (const pair of join.joined) {
    matchedLogCost += billedInvocationCostUsd(pair.invocation, input.pricing);
    matchedBatchCost += pair.batch.costUsd;
  }
  const matchedRelativeDifference =
    matchedBatchCost === 0
      ? matchedLogCost === 0
        ? 0
        : Number.POSITIVE_INFINITY
      : Math.abs(matchedLogCost - matchedBatchCost) / matchedBatchCost;

  const batchRequests = input.batches.reduce((sum, batch) => sum + batch.size, 0);
  const byRequestSizesShare =
    batchRequests === 0
      ? Number.NaN
      : input.batches.reduce((sum, batch) => sum + batch.size * batch.paddingShare, 0) /
        batchRequests;
  const byClass =
    input.classRepresentativeSizes === undefined
      ? undefined
      : classPadding(input.requests, input.classRepresentativeSizes);
  const runSeconds = input.runSeconds ?? runLengthSeconds(input.requests);
  const perRequestUsd =
    input.requests.length === 0 ? Number.NaN : fromBilledDurationsUsd / input.requests.length;
  const perSecond = input.invocations.length / runSeconds;

  const summary: RunSummary = {
    requests: {
      total: input.requests.length,
      succeeded: succeeded.length,
      failed: input.requests.length - succeeded.length,
    },
    latencySeconds: {
      p50: sortedQuantile(latencies, 0.5),
      p95: sortedQuantile(latencies, 0.95),
      p99: sortedQuantile(latencies, 0.99),
      mean: meanLatency,
      max: latencies.length === 0 ? Number.NaN : latencies[latencies.length - 1]!,
    },
    invocations: {
      total: input.invocations.length,
      batches: input.batches.length,
      coldStarts: input.invocations.filter((invocation) => invocation.initDurationMs !== undefined)
        .length,
      errors: input.invocations.filter((invocation) => invocation.error !== undefined).length,
      perSecond,
    },
    cost: {
      fromBilledDurationsUsd,
      fromBatchRecordsUsd,
      perRequestUsd,
      gbSeconds,
      matchedRelativeDifference,
      withinTolerance: matchedRelativeDifference <= tolerance,
    },
    padding: byClass === undefined ? { byRequestSizesShare } : { byRequestSizesShare, byClass },
    join: {
      matched: join.joined.length,
      unmatchedInvocations: join.unmatchedInvocations.length,
      unmatchedBatches: join.unmatchedBatches.length,
      unmatchedRequests: join.unmatchedRequests.length,
    },
    runSeconds,
    ...(input.profile === undefined
      ? {}
      : {
          serviceTime: runServiceTime(join.joined, input.profile, input, fromBilledDurationsUsd),
        }),
  };
  const prediction = input.prediction;
  if (prediction === undefined) return summary;
  return {
    ...summary,
    comparison: [
      compare(
        'latencyPercentileSeconds',
        prediction.latencyPercentileSeconds,
        // Documents written as 99 rather than 0.99 are read as percentages.
        sortedQuantile(
          latencies,
          prediction.percentile > 1 ? prediction.percentile / 100 : prediction.percentile,
        ),
      ),
      compare('meanLatencySeconds', prediction.meanLatencySeconds, meanLatency),
      compare('costPerRequestUsd', prediction.costPerRequestUsd, perRequestUsd),
      compare('invocationsPerSecond', prediction.invocationsPerSecond, perSecond),
      // Like for like only: the model pads to class sizes, so the share by real request sizes
      // is never set against its prediction.
      ...(byClass === undefined
        ? []
        : [compare('paddingShare', prediction.paddingShare, byClass.share)]),
    ],
  };
}
