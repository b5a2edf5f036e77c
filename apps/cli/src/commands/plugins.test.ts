import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_OK } from '../exit-codes.js';
import { main } from '../main.js';

describe('mbs plugins', () => {
  const previousTmpdir = process.env.TMPDIR;
  afterEach(() => {
    if (previousTmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmpdir;
  });

  it('loads every built-in plugin, the local provider included, and leaves no temporary files', async () => {
    // os.tmpdir() reads TMPDIR on each call, so anything a plugin's factory puts in the
    // temporary directory (the emulator's `mbs-emulator-*` folder) would land here.
    const temporary = mkdtempSync(join(tmpdir(), 'mbs-plugins-test-'));
    process.env.TMPDIR = temporary;
    try {
      const io = captureIo();
      expect(await main(['plugins', '--json'], io)).toBe(EXIT_OK);
      const plugins = JSON.parse(io.out()) as { kind: string; name: string }[];
      expect(plugins).toContainEqual(expect.objectContaining({ kind: 'provider', name: 'local' }));
      expect(readdirSync(temporary)).toEqual([]);
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  });
});
