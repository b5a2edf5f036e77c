import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkloadDocument } from '@mbs/core';
import { afterAll, describe, expect, it } from 'vitest';
import { classIndexFrame } from './classes.js';
import { resolveWorkload } from './workload.js';

/** A one-class workload of a Poisson stream at `rate` per second. */
function poissonWorkload(rate: number): WorkloadDocument {
  return {
    schema: 'mbs.workload',
    version: 1,
    source: 'test',
    classUpperEdges: [100],
    classRepresentativeSizes: [100],
    windows: [
      {
        startSeconds: 0,
        endSeconds: 60,
        arrivals: 600,
        map: { d0: [[-rate]], d1: [[rate]] },
        classShares: [1],
      },
    ],
  };
}

const directory = mkdtempSync(join(tmpdir(), 'mbs-cli-workload-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('resolveWorkload --workload FILE', () => {
  it('reads a workload document', async () => {
    const path = join(directory, 'workload.json');
    await writeFile(path, JSON.stringify(poissonWorkload(10)));
    const workload = await resolveWorkload(path, classIndexFrame(1));
    expect(workload.windows[0]!.map.d1).toEqual([[10]]);
  });

  it('names the option and the file when it cannot be read or is not JSON', async () => {
    await expect(
      resolveWorkload(join(directory, 'nope.json'), classIndexFrame(1)),
    ).rejects.toMatchObject({
      code: 'IO',
      message: expect.stringMatching(/^\[@mbs\/cli\] --workload .*nope\.json: cannot be read/),
    });
    const path = join(directory, 'broken.json');
    await writeFile(path, '{ "schema": ');
    await expect(resolveWorkload(path, classIndexFrame(1))).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
      message: expect.stringMatching(
        /--workload .*broken\.json: not valid JSON .*; expected a workload document from mbs fit --out$/,
      ),
    });
  });

  it('refuses a window whose MAP breaks the rules, naming the file and the window', async () => {
    const path = join(directory, 'bad-map.json');
    // d0 + d1 rows must sum to 0; this one sums to 1.
    const workload = poissonWorkload(10);
    await writeFile(
      path,
      JSON.stringify({
        ...workload,
        windows: [{ ...workload.windows[0]!, map: { d0: [[-10]], d1: [[11]] } }],
      }),
    );
    await expect(resolveWorkload(path, classIndexFrame(1))).rejects.toMatchObject({
      code: 'MAP_INVALID',
      message: expect.stringContaining('bad-map.json windows[0]'),
    });
  });

  it('refuses class matrices that do not sum to the MAP, naming the window', async () => {
    const path = join(directory, 'bad-marks.json');
    const workload = poissonWorkload(10);
    const window = workload.windows[0]!;
    const classArrivals = window.classShares.map(() => [[1]]);
    await writeFile(path, JSON.stringify({ ...workload, windows: [{ ...window, classArrivals }] }));
    await expect(resolveWorkload(path, classIndexFrame(1))).rejects.toMatchObject({
      code: 'MAP_INVALID',
      message: expect.stringMatching(/bad-marks\.json windows\[0\].*must sum to d1/),
    });
  });
});
