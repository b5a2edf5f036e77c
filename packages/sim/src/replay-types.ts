import type {
  BatchRecord,
  ClassScheme,
  PricingModel,
  RequestRecord,
  ServiceTimeProfile,
  SystemConfiguration,
} from '@mbs/core';

/** Cold starts: instances stay warm for a while after their last batch; a new one pays an init. */
export interface ColdStartOptions {
  /** Init duration of a new instance, in ms; added to the latency and billed as the pricing says. */
  readonly initDurationMs: number;
  /** How long an idle instance stays warm, in seconds (Lambda: minutes, not guaranteed). */
  readonly keepWarmSeconds: number;
}

/** Options of a replay. */
export interface ReplayOptions {
  /** The buffers: class ranges (split boundary classes allowed), B, T and M of each. */
  readonly system: SystemConfiguration;
  /** Service time of a batch from (memory, largest class, batch size). */
  readonly profile: ServiceTimeProfile;
  /** Cost of an invocation. */
  readonly pricing: PricingModel;
  /** Classes the sizes of arrivals that carry no class id; needed unless every arrival has one. */
  readonly classScheme?: ClassScheme;
  /** Seed of the random choices (split-class routing, MAP samples); default 1. */
  readonly seed?: number;
  /** Model cold starts; without it every invocation is warm. */
  readonly coldStart?: ColdStartOptions;
  /** Stop after this many arrivals; default: all. */
  readonly maxRequests?: number;
  /** Latency percentiles to report besides 0.5, 0.95 and 0.99, each in (0, 1). */
  readonly percentiles?: readonly number[];
  /** Receives each request's record as its batch is dispatched (records are optional). */
  readonly onRequest?: (record: RequestRecord) => void;
  /** Receives each batch's record as it is dispatched. */
  readonly onBatch?: (record: BatchRecord) => void;
}

/** Measured figures of a set of requests (one buffer, or all). */
export interface ReplayStatistics {
  readonly requests: number;
  readonly batches: number;
  readonly meanBatchSize: number;
  readonly meanLatencySeconds: number;
  readonly p50LatencySeconds: number;
  readonly p95LatencySeconds: number;
  readonly p99LatencySeconds: number;
  readonly maxLatencySeconds: number;
  /** Nearest-rank latency of each requested percentile, keyed by the percentile (e.g. `"0.9"`). */
  readonly latencyPercentilesSeconds: Readonly<Record<string, number>>;
  /** Mean time in the buffer, in seconds. */
  readonly meanWaitSeconds: number;
  readonly costUsd: number;
  readonly costPerRequestUsd: number;
  /** Batches per second over the arrival span. */
  readonly invocationsPerSecond: number;
  /** Share of input elements that are padding: 1 - sum(sizes) / sum(batch size x largest size). */
  readonly paddingShare: number;
  readonly coldStarts: number;
  /** Batches by dispatch reason. */
  readonly dispatchReasons: { readonly full: number; readonly timeout: number };
}

/** What a replay measured, overall and per buffer. */
export interface ReplaySummary {
  readonly overall: ReplayStatistics;
  readonly buffers: readonly ReplayStatistics[];
  readonly firstArrivalSeconds: number;
  readonly lastArrivalSeconds: number;
  /** Span of the arrivals (last - first), the denominator of rates. */
  readonly spanSeconds: number;
}
