import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigurationDocument } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfigurationFile, readWorkloadFile } from './document-options.js';

const configuration: ConfigurationDocument = {
  schema: 'mbs.configuration',
  version: 1,
  classUpperEdges: [10],
  windows: [
    {
      startSeconds: 0,
      endSeconds: 60,
      system: {
        buffers: [
          {
            firstClass: 0,
            lastClass: 0,
            firstClassShare: 1,
            lastClassShare: 1,
            batchSize: 4,
            timeoutSeconds: 0.1,
            memoryMb: 1024,
          },
        ],
      },
    },
  ],
};

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-cli-documents-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function failure(read: Promise<unknown>): Promise<Error> {
  return read.then(
    () => {
      throw new Error('expected the read to fail');
    },
    (error: Error) => error,
  );
}

describe('readConfigurationFile', () => {
  it('reads a configuration document', async () => {
    const path = join(directory, 'config.json');
    await writeFile(path, JSON.stringify(configuration));
    expect(await readConfigurationFile(path)).toMatchObject({ classUpperEdges: [10] });
  });

  it('names the option and the file when the file is missing or not JSON', async () => {
    const missing = await failure(readConfigurationFile(join(directory, 'nope.json')));
    expect(isMbsError(missing, 'IO')).toBe(true);
    expect(missing.message).toMatch(/^\[@mbs\/cli\] --config .*nope\.json: cannot be read/);
    const path = join(directory, 'broken.json');
    await writeFile(path, '{ "schema": ');
    const broken = await failure(readConfigurationFile(path, '--baseline'));
    expect(isMbsError(broken, 'CONFIG_INVALID')).toBe(true);
    expect(broken.message).toMatch(
      /^\[@mbs\/cli\] --baseline .*broken\.json: not valid JSON .*; expected a configuration document from mbs solve --out$/,
    );
  });

  it('refuses a configuration document given where a workload is expected', async () => {
    const path = join(directory, 'config-as-workload.json');
    await writeFile(path, JSON.stringify(configuration));
    const wrong = await failure(readWorkloadFile(path));
    expect(isMbsError(wrong, 'CONFIG_INVALID')).toBe(true);
    expect(wrong.message).toContain('config-as-workload.json');
  });
});
