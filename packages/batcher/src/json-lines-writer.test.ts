import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createJsonLinesWriter } from './json-lines-writer.js';

describe('createJsonLinesWriter', () => {
  it('writes one JSON object per line, NaN as null', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mbs-batcher-')), 'records.jsonl');
    const writer = createJsonLinesWriter(path);
    const { write } = writer;
    write({ batchId: 'b1', costUsd: Number.NaN });
    write({ batchId: 'b2', costUsd: 0.25 });
    expect(writer.linesWritten()).toBe(2);
    await writer.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { batchId: 'b1', costUsd: null },
      { batchId: 'b2', costUsd: 0.25 },
    ]);
    expect(() => write({})).toThrow(/write after close/);
  });

  it('reports a file it cannot write as an IO error naming the path', async () => {
    const path = join(tmpdir(), 'mbs-no-such-directory-7f3a', 'records.jsonl');
    const writer = createJsonLinesWriter(path);
    writer.write({ a: 1 });
    const error = await writer.close().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isMbsError(error, 'IO')).toBe(true);
    expect((error as Error).message).toContain(path);
  });
});
