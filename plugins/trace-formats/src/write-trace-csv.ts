import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Trace } from '@mbs/core';
import { errors } from './errors.js';
import { formatAzureTimestamp } from './timestamps.js';

/** Options of {@link writeTraceCsv}. */
export interface WriteTraceCsvOptions {
  /**
   * `azure` (default): `TIMESTAMP,ContextTokens` with wall-clock timestamps of 7 fractional
   * digits, as the Azure LLM trace; `seconds`: `timeSeconds,size` with seconds from the start.
   * Both are read back by the `csv` reader without options.
   */
  readonly timeFormat?: 'azure' | 'seconds';
  /** Wall-clock time of the first arrival for `azure`, in epoch milliseconds; default 2023-11-16 00:00:00. */
  readonly startEpochMs?: number;
}

/** What {@link writeTraceCsv} wrote. */
export interface WriteTraceCsvResult {
  readonly path: string;
  readonly arrivals: number;
  readonly bytes: number;
}

/** Characters gathered before a write: large writes keep the per-call cost low. */
const FLUSH_CHARACTERS = 1 << 20;

const DEFAULT_START_EPOCH_MS = Date.UTC(2023, 10, 16);

/**
 * Writes a trace to a CSV file that the `csv` reader reads back without options, streaming (one
 * megabyte buffered at a time), so traces of tens of millions of arrivals can be written.
 *
 * @example
 * ```ts
 * await writeTraceCsv(generateSyntheticTrace({ seed: 1, count: 10_000_000 }), 'big.csv');
 * ```
 */
export async function writeTraceCsv(
  trace: Trace,
  path: string,
  options: WriteTraceCsvOptions = {},
): Promise<WriteTraceCsvResult> {
  const timeFormat = options.timeFormat ?? 'azure';
  const startEpochSeconds = Math.floor((options.startEpochMs ?? DEFAULT_START_EPOCH_MS) / 1000);
  const stream = createWriteStream(path);
  const failure = once(stream, 'error').then(([error]) => {
    throw errors.error(
      'IO',
      `${path}: cannot write the trace (${(error as { code?: string }).code ?? error}); pass a writable path`,
      { cause: error, details: { file: path } },
    );
  });
  // Marked handled here: the races below still see the rejection.
  failure.catch(() => undefined);
  let buffer = timeFormat === 'azure' ? 'TIMESTAMP,ContextTokens\n' : 'timeSeconds,size\n';
  let arrivals = 0;
  let bytes = 0;
  let cachedSecond = Number.NaN;
  let cachedPrefix = '';
  const flush = async () => {
    bytes += Buffer.byteLength(buffer);
    if (!stream.write(buffer)) await Promise.race([once(stream, 'drain'), failure]);
    buffer = '';
  };
  for await (const arrival of trace) {
    if (timeFormat === 'azure') {
      const ticks = Math.round(arrival.timeSeconds * 1e7);
      const second = Math.floor(ticks / 1e7);
      if (second !== cachedSecond) {
        cachedSecond = second;
        cachedPrefix = formatAzureTimestamp(startEpochSeconds + second, 0).slice(0, -7);
      }
      buffer += `${cachedPrefix}${String(ticks - second * 1e7).padStart(7, '0')},${arrival.size}\n`;
    } else {
      buffer += `${arrival.timeSeconds},${arrival.size}\n`;
    }
    arrivals++;
    if (buffer.length >= FLUSH_CHARACTERS) await flush();
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, 'finish'), failure]);
  return { path, arrivals, bytes };
}
