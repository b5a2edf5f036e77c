import type {
  BatchRecord,
  ConfigurationDocument,
  ConfigurationPrediction,
  InvocationRecord,
  RequestRecord,
  SystemConfiguration,
} from '@mbs/core';
import type { ProfileForReport } from './parse-profile-document.js';

/** One solution of `mbs solve --json`: ours or a baseline. */
export interface SolveSolutionDocument {
  readonly strategy: string;
  readonly feasible: boolean;
  readonly costPerRequestUsd: number;
  /** The percentile of latency over all requests, in seconds (or seconds per size unit). */
  readonly latencyPercentile: number;
  readonly meanLatencySeconds: number;
  readonly invocationsPerSecond: number;
  readonly paddingShare: number;
  readonly system: SystemConfiguration;
}

/** A baseline of `mbs solve --json` (no batching, one buffer, MBS), or ours, by name. */
export interface SolveBaselineDocument extends SolveSolutionDocument {
  readonly name: string;
}

/** The model's prediction for one buffer of ours, as `mbs solve --json` writes it. */
export interface ModelBufferDocument {
  /** Index in `system.buffers`. */
  readonly buffer: number;
  readonly requestShare: number;
  /** P(N = n) at index n − 1, for n = 1..B. */
  readonly batchSizeProbabilities: readonly number[];
  readonly meanBatchSize: number;
  readonly paddingShare: number;
  readonly costPerRequestUsd: number;
  readonly invocationsPerSecond: number;
  readonly meanLatencySeconds: number;
}

/**
 * The model's distributions for ours in one window (`windows[i].model` of `mbs solve --json`):
 * P(latency ≤ x) over all requests and per buffer at the same x, exact model quantiles, and
 * each buffer's batch-size law.
 */
export interface ModelCurvesDocument {
  /** `seconds`, or `seconds per size unit` when the SLO is per size. */
  readonly latencyUnit: 'seconds' | 'seconds per size unit';
  readonly latencyCdf: {
    /** Latencies x, ascending. */
    readonly latency: readonly number[];
    readonly system: readonly number[];
    /** By buffer index. */
    readonly buffers: readonly (readonly number[])[];
  };
  /** Exact model quantiles of latency over all requests (e.g. p50, p95, p99). */
  readonly systemQuantiles: {
    readonly probability: readonly number[];
    readonly latency: readonly number[];
  };
  readonly buffers: readonly ModelBufferDocument[];
}

/** One point of a cost-vs-SLO sweep: the cheapest configuration solved for one SLO. */
export interface FrontierPoint {
  readonly sloSeconds: number;
  readonly costPerRequestUsd: number;
  /** The model's latency percentile of that configuration, when given. */
  readonly latencyPercentile?: number;
  readonly feasible?: boolean;
}

/** One window of `mbs solve --json`. */
export interface SolveWindowDocument {
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly arrivals?: number;
  readonly solution: SolveSolutionDocument;
  readonly baselines: readonly SolveBaselineDocument[];
  readonly model?: ModelCurvesDocument;
  /** A cost-vs-SLO sweep of this window, when the solve made one. */
  readonly frontier?: readonly FrontierPoint[];
}

/** The JSON of `mbs solve --json`, as far as the report reads it. */
export interface SolveDocument {
  readonly workload?: string;
  readonly profile?: string;
  readonly pricing?: string;
  /** The latency percentile constrained, in (0, 1). */
  readonly percentile: number;
  readonly constraint:
    | { readonly mode: 'latency'; readonly sloSeconds: number }
    | { readonly mode: 'cost'; readonly budgetUsdPerRequest: number };
  readonly perSize?: boolean;
  readonly windows: readonly SolveWindowDocument[];
  readonly configuration?: ConfigurationDocument;
}

/** Fields of a request record the report reads. */
export type ReportRequest = Pick<RequestRecord, 'buffer' | 'latencySeconds'> &
  Partial<Pick<RequestRecord, 'error' | 'classId' | 'batchId' | 'arrivalSeconds'>>;

/** Fields of a batch record the report reads. */
export type ReportBatch = Pick<BatchRecord, 'buffer' | 'size'> &
  Partial<Pick<BatchRecord, 'paddingShare' | 'cold' | 'costUsd' | 'error' | 'reason'>>;

/** Request and batch records of a replay (`mbs simulate --records DIR`) or a run. */
export interface MeasuredRecords {
  /** Where they came from, e.g. the directory. */
  readonly source: string;
  readonly requests?: readonly ReportRequest[];
  readonly batches?: readonly ReportBatch[];
  /**
   * Padding share by class, as the model defines it (`classPadding` of `@mbs/logs`), over all
   * requests and per buffer index; without it the report shows padding by request sizes only.
   */
  readonly paddingByClass?: {
    readonly overall: number;
    readonly buffers: readonly number[];
  };
}

/** Measured totals of a run (from `summarizeRun` of `@mbs/logs`, or run.json's summary). */
export interface RunMeasurements {
  readonly latencySeconds?: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly mean?: number;
  };
  readonly costPerRequestUsd?: number;
  readonly invocationsPerSecond?: number;
  readonly coldStarts?: number;
  /** Failed invocations on the platform. */
  readonly invocationErrors?: number;
  /** Requests that got an error instead of a result. */
  readonly failedRequests?: number;
  /** Requests rejected because the platform throttled (after retries). */
  readonly throttledRequests?: number;
  readonly retries?: number;
  readonly requests?: number;
  readonly runSeconds?: number;
  /** Where these figures come from, e.g. `invocations.jsonl (billed durations)`. */
  readonly basis?: string;
}

/** A run directory (`mbs run --out DIR`, then `mbs logs collect`), as far as it could be read. */
export interface RunInputs extends MeasuredRecords {
  readonly invocations?: readonly Pick<InvocationRecord, 'initDurationMs' | 'error'>[];
  readonly measurements?: RunMeasurements;
  /** The prediction of the window the run started in (from run.json's configuration). */
  readonly prediction?: ConfigurationPrediction;
  readonly configuration?: ConfigurationDocument;
}

/** Everything a report can show; each part is optional and the report says what it lacks. */
export interface ReportInputs {
  readonly title?: string;
  readonly solve?: { readonly source: string; readonly document: SolveDocument };
  /** Window of the solve the replay and run belong to (default 0). */
  readonly window?: number;
  readonly replay?: MeasuredRecords;
  readonly run?: RunInputs;
  /** A profile read by `parseProfileDocument`. */
  readonly profile?: ProfileForReport;
  /** Problems met while reading the inputs (missing or truncated files), shown at the top. */
  readonly problems?: readonly string[];
  /** Shown in the header, e.g. an ISO timestamp; absent keeps the output reproducible. */
  readonly generatedAt?: string;
}
