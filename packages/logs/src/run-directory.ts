import { join } from 'node:path';
import type { BatchRecord, InvocationRecord, RequestRecord } from '@mbs/core';
import { readJsonLines, writeJsonLines } from './json-lines.js';
import { checkBatchRecord, checkInvocationRecord, checkRequestRecord } from './record-checks.js';

/** File names of the three logs of a run directory. */
export const RUN_LOG_FILES = {
  invocations: 'invocations.jsonl',
  batches: 'batches.jsonl',
  requests: 'requests.jsonl',
} as const;

/** The three logs of a run. */
export interface RunLogs<I extends InvocationRecord = InvocationRecord> {
  readonly invocations: readonly I[];
  readonly batches: readonly BatchRecord[];
  readonly requests: readonly RequestRecord[];
}

/**
 * Reads invocations.jsonl, batches.jsonl and requests.jsonl of a run directory, checking every
 * line; a missing file or malformed line throws IO naming the file and line.
 *
 * @example
 * ```ts
 * const { invocations, batches, requests } = await readRunDirectory('runs/2025-01-01');
 * ```
 */
export async function readRunDirectory(directory: string): Promise<RunLogs> {
  const [invocations, batches, requests] = await Promise.all([
    readJsonLines<InvocationRecord>(
      join(directory, RUN_LOG_FILES.invocations),
      checkInvocationRecord,
    ),
    readJsonLines<BatchRecord>(join(directory, RUN_LOG_FILES.batches), checkBatchRecord),
    readJsonLines<RequestRecord>(join(directory, RUN_LOG_FILES.requests), checkRequestRecord),
  ]);
  return { invocations, batches, requests };
}

/** Writes the logs given into a run directory (creating it), one JSON Lines file per log. */
export async function writeRunDirectory(directory: string, logs: Partial<RunLogs>): Promise<void> {
  const writes: Promise<void>[] = [];
  for (const kind of ['invocations', 'batches', 'requests'] as const) {
    const records = logs[kind];
    if (records !== undefined)
      writes.push(writeJsonLines(join(directory, RUN_LOG_FILES[kind]), records));
  }
  await Promise.all(writes);
}
