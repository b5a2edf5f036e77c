import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigurationDocument, TraceReadReport } from '@mbs/core';
import { errors } from '../errors.js';
import type { ProviderName } from '../options/provider-options.js';
import type { RequestInputKind } from './run-inputs.js';
import type { ReplayCounts } from './run-replay.js';
import type { RunRecordSummary } from './run-summary.js';

// The run.json document: written by `mbs run` beside the records, read by `mbs logs summarize`.

/** File name of the run document in a run directory (beside requests.jsonl, batches.jsonl). */
export const RUN_DOCUMENT_FILE = 'run.json';

/** The run.json document `mbs run` writes beside the records. */
export interface RunDocument {
  readonly schema: 'mbs.run';
  readonly version: 1;
  /** Wall-clock start in epoch milliseconds; record times are seconds after it. */
  readonly startEpochMs: number;
  /** Wall-clock end in epoch milliseconds, once every request had settled. */
  readonly endEpochMs: number;
  readonly configPath: string;
  readonly configuration: ConfigurationDocument;
  readonly trace: {
    readonly source: string;
    readonly format: string;
    readonly sizeUnit?: string;
    readonly report?: TraceReadReport;
  };
  readonly provider: ProviderName;
  readonly endpoint?: string;
  readonly region?: string;
  readonly prefix: string;
  readonly pricing: string;
  /** Function of each buffer, per window. */
  readonly functionNames: readonly (readonly string[])[];
  readonly speed: number;
  readonly limit?: number;
  readonly seed: number;
  /** What each request sent: the handler's token tensor or `{ size }`. */
  readonly input: RequestInputKind;
  /** Windows applied, with the trace time (seconds from the first arrival) they started at. */
  readonly windowSwitches: readonly { readonly traceSeconds: number; readonly window: number }[];
  readonly counts: ReplayCounts & {
    readonly requestRecords: number;
    readonly batchRecords: number;
    readonly retries: number;
    readonly doubleSettlements: number;
    readonly callbackErrors: number;
  };
  readonly replay: {
    readonly traceSpanSeconds: number;
    readonly maxLagSeconds: number;
    /** Whether SIGINT/SIGTERM stopped the replay before the trace ended. */
    readonly interrupted: boolean;
  };
  readonly summary: RunRecordSummary;
  /** Whether the run passed: `failure` says why not (too many failed requests, stopped early). */
  readonly verdict: {
    /** `--max-failed`: largest share of failed requests that still passes. */
    readonly maxFailedShare: number;
    /** Why the replay stopped before the end of the trace, when it did (not Ctrl-C). */
    readonly stoppedBecause?: string;
    readonly failure?: string;
  };
  /** Present when the run stopped on an error; the counts hold what was done until then. */
  readonly error?: { readonly code: string; readonly message: string };
}

/**
 * The run document of a run directory, or undefined when the directory has none (records
 * written by other tools); IO naming the file when it cannot be read or is not a run document.
 */
export async function readRunDocument(directory: string): Promise<RunDocument | undefined> {
  const path = join(directory, RUN_DOCUMENT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw errors.error('IO', `${path}: cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
  try {
    const document = JSON.parse(text) as RunDocument;
    if (document.schema !== 'mbs.run') throw new Error(`schema is ${String(document.schema)}`);
    return document;
  } catch (error) {
    throw errors.error(
      'IO',
      `${path}: not a run document written by mbs run (${(error as Error).message})`,
      { cause: error },
    );
  }
}
