// Figures of the bench's runs: quantiles of per-request overhead and their spread over runs.
import { loadavg } from 'node:os';
import { quantile } from '@mbs/core';
import type { DriverRun } from './bench-process.js';

/** Per request: what the caller saw beyond the batcher's own latency, ms. */
export const overheadMs = (run: DriverRun): number[] =>
  run.latencyMs.map((latency, index) => latency - run.batcherMs[index]!);

/**
 * Per request, the `kernel` client's runs only: from issue to the answer's arrival in the client's
 * kernel beyond the batcher's latency, ms: the overhead without the client's lateness in reading.
 */
export const kernelOverheadMs = (run: DriverRun): number[] =>
  (run.kernelLatencyMs ?? []).map((latency, index) => latency - run.batcherMs[index]!);

/** Per request: the server's handler-to-answer time beyond the batcher's latency, ms. */
export const serverOverheadMs = (run: DriverRun): number[] =>
  (run.serverMs ?? []).map((server, index) => server - run.batcherMs[index]!);

/** The median over runs of one figure, with its p10-p90 over runs. */
export function spread(values: readonly number[]): string {
  const figure = (p: number) => quantile(values, p).toFixed(2);
  return values.length > 1 ? `${figure(0.5)} (${figure(0.1)}-${figure(0.9)})` : figure(0.5);
}

/** The median over runs of one figure. */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/** The 1-minute load average over the cores, as the bench reports it beside its figures. */
export const loadNote = (): string =>
  `load average ${loadavg()
    .map((load) => load.toFixed(1))
    .join(' / ')} (1/5/15 min) on this machine's cores`;
