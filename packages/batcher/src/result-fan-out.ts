import type { BatchRecord, InvocationResult, ItemResult, RequestRecord } from '@mbs/core';
import { isMbsError, type MbsError } from '@mbs/core';
import type { BatcherState } from './batcher-state.js';
import type { DispatchedBatch, PendingRequest } from './buffer-slot.js';
import { errors } from './errors.js';
import { invocationBilling, paddingShare } from './records.js';

const callback = <Record>(
  state: BatcherState,
  handler: ((record: Record) => void) | undefined,
  record: Record,
) => {
  if (handler === undefined) return;
  try {
    handler(record);
  } catch {
    // A failing record sink must not break serving; the count shows in stats().
    state.callbackErrors++;
  }
};

/**
 * Settles one request of a finished batch: resolves it with `output`, or rejects it with
 * `error`, counts it and emits its request record.
 *
 * @param completionSeconds clock time at which the batch finished
 */
export function settle(
  state: BatcherState,
  request: PendingRequest,
  batch: DispatchedBatch,
  completionSeconds: number,
  error: MbsError | undefined,
  output?: unknown,
): void {
  if (request.settled) {
    // Cannot happen by construction; counted so tests can assert it stays zero.
    state.doubleSettlements++;
    return;
  }
  request.settled = true;
  request.detach?.();
  state.activeRequests.delete(request.id);
  const slot = request.slot;
  if (error === undefined) {
    state.resolved++;
    slot.resolved++;
    request.resolve(output);
  } else {
    state.rejected++;
    slot.rejected++;
    request.reject(error);
  }
  const onRequestRecord = state.onRequestRecord;
  if (onRequestRecord === undefined) return;
  const record: RequestRecord = {
    requestId: request.id,
    buffer: slot.index,
    classId: request.classId,
    size: request.size,
    arrivalSeconds: request.arrivalSeconds,
    dispatchSeconds: batch.dispatchedSeconds,
    completionSeconds,
    waitSeconds: batch.dispatchedSeconds - request.arrivalSeconds,
    latencySeconds: completionSeconds - request.arrivalSeconds,
    batchId: batch.id,
    batchSize: batch.items.length,
  };
  callback(
    state,
    onRequestRecord,
    error === undefined
      ? record
      : { ...record, error: { code: error.code, message: error.message } },
  );
}

const emitBatchRecord = (
  state: BatcherState,
  batch: DispatchedBatch,
  endedSeconds: number,
  result: InvocationResult | undefined,
  error: MbsError | undefined,
): void => {
  const onBatchRecord = state.onBatchRecord;
  if (onBatchRecord === undefined) return;
  let largestClass = 0;
  const sizes = batch.items.map((item) => {
    if (item.classId > largestClass) largestClass = item.classId;
    return item.size;
  });
  const { invocationId, ...billing } = invocationBilling(
    result?.record,
    batch.memoryMb,
    state.pricing,
  );
  const record: BatchRecord = {
    batchId: batch.id,
    buffer: batch.slot.index,
    openedSeconds: batch.openedSeconds,
    dispatchedSeconds: batch.dispatchedSeconds,
    endedSeconds,
    size: batch.items.length,
    largestClass,
    paddingShare: paddingShare(sizes),
    ...billing,
    reason: batch.reason,
    ...(invocationId === undefined ? {} : { invocationId }),
    ...(error === undefined ? {} : { error: { code: error.code, message: error.message } }),
  };
  callback(state, onBatchRecord, record);
};

/** FUNCTION_ERROR of one request of a batch its function answered; `problem` follows the name. */
const requestFailure = (
  batch: DispatchedBatch,
  item: PendingRequest,
  invocationId: string | undefined,
  problem: string,
  extraDetails: Readonly<Record<string, unknown>>,
): MbsError =>
  errors.error('FUNCTION_ERROR', `function ${batch.functionName} ${problem}`, {
    details: {
      functionName: batch.functionName,
      batchId: batch.id,
      requestId: item.id,
      ...(invocationId === undefined ? {} : { invocationId }),
      ...extraDetails,
    },
  });

/**
 * Hands each request of a batch its own result from the function's answer: its output, its
 * item error, FUNCTION_ERROR for the whole batch when the function failed, or FUNCTION_ERROR
 * when no result carries its id. Results matching no request are counted and ignored.
 */
export function completeBatch(
  state: BatcherState,
  batch: DispatchedBatch,
  result: InvocationResult,
): void {
  const now = state.clock.now();
  const record = result.record;
  const items = batch.items;
  if (record.error !== undefined) {
    const error = errors.error(
      'FUNCTION_ERROR',
      `function ${batch.functionName} failed on batch ${batch.id} (${items.length} requests): ${record.error.type}: ${record.error.message}`,
      {
        details: {
          functionName: batch.functionName,
          batchId: batch.id,
          ...(record.requestId === undefined ? {} : { invocationId: record.requestId }),
          errorType: record.error.type,
          errorMessage: record.error.message,
          attempts: batch.attempts,
        },
      },
    );
    for (const item of items) settle(state, item, batch, now, error);
    emitBatchRecord(state, batch, now, result, error);
    return;
  }
  const results = result.results;
  let byId: Map<string, ItemResult> | undefined;
  let matched = 0;
  for (let index = 0; index < items.length; index++) {
    const item = items[index]!;
    // Results come in batch order; the map is only built when a provider reorders them.
    let itemResult = results[index];
    if (itemResult?.id !== item.id) {
      byId ??= new Map(results.map((candidate) => [candidate.id, candidate]));
      itemResult = byId.get(item.id);
    }
    let failure: MbsError;
    if (itemResult === undefined) {
      failure = requestFailure(
        batch,
        item,
        record.requestId,
        `returned no result for request ${item.id} of batch ${batch.id}; each request needs one result with its id`,
        { missingResult: true },
      );
    } else {
      matched++;
      if (itemResult.ok) {
        settle(state, item, batch, now, undefined, itemResult.output);
        continue;
      }
      failure = requestFailure(
        batch,
        item,
        record.requestId,
        `failed on request ${item.id} of batch ${batch.id}: ${itemResult.error.code}: ${itemResult.error.message}`,
        { itemError: itemResult.error },
      );
    }
    settle(state, item, batch, now, failure);
  }
  state.unmatchedResults += results.length - matched;
  emitBatchRecord(state, batch, now, result, undefined);
}

/**
 * Rejects every request of a batch the provider refused for good: THROTTLED when the last
 * refusal was throttling, else PROVIDER_ERROR, with the refusal as `cause`.
 */
export function failBatch(state: BatcherState, batch: DispatchedBatch, cause: unknown): void {
  const now = state.clock.now();
  const code = isMbsError(cause) && cause.code === 'THROTTLED' ? 'THROTTLED' : 'PROVIDER_ERROR';
  const reason = cause instanceof Error ? cause.message : `a non-error value: ${String(cause)}`;
  const error = errors.error(
    code,
    `batch ${batch.id} (${batch.items.length} requests) to ${batch.functionName} failed after ${batch.attempts} attempt(s): ${reason}`,
    {
      details: {
        ...(isMbsError(cause) ? cause.details : {}),
        functionName: batch.functionName,
        batchId: batch.id,
        attempts: batch.attempts,
      },
      cause,
    },
  );
  for (const item of batch.items) settle(state, item, batch, now, error);
  emitBatchRecord(state, batch, now, undefined, error);
}
