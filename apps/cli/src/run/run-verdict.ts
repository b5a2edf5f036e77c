import type { BatchRecord } from '@mbs/core';

/**
 * Watches a run's batch records and says when to stop early: when the first
 * `refusedBatchesToStop` batches all failed because the provider refused them (PROVIDER_ERROR or
 * THROTTLED: a missing function, a refusing or frozen endpoint, missing credentials) and no batch
 * has succeeded, every later request would fail the same way; a run that has had one success goes
 * on (a single missing function among several is reported at the end).
 */
export interface RefusalWatch {
  /** Counts one batch record; returns the reason to stop the first time the rule is met. */
  readonly addBatch: (record: BatchRecord) => string | undefined;
}

/** Batches refused in a row, with none succeeding, after which `mbs run` stops. */
export const DEFAULT_REFUSED_BATCHES_TO_STOP = 20;

/**
 * A {@link RefusalWatch}.
 *
 * @example
 * ```ts
 * const watch = createRefusalWatch(20, (record) => `mbs-b${record.buffer}`);
 * const reason = watch.addBatch(record); // 'the first 20 batches were all refused ...' or undefined
 * ```
 */
export function createRefusalWatch(
  refusedBatchesToStop: number,
  functionNameOf: (record: BatchRecord) => string,
): RefusalWatch {
  let refused = 0;
  let succeeded = false;
  let stopped = false;
  const examples = new Map<string, string>();
  return {
    addBatch(record) {
      if (stopped || succeeded) return undefined;
      const code = record.error?.code;
      if (code !== 'PROVIDER_ERROR' && code !== 'THROTTLED') {
        // A function that ran (even one that failed) shows the endpoint and function exist.
        succeeded = true;
        return undefined;
      }
      refused++;
      const name = functionNameOf(record);
      if (!examples.has(name)) examples.set(name, record.error?.message ?? code);
      if (refused < refusedBatchesToStop) return undefined;
      stopped = true;
      const [firstName, message] = [...examples.entries()][0]!;
      return `the first ${refused} batches were all refused by the provider (${[...examples.keys()].join(', ')}), e.g. ${firstName}: ${message}`;
    },
  };
}

/**
 * Why a run failed, or undefined when it passed: its share of failed requests is above
 * `maxFailedShare` (0 = any failure fails the run), or it was stopped early.
 */
export function runFailure(
  counts: { readonly submitted: number; readonly rejected: number },
  maxFailedShare: number,
  stoppedBecause: string | undefined,
): string | undefined {
  if (stoppedBecause !== undefined) return `stopped early: ${stoppedBecause}`;
  if (counts.submitted === 0) return 'no request was submitted';
  const share = counts.rejected / counts.submitted;
  if (share <= maxFailedShare) return undefined;
  return `${counts.rejected} of ${counts.submitted} requests failed (${(share * 100).toFixed(2)} %), more than --max-failed ${maxFailedShare}`;
}
