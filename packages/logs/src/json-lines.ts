import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errors } from './errors.js';

/** Checks one parsed line; returns a problem, or undefined when the value is acceptable. */
export type JsonLineCheck = (value: unknown) => string | undefined;

/** JSON Lines text of `records`: one JSON object per line, with a final newline. */
export function formatJsonLines(records: Iterable<unknown>): string {
  let text = '';
  for (const record of records) text += `${JSON.stringify(record)}\n`;
  return text;
}

/**
 * Parses JSON Lines text; blank lines are skipped, and a malformed line throws IO naming the
 * source and line number.
 *
 * @param source file name for error messages
 */
export function parseJsonLines<T>(text: string, source: string, check?: JsonLineCheck): T[] {
  const records: T[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line.length === 0) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw errors.error(
        'IO',
        `${source} line ${index + 1}: not valid JSON (${(error as Error).message}); each line must hold one JSON object`,
        { cause: error, details: { source, line: index + 1 } },
      );
    }
    const problem = check?.(value);
    if (problem !== undefined) {
      throw errors.error('IO', `${source} line ${index + 1}: ${problem}`, {
        details: { source, line: index + 1 },
      });
    }
    records.push(value as T);
  }
  return records;
}

/**
 * Reads a JSON Lines file into records, checking each line when `check` is given.
 *
 * @example
 * ```ts
 * const batches = await readJsonLines<BatchRecord>('run/batches.jsonl', checkBatchRecord);
 * ```
 */
export async function readJsonLines<T>(path: string, check?: JsonLineCheck): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw errors.error('IO', `${path}: cannot be read (${(error as Error).message})`, {
      cause: error,
      details: { path },
    });
  }
  return parseJsonLines<T>(text, path, check);
}

/** Puts the JSON Lines of `records` into a file with `put` after creating its directory. */
async function putJsonLines(
  path: string,
  records: Iterable<unknown>,
  put: typeof writeFile | typeof appendFile,
  failure: string,
): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await put(path, formatJsonLines(records), 'utf8');
  } catch (error) {
    throw errors.error('IO', `${path}: ${failure} (${(error as Error).message})`, {
      cause: error,
      details: { path },
    });
  }
}

/** Writes records to a JSON Lines file, replacing it; creates the directory if needed. */
export async function writeJsonLines(path: string, records: Iterable<unknown>): Promise<void> {
  await putJsonLines(path, records, writeFile, 'cannot be written');
}

/** Appends records to a JSON Lines file, creating it and its directory if needed. */
export async function appendJsonLines(path: string, records: Iterable<unknown>): Promise<void> {
  await putJsonLines(path, records, appendFile, 'cannot be appended to');
}
