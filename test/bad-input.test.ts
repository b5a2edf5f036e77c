import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '@mbs/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BadInputCase, badInputCases, writeBadInputFiles } from './support/bad-input-cases.js';
import { runCli } from './support/capture-io.js';

// Hostile-but-fair input to every command and document type, run in this process (no child
// processes): each must end with a non-zero exit code and a message naming the problem, within
// seconds, and print no NaN or Infinity that the user did not type.

const directory = await mkdtemp(join(tmpdir(), 'mbs-bad-input-'));
const files = await writeBadInputFiles(directory);
const cases = badInputCases(files);

/** Output without the value the user typed, which a message may rightly quote. */
const withoutTyped = (text: string, typed: string | undefined) =>
  typed === undefined ? text : text.split(JSON.stringify(typed)).join('').split(typed).join('');

describe('bad input to mbs', () => {
  beforeAll(() => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map((entry) => entry.name)).size).toBe(cases.length);
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it.each(cases.map((entry) => [entry.name, entry] as const))(
    '%s',
    async (_name, entry: BadInputCase) => {
      const result = await runCli(main, entry.args);
      expect(entry.exitCodes, `exit ${result.code}; stderr: ${result.err}`).toContain(result.code);
      expect(result.err).toMatch(entry.message);
      expect(result.err).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
      const output = withoutTyped(`${result.out}\n${result.err}`, entry.typed);
      expect(output).not.toMatch(/\bNaN\b|\bInfinity\b/);
    },
    60_000,
  );
});
