import { checkDrained, flushOpenBatches } from './batch-dispatch.js';
import type { Batcher } from './batcher-api.js';
import { createBatcherState } from './batcher-state.js';
import { followWindows, reconfigureBatcher, stopSchedule } from './configuration-schedule.js';
import type { BatcherOptions } from './options.js';
import { batcherStats } from './stats-snapshot.js';
import { submitRequest } from './submit-request.js';
import { withdrawRequest } from './withdraw-request.js';

/**
 * Creates a multi-buffer batcher: requests are routed by size class to buffers, each buffer
 * sends a batch to its function when the shared policy (`@mbs/policy`) says so (B requests or T
 * seconds after the first), and each request's promise settles with its own result.
 *
 * @example
 * ```ts
 * const batcher = createBatcher({ config: parseConfigurationDocument(json, 'config.json'), provider });
 * const output = await batcher.submit({ size: 512, input: tensor });
 * await batcher.close();
 * ```
 */
export function createBatcher<Input = unknown, Output = unknown>(
  options: BatcherOptions<Input, Output>,
): Batcher<Input, Output> {
  const state = createBatcherState(options);
  let closed: Promise<void> | undefined;
  followWindows(state);
  return {
    // The provider's types are the caller's promise; results are not checked against them.
    submit: (request, options) => submitRequest(state, request, options) as Promise<Output>,
    withdraw(id) {
      const request = state.activeRequests.get(id);
      return request !== undefined && withdrawRequest(state, request);
    },
    flush() {
      if (!state.closing) flushOpenBatches(state);
    },
    reconfigure(config) {
      reconfigureBatcher(state, config);
    },
    stats: () => batcherStats(state),
    close() {
      if (closed !== undefined) return closed;
      state.closing = true;
      stopSchedule(state);
      flushOpenBatches(state);
      closed = new Promise<void>((resolve) => {
        state.resolveDrained = resolve;
      });
      checkDrained(state);
      return closed;
    },
  };
}
