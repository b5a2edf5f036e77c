import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SMALL_SOLVE_ARGUMENTS } from './support/small-solve.js';
import { repositoryRoot } from './support/workspaces.js';

// The AWS SDK is loaded only by commands that talk to AWS. Each command runs in its own Node
// process with a resolve hook that records every module it imports.
const scratch = mkdtempSync(path.join(tmpdir(), 'mbs-modules-'));
const recorder = path.join(repositoryRoot, 'test', 'support', 'module-recorder', 'register.mjs');
const bin = path.join(repositoryRoot, 'apps', 'cli', 'dist', 'bin.js');
let runs = 0;

/** Runs node with the recorder and returns the URLs of every module the process resolved. */
function importedModules(args: readonly string[]): string[] {
  const record = path.join(scratch, `run-${runs++}.txt`);
  const run = spawnSync(process.execPath, ['--import', recorder, ...args], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { ...process.env, MBS_MODULE_RECORD: record },
  });
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(record, 'utf8').trim().split('\n');
}

const awsSdk = (urls: readonly string[]) => urls.filter((url) => url.includes('/@aws-sdk/'));

describe('AWS SDK loading', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is seen by the recorder when a process does import it', () => {
    const urls = importedModules([
      '--input-type=module',
      '--eval',
      "await import('@aws-sdk/client-cloudwatch-logs');",
    ]);
    expect(awsSdk(urls).length).toBeGreaterThan(0);
  });

  it('does not happen for mbs --help', () => {
    const urls = importedModules([bin, '--help']);
    expect(urls.some((url) => url.includes('/apps/cli/dist/'))).toBe(true);
    expect(awsSdk(urls)).toEqual([]);
  });

  it('does not happen for mbs solve', () => {
    const urls = importedModules([bin, 'solve', ...SMALL_SOLVE_ARGUMENTS]);
    expect(urls.some((url) => url.includes('/packages/optimizer/'))).toBe(true);
    expect(awsSdk(urls)).toEqual([]);
  }, 120_000);
});
