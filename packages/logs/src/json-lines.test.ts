import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMbsError } from '@mbs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { appendJsonLines, parseJsonLines, readJsonLines } from './json-lines.js';
import { RUN_LOG_FILES, readRunDirectory, writeRunDirectory } from './run-directory.js';
import { testBatch, testInvocation, testRequest } from './testing/records.js';

const directories: string[] = [];
async function temporaryDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'mbs-logs-'));
  directories.push(directory);
  return directory;
}
afterAll(async () => {
  await Promise.all(
    directories.map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

describe('JSON Lines', () => {
  it('round-trips the three logs of a run directory', async () => {
    const directory = await temporaryDirectory();
    const logs = {
      invocations: [testInvocation({ requestId: 'i1', initDurationMs: 120.5 })],
      batches: [testBatch({ batchId: 'b1', invocationId: 'i1' })],
      requests: [testRequest({ requestId: 'r1', batchId: 'b1' })],
    };
    await writeRunDirectory(directory, logs);
    expect(await readRunDirectory(directory)).toEqual(logs);
  });

  it('appends, skipping blank lines when reading', async () => {
    const path = join(await temporaryDirectory(), 'nested', RUN_LOG_FILES.invocations);
    await appendJsonLines(path, [{ a: 1 }]);
    await appendJsonLines(path, [{ a: 2 }, { a: 3 }]);
    expect(await readJsonLines(path)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(parseJsonLines('{"a":1}\n\n  \n{"a":2}', 'x.jsonl')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('names the file and line of a malformed or incomplete record', async () => {
    const directory = await temporaryDirectory();
    await writeRunDirectory(directory, {
      invocations: [testInvocation({ requestId: 'i1' })],
      requests: [testRequest({ requestId: 'r1', batchId: 'b1' })],
    });
    await writeFile(
      join(directory, RUN_LOG_FILES.batches),
      `${JSON.stringify(testBatch({ batchId: 'b1' }))}\n{"batchId":"b2"}\n`,
    );
    const error = await readRunDirectory(directory).catch((caught: unknown) => caught);
    expect(isMbsError(error, 'IO')).toBe(true);
    expect((error as Error).message).toMatch(
      /batches\.jsonl line 2: a batch record needs "buffer"/,
    );
    expect(() => parseJsonLines('{"a":1}\n{oops', 'run.jsonl')).toThrow(
      /run\.jsonl line 2: not valid JSON/,
    );
  });

  it('says which file is missing', async () => {
    const directory = await temporaryDirectory();
    const error = await readRunDirectory(directory).catch((caught: unknown) => caught);
    expect(isMbsError(error, 'IO')).toBe(true);
    expect((error as Error).message).toContain('.jsonl: cannot be read');
  });
});
