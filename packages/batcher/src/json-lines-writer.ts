import { createWriteStream } from 'node:fs';
import { errors } from './errors.js';

/** Writes one JSON object per line to a file. */
export interface JsonLinesWriter {
  /** Appends one record as a line; bound, so it can be passed as a callback. */
  readonly write: (record: object) => void;
  /** Lines written so far. */
  readonly linesWritten: () => number;
  /** Flushes and closes the file; rejects with MbsError IO if any write failed. */
  close(): Promise<void>;
}

/**
 * A JSON Lines writer for request and batch records, the format `@mbs/sim` writes too. The file
 * is created or truncated. NaN and Infinity are written as null, as JSON has no such numbers.
 *
 * @example
 * ```ts
 * const requests = createJsonLinesWriter('requests.jsonl');
 * const batcher = createBatcher({ config, provider, onRequestRecord: requests.write });
 * await batcher.close();
 * await requests.close();
 * ```
 */
export function createJsonLinesWriter(path: string): JsonLinesWriter {
  const stream = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
  let failure: unknown;
  let lines = 0;
  let closed: Promise<void> | undefined;
  stream.on('error', (error) => {
    failure ??= error;
  });
  const ioError = (problem: string, cause?: unknown) =>
    errors.error('IO', `${path}: ${problem}`, {
      details: { path, linesWritten: lines },
      cause,
    });
  return {
    write(record) {
      if (closed) throw ioError('write after close(); records must be written before closing');
      // Node buffers writes while the file catches up; records are small and bounded by the run.
      stream.write(`${JSON.stringify(record)}\n`);
      lines++;
    },
    linesWritten: () => lines,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        stream.end((error?: Error | null) => {
          failure ??= error ?? undefined;
          if (failure === undefined) resolve();
          else reject(ioError(`could not write records (${String(failure)})`, failure));
        });
        stream.once('error', (error) => {
          reject(ioError(`could not write records (${String(error)})`, error));
        });
      });
      return closed;
    },
  };
}
