import { readFile } from 'node:fs/promises';
import type { MbsError } from '@mbs/core';
import { errors } from './errors.js';
import { ioError } from './line-chunks.js';
import { parseDecimal } from './numbers.js';

/** An MbsError('MAP_INVALID') located at a file or `file:line`. */
export function mapError(
  location: string,
  problem: string,
  details: Record<string, unknown>,
): MbsError {
  return errors.error('MAP_INVALID', `${location}: ${problem}`, { details });
}

/** A file's text; MbsError('IO') naming the file when it cannot be read. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw ioError(path, error);
  }
}

/**
 * A square matrix written as rows of comma- (or space-) separated numbers, one row a line, as in
 * the Twitter MAP files (`-14.625001,0.000000`). Blank lines and `#` comments are skipped.
 * Throws MAP_INVALID naming `file:line` for a bad number or a row of the wrong length.
 *
 * @example
 * ```ts
 * parseMatrixCsv('-14.6,0\n0,-35.2\n', 'hour1_D0.csv'); // [[-14.6, 0], [0, -35.2]]
 * ```
 */
export function parseMatrixCsv(text: string, path: string): number[][] {
  const rows: number[][] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) return;
    const row = line
      .split(/[\s,]+/)
      .filter((field) => field.length > 0)
      .map((field) => {
        const value = parseDecimal(field);
        if (Number.isNaN(value)) {
          throw mapError(
            `${path}:${index + 1}`,
            `matrix entry ${JSON.stringify(field)} is not a finite decimal number; a row is comma-separated numbers`,
            { file: path, line: index + 1 },
          );
        }
        return value;
      });
    if (rows.length > 0 && row.length !== rows[0]!.length) {
      throw mapError(
        `${path}:${index + 1}`,
        `row of ${row.length} entries after rows of ${rows[0]!.length}; a MAP matrix is square`,
        { file: path, line: index + 1 },
      );
    }
    rows.push(row);
  });
  if (rows.length === 0) {
    throw mapError(path, 'no matrix rows; write one row of comma-separated numbers a line', {
      file: path,
    });
  }
  if (rows[0]!.length !== rows.length) {
    throw mapError(
      path,
      `${rows.length} rows of ${rows[0]!.length} entries; a MAP matrix is square (n rows of n)`,
      { file: path },
    );
  }
  return rows;
}
