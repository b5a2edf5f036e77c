import type { BatchRecord, InvocationRecord, RequestRecord } from '@mbs/core';

/** One invocation matched with the batch that caused it and that batch's requests. */
export interface JoinedInvocation<I extends InvocationRecord = InvocationRecord> {
  readonly invocation: I;
  readonly batch: BatchRecord;
  readonly requests: readonly RequestRecord[];
}

/** Result of {@link joinRecords}: the matches and everything left unmatched on either side. */
export interface JoinedRecords<I extends InvocationRecord = InvocationRecord> {
  readonly joined: readonly JoinedInvocation<I>[];
  /** Invocations the platform logged that no batch record names. */
  readonly unmatchedInvocations: readonly I[];
  /** Batches with no invocationId, or whose invocationId the logs do not hold. */
  readonly unmatchedBatches: readonly BatchRecord[];
  /** Requests whose batchId no batch record holds. */
  readonly unmatchedRequests: readonly RequestRecord[];
  /** Invocation ids that appear in more than one invocation record (later copies ignored). */
  readonly duplicateInvocationIds: readonly string[];
  /** Batch ids that appear in more than one batch record (later copies ignored). */
  readonly duplicateBatchIds: readonly string[];
}

/**
 * Joins platform invocation records with batch records by invocation id
 * (`BatchRecord.invocationId` = `InvocationRecord.requestId`) and request records by batch id,
 * reporting what is unmatched on either side.
 *
 * @example
 * ```ts
 * const { joined, unmatchedBatches } = joinRecords(invocations, batches, requests);
 * ```
 */
export function joinRecords<I extends InvocationRecord>(
  invocations: readonly I[],
  batchRecords: readonly BatchRecord[],
  requestRecords: readonly RequestRecord[],
): JoinedRecords<I> {
  const invocationById = new Map<string, I>();
  const duplicateInvocationIds = new Set<string>();
  for (const invocation of invocations) {
    if (invocationById.has(invocation.requestId)) duplicateInvocationIds.add(invocation.requestId);
    else invocationById.set(invocation.requestId, invocation);
  }
  const requestsByBatch = new Map<string, RequestRecord[]>();
  for (const request of requestRecords) {
    const list = requestsByBatch.get(request.batchId) ?? [];
    list.push(request);
    requestsByBatch.set(request.batchId, list);
  }
  const seenBatchIds = new Set<string>();
  const duplicateBatchIds = new Set<string>();
  const usedInvocationIds = new Set<string>();
  const joined: JoinedInvocation<I>[] = [];
  const unmatchedBatches: BatchRecord[] = [];
  for (const batch of batchRecords) {
    if (seenBatchIds.has(batch.batchId)) {
      duplicateBatchIds.add(batch.batchId);
      continue;
    }
    seenBatchIds.add(batch.batchId);
    const invocation =
      batch.invocationId === undefined ? undefined : invocationById.get(batch.invocationId);
    if (invocation === undefined || usedInvocationIds.has(invocation.requestId)) {
      unmatchedBatches.push(batch);
      continue;
    }
    usedInvocationIds.add(invocation.requestId);
    joined.push({ invocation, batch, requests: requestsByBatch.get(batch.batchId) ?? [] });
  }
  const unmatchedInvocations = [...invocationById.values()].filter(
    (invocation) => !usedInvocationIds.has(invocation.requestId),
  );
  const unmatchedRequests = requestRecords.filter((request) => !seenBatchIds.has(request.batchId));
  return {
    joined,
    unmatchedInvocations,
    unmatchedBatches,
    unmatchedRequests,
    duplicateInvocationIds: [...duplicateInvocationIds],
    duplicateBatchIds: [...duplicateBatchIds],
  };
}
