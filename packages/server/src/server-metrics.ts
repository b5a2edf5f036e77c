import type { BatcherStats } from '@mbs/batcher';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Latency buckets in seconds: from a few ms (warm, small batches) to Lambda's 15 minutes. */
const LATENCY_BUCKETS_SECONDS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 30, 60, 120, 900,
];
/** Batch size buckets: every size up to 8, then coarser. */
const BATCH_SIZE_BUCKETS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 20, 25, 32, 48, 64, 128];

/** Why a request was answered without a result. */
export type RefusalReason =
  | 'invalid'
  | 'payload-too-large'
  | 'misdirected'
  | 'in-flight-limit'
  | 'queue-full'
  | 'deadline'
  | 'closed';

/** The Prometheus metrics of one server, in their own registry. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** One answered inference request, by HTTP status. */
  answered(status: number): void;
  /** Inference requests answered so far, by HTTP status. */
  answeredByStatus(): Readonly<Record<string, number>>;
  refused(reason: RefusalReason): void;
  /** A client that went away before its batch was sent (withdrawn) or after (answer dropped). */
  disconnected(withdrawn: boolean): void;
  throttled(functionName: string): void;
  request(record: RequestRecord): void;
  batch(record: BatchRecord): void;
  /** Sets the gauges read from the batcher and the HTTP layer; called on each scrape. */
  sample(stats: BatcherStats, inFlightRequests: number): void;
}

/**
 * Creates the metrics `/metrics` exposes: request latency and batch size histograms per buffer,
 * invocations, cold starts, throttles, function errors, retries, queue depth, in-flight work,
 * refusals by reason and the running cost in USD.
 */
export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  const registers = [registry];
  const answers = new Counter({
    name: 'mbs_http_requests_total',
    help: 'Inference requests answered, by HTTP status code',
    labelNames: ['status'],
    registers,
  });
  const refusals = new Counter({
    name: 'mbs_requests_refused_total',
    help: 'Inference requests answered without a result, by reason',
    labelNames: ['reason'],
    registers,
  });
  const disconnects = new Counter({
    name: 'mbs_client_disconnects_total',
    help: 'Clients that went away before their answer; withdrawn="true" when the request left its buffer before its batch was sent',
    labelNames: ['withdrawn'],
    registers,
  });
  const latency = new Histogram({
    name: 'mbs_request_latency_seconds',
    help: 'Latency of served requests in the batcher (arrival to result), by buffer',
    labelNames: ['buffer'],
    buckets: LATENCY_BUCKETS_SECONDS,
    registers,
  });
  const batchSize = new Histogram({
    name: 'mbs_batch_size',
    help: 'Requests per dispatched batch, by buffer',
    labelNames: ['buffer'],
    buckets: BATCH_SIZE_BUCKETS,
    registers,
  });
  const invocations = new Counter({
    name: 'mbs_invocations_total',
    help: 'Finished batch invocations (retries of one batch count once), by buffer',
    labelNames: ['buffer'],
    registers,
  });
  const coldStarts = new Counter({
    name: 'mbs_cold_starts_total',
    help: 'Invocations that started a new function instance, by buffer',
    labelNames: ['buffer'],
    registers,
  });
  const batchErrors = new Counter({
    name: 'mbs_batch_errors_total',
    help: 'Batches that failed as a whole, by buffer and error code (FUNCTION_ERROR, THROTTLED, PROVIDER_ERROR)',
    labelNames: ['buffer', 'code'],
    registers,
  });
  const throttles = new Counter({
    name: 'mbs_throttles_total',
    help: 'Invocation attempts the provider throttled (each retry counts), by function',
    labelNames: ['function'],
    registers,
  });
  const cost = new Counter({
    name: 'mbs_cost_usd_total',
    help: 'Running cost of the invocations in USD (billed duration x memory x price + request fee), by buffer',
    labelNames: ['buffer'],
    registers,
  });
  const queueDepth = new Gauge({
    name: 'mbs_queue_depth',
    help: 'Requests waiting in a buffer: its open batch plus batches waiting for an invocation slot',
    labelNames: ['buffer'],
    registers,
  });
  const inFlightInvocations = new Gauge({
    name: 'mbs_in_flight_invocations',
    help: 'Invocations running or waiting to retry, by buffer',
    labelNames: ['buffer'],
    registers,
  });
  const inFlightRequests = new Gauge({
    name: 'mbs_in_flight_requests',
    help: 'Inference requests accepted and not yet answered',
    registers,
  });
  const retries = new Gauge({
    name: 'mbs_invocation_retries',
    help: 'Invocation attempts repeated after throttling or a retryable provider error, since start',
    registers,
  });
  const configurationChanges = new Gauge({
    name: 'mbs_configuration_changes',
    help: 'Configurations applied since start (windows of the schedule and reloads), the first included',
    registers,
  });
  const byStatus: Record<string, number> = {};
  // Children by label value, so the per-request calls skip prom-client's label hashing.
  const answersByStatus = new Map<number, ReturnType<typeof answers.labels>>();
  const latencyByBuffer = new Map<number, ReturnType<typeof latency.labels>>();
  return {
    registry,
    answered(status) {
      const label = String(status);
      byStatus[label] = (byStatus[label] ?? 0) + 1;
      let child = answersByStatus.get(status);
      if (child === undefined) {
        child = answers.labels({ status: label });
        answersByStatus.set(status, child);
      }
      child.inc();
    },
    answeredByStatus: () => ({ ...byStatus }),
    refused: (reason) => refusals.inc({ reason }),
    disconnected: (withdrawn) => disconnects.inc({ withdrawn: String(withdrawn) }),
    throttled: (functionName) => throttles.inc({ function: functionName }),
    request(record) {
      if (record.error !== undefined) return;
      let child = latencyByBuffer.get(record.buffer);
      if (child === undefined) {
        child = latency.labels({ buffer: String(record.buffer) });
        latencyByBuffer.set(record.buffer, child);
      }
      child.observe(record.latencySeconds);
    },
    batch(record) {
      const buffer = String(record.buffer);
      batchSize.observe({ buffer }, record.size);
      if (record.error !== undefined) {
        batchErrors.inc({ buffer, code: record.error.code });
        // A batch the provider refused on every attempt never ran: no invocation, no cost.
        if (record.error.code !== 'FUNCTION_ERROR') return;
      }
      invocations.inc({ buffer });
      if (record.cold) coldStarts.inc({ buffer });
      if (Number.isFinite(record.costUsd)) cost.inc({ buffer }, record.costUsd);
    },
    sample(stats, requests) {
      queueDepth.reset();
      inFlightInvocations.reset();
      for (const buffer of stats.buffers) {
        const label = { buffer: String(buffer.buffer) };
        queueDepth.set(label, buffer.pending);
        inFlightInvocations.set(label, buffer.inFlightInvocations);
      }
      inFlightRequests.set(requests);
      retries.set(stats.retries);
      configurationChanges.set(stats.configurationChanges);
    },
  };
}
