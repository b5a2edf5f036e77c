// The soak's verdict from the records a run leaves: every request recorded once and in a batch,
// every answered batch's invocation id in the function's logs exactly once, and no invocation
// in the logs that no batch claims (a function run twice for one batch would show as one).
import { readFile } from 'node:fs/promises';

type JsonRecord = Record<string, unknown>;

/** The records of a JSON Lines file. */
export async function readJsonLines(path: string): Promise<JsonRecord[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as JsonRecord);
}

/** What the records say; every count but `invocations` and `answeredBatches` must be 0. */
export interface RecordCheck {
  /** Invocations the function's logs hold (REPORT lines): the soak's unit. */
  readonly invocations: number;
  /** Batches the provider answered (with an invocation id): success or function error. */
  readonly answeredBatches: number;
  /** Submitted requests with no record. */
  readonly lostRequests: number;
  /** Request ids recorded more than once. */
  readonly duplicatedRequests: number;
  /** Request records whose batch has no record. */
  readonly requestsWithoutBatch: number;
  /** Requests the batch records count minus request records (batches hold what was recorded). */
  readonly batchedMinusRecorded: number;
  /** Batch ids recorded more than once. */
  readonly duplicatedBatches: number;
  /** Answered batches whose invocation id is not in the logs. */
  readonly lostInvocations: number;
  /** Invocation ids the logs hold more than once, or that two batches claim. */
  readonly duplicatedInvocations: number;
  /** Invocations in the logs that no batch claims. */
  readonly unclaimedInvocations: number;
}

/** Counts of how far each id list is from "once each". */
function duplicates(ids: readonly string[]): number {
  return ids.length - new Set(ids).size;
}

/** Checks the request, batch and invocation records of one run against each other. */
export function checkRecords(
  submitted: number,
  requests: readonly JsonRecord[],
  batches: readonly JsonRecord[],
  invocations: readonly JsonRecord[],
): RecordCheck {
  const requestIds = requests.map((record) => String(record.requestId));
  const batchIds = new Set(batches.map((record) => String(record.batchId)));
  const answered = batches
    .filter((record) => typeof record.invocationId === 'string')
    .map((record) => String(record.invocationId));
  const logged = invocations.map((record) => String(record.requestId));
  const loggedIds = new Set(logged);
  const answeredIds = new Set(answered);
  return {
    invocations: invocations.length,
    answeredBatches: answered.length,
    lostRequests: submitted - new Set(requestIds).size,
    duplicatedRequests: duplicates(requestIds),
    requestsWithoutBatch: requests.filter((record) => !batchIds.has(String(record.batchId))).length,
    batchedMinusRecorded:
      batches.reduce((sum, record) => sum + Number(record.size), 0) - requests.length,
    duplicatedBatches: batches.length - batchIds.size,
    lostInvocations: answered.filter((id) => !loggedIds.has(id)).length,
    duplicatedInvocations: duplicates(logged) + duplicates(answered),
    unclaimedInvocations: logged.filter((id) => !answeredIds.has(id)).length,
  };
}

/** Whether every "must be 0" count of a check is 0. */
export function recordsAgree(check: RecordCheck): boolean {
  const { invocations: _invocations, answeredBatches: _answered, ...mustBeZero } = check;
  return Object.values(mustBeZero).every((count) => count === 0);
}
