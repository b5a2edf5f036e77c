import { readFile, rm, writeFile } from 'node:fs/promises';
import {
  type ColdStartRecord,
  type PointMeasurement,
  pointMeasurementProblem,
  type RetryRecord,
} from '@mbs/profiles';
import { errors } from '../errors.js';

// The measurement log of `mbs profile`: one JSON line per measured point, cold start and retry,
// appended as they come, so that an interrupted run resumes from the points already measured.
// @mbs/logs is imported when a log is opened: its index brings the CloudWatch Logs SDK, which
// `mbs --help` must not load.

/** What a log's measurements were taken with; a resumed run must match it. */
export interface MeasurementSetup {
  readonly provider: string;
  readonly endpoint?: string;
  /** SHA-256 of the deployed zip, or the reused function's name. */
  readonly code: string;
  readonly model: string;
  /** Size sent for each class. */
  readonly classSizes: readonly number[];
  readonly encoding: string;
}

/** One line of the log. */
export type MeasurementLogRecord =
  | ({ readonly kind: 'setup' } & MeasurementSetup)
  | ({ readonly kind: 'point' } & PointMeasurement)
  | ({ readonly kind: 'cold-start' } & ColdStartRecord)
  | ({ readonly kind: 'retry' } & RetryRecord);

/** What a log holds. */
export interface MeasurementLog {
  readonly points: PointMeasurement[];
  readonly coldStarts: ColdStartRecord[];
  readonly retries: RetryRecord[];
  /** Whether a torn last line (a run killed mid-write) was dropped. */
  readonly tornLine: boolean;
}

/** The log beside a profile: `profile.json` -> `profile.measurements.jsonl`. */
export function measurementLogPath(outPath: string): string {
  return `${outPath.replace(/\.json$/i, '')}.measurements.jsonl`;
}

function sameSetup(a: MeasurementSetup, b: MeasurementSetup): string | undefined {
  // The endpoint may change between runs (an emulator restarted on another port); it is kept
  // for the record, not compared.
  const keys: (keyof MeasurementSetup)[] = ['provider', 'code', 'model', 'encoding'];
  for (const key of keys) {
    if (a[key] !== b[key])
      return `${key} ${JSON.stringify(a[key])} (now ${JSON.stringify(b[key])})`;
  }
  if (JSON.stringify(a.classSizes) !== JSON.stringify(b.classSizes)) {
    return `class sizes ${a.classSizes.join(',')} (now ${b.classSizes.join(',')})`;
  }
  return undefined;
}

/**
 * Opens the log for a run with `setup`: reads the measurements of an earlier run (resume), or
 * starts a new log. `restart` discards an earlier log. An earlier log taken with another setup
 * (package, model, classes, provider) is refused, naming the difference.
 */
export async function openMeasurementLog(
  path: string,
  setup: MeasurementSetup,
  restart: boolean,
): Promise<MeasurementLog> {
  const { appendJsonLines, parseJsonLines } = await import('@mbs/logs');
  const empty: MeasurementLog = { points: [], coldStarts: [], retries: [], tornLine: false };
  if (restart) await rm(path, { force: true });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw errors.error('IO', `${path}: cannot be read (${(error as Error).message})`, {
        cause: error,
        details: { path },
      });
    }
    await appendJsonLines(path, [{ kind: 'setup', ...setup }]);
    return empty;
  }
  // A run killed while appending leaves a last line without its newline: drop it.
  const tornLine = text.length > 0 && !text.endsWith('\n');
  const complete = tornLine ? text.slice(0, text.lastIndexOf('\n') + 1) : text;
  // The points the profile is built from are checked, so a hand-edited log cannot turn into NaN
  // in the table. (The first record must be the setup: checked below.)
  let setupLine = true;
  const records = parseJsonLines<MeasurementLogRecord>(complete, path, (value) => {
    const isSetup = setupLine;
    setupLine = false;
    if (isSetup || (value as { kind?: unknown } | null)?.kind !== 'point') return undefined;
    const problem = pointMeasurementProblem(value);
    return problem === undefined
      ? undefined
      : `a measured point whose ${problem}; remove the line, or give --restart to measure again`;
  });
  const first = records[0];
  if (first === undefined || first.kind !== 'setup') {
    throw errors.error(
      'CONFIG_INVALID',
      `${path}: not a measurement log of mbs profile (no setup line); remove it or give --restart`,
      { details: { path } },
    );
  }
  const difference = sameSetup(first, setup);
  if (difference !== undefined) {
    throw errors.error(
      'CONFIG_INVALID',
      `${path} was measured with ${difference}; give --restart to discard it, or another --out`,
      { details: { path } },
    );
  }
  const log: MeasurementLog = { ...empty, tornLine };
  for (const record of records.slice(1)) {
    const { kind, ...rest } = record;
    if (kind === 'point') log.points.push(rest as PointMeasurement);
    else if (kind === 'cold-start') log.coldStarts.push(rest as ColdStartRecord);
    else if (kind === 'retry') log.retries.push(rest as RetryRecord);
  }
  // Later appends must start on a fresh line.
  if (tornLine) await writeFile(path, complete, 'utf8');
  return log;
}

/** Appends one record to the log. */
export async function appendMeasurement(path: string, record: MeasurementLogRecord): Promise<void> {
  const { appendJsonLines } = await import('@mbs/logs');
  await appendJsonLines(path, [record]);
}
