import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { MbsError } from '@mbs/core';
import { errors } from './errors.js';

/** Bytes read from disk at a time; large chunks amortise the per-chunk cost of the stream. */
const CHUNK_BYTES = 1 << 20;

/** A longer line means a binary or newline-less file; refusing it keeps memory bounded. */
const MAX_LINE_CHARACTERS = 1 << 24;

/**
 * The lines of a text file, a chunk at a time: each yielded array holds the complete lines of
 * one read (without `\n` or a trailing `\r`), so callers parse synchronously and memory stays at
 * one chunk whatever the file's size. A byte-order mark on the first line is dropped.
 */
export async function* readLineChunks(path: string): AsyncGenerator<string[], void, undefined> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  try {
    for await (const buffer of createReadStream(path, { highWaterMark: CHUNK_BYTES })) {
      let text = carry + decoder.write(buffer as Buffer);
      if (first) {
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
      }
      const lines: string[] = [];
      let start = 0;
      let end = text.indexOf('\n', start);
      while (end !== -1) {
        lines.push(
          text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end),
        );
        start = end + 1;
        end = text.indexOf('\n', start);
      }
      carry = text.slice(start);
      if (carry.length > MAX_LINE_CHARACTERS) {
        throw errors.error(
          'TRACE_PARSE',
          `${path}: a line is longer than ${MAX_LINE_CHARACTERS} characters; trace lines are short text records separated by newlines`,
          { details: { file: path } },
        );
      }
      if (lines.length > 0) yield lines;
    }
  } catch (error) {
    throw ioError(path, error);
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) {
    yield [rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest];
  }
}

/** An MbsError('IO') for a file that could not be read, keeping the system error as cause. */
export function ioError(path: string, error: unknown): MbsError {
  if (error instanceof MbsError) return error;
  const reason = (error as { code?: string; message?: string } | null)?.code ?? String(error);
  return errors.error(
    'IO',
    `${path}: cannot read the file (${reason}); pass a readable file path`,
    { cause: error, details: { file: path } },
  );
}
