import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mbs-cli-package-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('mbs package', () => {
  it('writes the zip and reports its sizes', async () => {
    const out = join(directory, 'mbs-lambda.zip');
    const io = captureIo();
    const code = await main(['package', '--out', out, '--compression-level', '0', '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(EXIT_OK);
    const summary = JSON.parse(io.out());
    expect(summary).toMatchObject({
      outFile: out,
      model: 'default',
      handler: 'index.handler',
      runtime: 'nodejs22.x',
    });
    expect(summary.zippedBytes).toBe((await stat(out)).size);
    expect(summary.unzippedBytes).toBeLessThan(summary.unzippedLimitBytes);
    const entries = unzipSync(new Uint8Array(await readFile(out)), {
      filter: (file) => !file.name.startsWith('node_modules/'),
    });
    expect(Object.keys(entries).sort()).toEqual([
      'index.mjs',
      'model-descriptor.json',
      'model.onnx',
    ]);
    // Builds a whole deployment package (bundle + ~47 MB): seconds when quiet, more when busy.
  }, 120_000);

  it('prints the unzipped size against the limit as text', async () => {
    const io = captureIo();
    const out = join(directory, 'text.zip');
    expect(await main(['package', '--out', out, '--compression-level', '0'], io)).toBe(EXIT_OK);
    expect(io.out()).toMatch(/unzipped +\d+\.\d MB of Lambda's 250\.0 MB limit/);
  });

  it('refuses a model file without a descriptor as bad usage', async () => {
    const io = captureIo();
    const code = await main(
      ['package', '--model', join(directory, 'mine.onnx'), '--out', join(directory, 'x.zip')],
      io,
    );
    expect(code).toBe(EXIT_USAGE);
    expect(io.err()).toMatch(/descriptor is required/);
  });

  it('refuses a compression level out of range', async () => {
    const io = captureIo();
    const code = await main(
      ['package', '--compression-level', '12', '--out', join(directory, 'y.zip')],
      io,
    );
    expect(code).toBe(EXIT_USAGE);
    expect(io.err()).toMatch(/compressionLevel must be an integer from 0 to 9; got 12/);
  });
});
