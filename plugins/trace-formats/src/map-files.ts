import { writeFile } from 'node:fs/promises';
import type { MarkovianArrivalProcess } from '@mbs/core';
import { isSquareMatrix } from '@mbs/core';
import { balanceMapDiagonal, validateMap } from '@mbs/markov';
import { errors } from './errors.js';
import { mapError, parseMatrixCsv, readText } from './matrix-csv.js';

/**
 * Checks the order of both matrices and every MAP rule (markov's validateMap), naming the source.
 * `roundingPerEntry` is how far each printed entry may be from the true rate (half a unit of its
 * last printed digit): rows may then sum to up to 2n times that instead of 0, and are accepted
 * within it; the diagonal of D0 is then set so every row sums to exactly 0.
 */
function checked(
  map: MarkovianArrivalProcess,
  source: string,
  roundingPerEntry = 0,
): MarkovianArrivalProcess {
  if (map.d0.length !== map.d1.length) {
    throw mapError(
      source,
      `D0 is ${map.d0.length}x${map.d0.length} but D1 is ${map.d1.length}x${map.d1.length}; both have the order of the MAP`,
      { source },
    );
  }
  const order = map.d0.length;
  let tolerance = DEFAULT_ROW_SUM_TOLERANCE;
  if (roundingPerEntry > 0) {
    for (let row = 0; row < order; row++) {
      const largest = Math.max(...map.d0[row]!.map(Math.abs), ...map.d1[row]!.map(Math.abs));
      if (largest > 0) tolerance = Math.max(tolerance, (2 * order * roundingPerEntry) / largest);
    }
  }
  validateMap(map, { source, tolerance });
  return roundingPerEntry === 0 ? map : balanceMapDiagonal(map);
}

/** markov's default relative tolerance on row sums, kept for exactly written MAPs. */
const DEFAULT_ROW_SUM_TOLERANCE = 1e-8;

/**
 * Half a unit of the last digit of the coarsest entry written with a decimal point in a matrix
 * file (`0.051020` -> 5e-7), or 0 when no entry shows its precision that way.
 */
export function printedRounding(text: string): number {
  let fewestDecimals = Number.POSITIVE_INFINITY;
  for (const field of text.split(/[\s,]+/)) {
    const point = field.indexOf('.');
    if (point === -1 || /[eE]/.test(field) || field.startsWith('#')) continue;
    fewestDecimals = Math.min(fewestDecimals, field.length - point - 1);
  }
  return Number.isFinite(fewestDecimals) ? 0.5 * 10 ** -fewestDecimals : 0;
}

/**
 * Reads a MAP from two matrix files, D0 and D1, each rows of comma-separated rates per second (the
 * Twitter MAP format: `hour1_D0.csv`, `hour1_D1.csv`). Such files print rates to a few decimals
 * (6 for the Twitter MAPs), so rows of D0 + D1 sum to 0 only within that rounding: they are
 * accepted within 2n half-units of the last printed digit, and the diagonal of D0 is then
 * adjusted (by at most that much) so rows sum to exactly 0. Throws MAP_INVALID naming the files
 * (and `file:line` for a bad entry) when a matrix is malformed or the pair breaks a MAP rule.
 *
 * @example
 * ```ts
 * const map = await readMapFiles('hour1_D0.csv', 'hour1_D1.csv');
 * ```
 */
export async function readMapFiles(
  d0Path: string,
  d1Path: string,
): Promise<MarkovianArrivalProcess> {
  const [d0Text, d1Text] = await Promise.all([readText(d0Path), readText(d1Path)]);
  const map = { d0: parseMatrixCsv(d0Text, d0Path), d1: parseMatrixCsv(d1Text, d1Path) };
  const rounding = Math.max(printedRounding(d0Text), printedRounding(d1Text));
  return checked(map, `${d0Path},${d1Path}`, rounding);
}

/**
 * Parses the JSON form of a MAP, `{"d0": [[...]], "d1": [[...]]}`, as our tools write it (also
 * accepted: a workload window's `{"map": {...}}`). Throws MAP_INVALID naming the source.
 */
export function parseMapJson(text: string, source: string): MarkovianArrivalProcess {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw errors.error(
      'MAP_INVALID',
      `${source}: not JSON (${(error as Error).message}); write {"d0": [[...]], "d1": [[...]]}`,
      { cause: error, details: { source } },
    );
  }
  const candidate = value as {
    d0?: unknown;
    d1?: unknown;
    map?: { d0?: unknown; d1?: unknown };
  } | null;
  const holder = candidate?.map ?? candidate;
  if (!holder || !isSquareMatrix(holder.d0) || !isSquareMatrix(holder.d1)) {
    throw mapError(source, 'needs "d0" and "d1", each a square matrix of finite numbers', {
      source,
    });
  }
  return checked({ d0: holder.d0, d1: holder.d1 }, source);
}

/**
 * Reads a MAP from its JSON form, `{"d0": [[...]], "d1": [[...]]}` (see {@link writeMapJson}).
 *
 * @example
 * ```ts
 * const map = await readMapJson('map.json');
 * ```
 */
export async function readMapJson(path: string): Promise<MarkovianArrivalProcess> {
  return parseMapJson(await readText(path), path);
}

/** Writes a MAP as JSON, `{"d0": [[...]], "d1": [[...]]}`, which {@link readMapJson} reads back. */
export async function writeMapJson(path: string, map: MarkovianArrivalProcess): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify({ d0: map.d0, d1: map.d1 })}\n`);
  } catch (error) {
    throw errors.error(
      'IO',
      `${path}: cannot write the MAP (${(error as { code?: string }).code ?? error}); pass a writable path`,
      { cause: error, details: { file: path } },
    );
  }
}
