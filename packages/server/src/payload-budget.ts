import type { ConfigurationDocument } from '@mbs/core';
import { LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES } from '@mbs/core';

/**
 * Bytes of a batch event besides its requests' inputs: `{"batchId":"b…","requests":[…]}`, with
 * room for a long batch id.
 */
export const BATCH_ENVELOPE_BYTES = 64;
/** Bytes of one request in a batch event besides its input: `{"id":"…","input":…},`. */
export const REQUEST_ENVELOPE_BYTES = 48;

/** What a request of one class may carry. */
export interface ClassPayloadBudget {
  /** The largest B of any buffer that takes the class in any window. */
  readonly largestBatchSize: number;
  /** The largest input, in bytes of JSON. */
  readonly budgetBytes: number;
}

/**
 * The largest input, in bytes of JSON, that a request of each class may carry so that a full
 * batch of its buffer still fits in Lambda's 6 MB Invoke payload: (limit − batch envelope) / B −
 * request envelope, with B the largest batch size of any buffer that takes the class in any
 * window (the schedule may move the class). A request over its budget could fail its whole batch,
 * so it is refused at once (413) instead.
 *
 * @example
 * ```ts
 * const budgets = classPayloadBudgets(config); // budgets[c].budgetBytes: input allowed in class c
 * ```
 */
export function classPayloadBudgets(config: ConfigurationDocument): ClassPayloadBudget[] {
  const largestBatch = new Array<number>(config.classUpperEdges.length).fill(1);
  for (const window of config.windows) {
    for (const buffer of window.system.buffers) {
      for (let classId = buffer.firstClass; classId <= buffer.lastClass; classId++) {
        largestBatch[classId] = Math.max(largestBatch[classId]!, buffer.batchSize);
      }
    }
  }
  return largestBatch.map((largestBatchSize) => ({
    largestBatchSize,
    budgetBytes:
      Math.floor((LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES - BATCH_ENVELOPE_BYTES) / largestBatchSize) -
      REQUEST_ENVELOPE_BYTES,
  }));
}
