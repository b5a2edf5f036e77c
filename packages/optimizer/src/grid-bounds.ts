import type { OptimizationProblem } from './problem.js';
import type { SolvedBuffer } from './solution.js';

/** A search parameter whose chosen value sits on the top of its grid in some buffers. */
export interface GridBoundHit {
  /** `batchSize` (B, the `--max-batch-size` bound) or `timeout` (T, `--max-timeout`). */
  readonly parameter: 'batchSize' | 'timeout';
  /** The bound's value: B, or T in seconds. */
  readonly value: number;
  /** The buffers (indexes in the solution) that sit on it. */
  readonly buffers: readonly number[];
}

/**
 * Where the chosen B or T of batching buffers sits on the largest value of the grid: the optimum
 * may lie beyond it, so the user can widen the grid (a loose SLO typically ends there). B counts
 * only while the profile answers larger batches.
 *
 * @example
 * ```ts
 * gridBoundsReached(problem, solution.buffers); // [{ parameter: 'batchSize', value: 25, buffers: [0, 1] }]
 * ```
 */
export function gridBoundsReached(
  problem: Pick<OptimizationProblem, 'bounds' | 'profile'>,
  buffers: readonly SolvedBuffer[],
): GridBoundHit[] {
  const { bounds } = problem;
  const largestBatch = Math.max(...bounds.batchSizes);
  const longestTimeout = Math.max(...bounds.timeoutsSeconds);
  const hits: GridBoundHit[] = [];
  const onBound = (
    parameter: GridBoundHit['parameter'],
    value: number,
    at: (b: SolvedBuffer) => boolean,
  ) => {
    const indexes = buffers.flatMap((buffer, index) =>
      buffer.settings.batchSize > 1 && at(buffer) ? [index] : [],
    );
    if (indexes.length > 0) hits.push({ parameter, value, buffers: indexes });
  };
  if (largestBatch < problem.profile.maxBatchSize)
    onBound('batchSize', largestBatch, (buffer) => buffer.settings.batchSize >= largestBatch);
  onBound(
    'timeout',
    longestTimeout,
    (buffer) => buffer.settings.timeoutSeconds >= longestTimeout * (1 - 1e-9),
  );
  return hits;
}
