import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

describe('mbs serve options', () => {
  let directory: string;
  let configPath: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mbs-serve-options-'));
    configPath = join(directory, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        schema: 'mbs.configuration',
        version: 1,
        classUpperEdges: [100, 1000],
        windows: [
          {
            startSeconds: 0,
            endSeconds: 60,
            system: {
              buffers: [
                { firstClass: 0, lastClass: 0, batchSize: 2, timeoutSeconds: 0.1, memoryMb: 512 },
                { firstClass: 1, lastClass: 1, batchSize: 2, timeoutSeconds: 0.1, memoryMb: 512 },
              ],
            },
          },
        ],
      }),
    );
    await writeFile(join(directory, 'short-token'), 'abc\n');
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('refuses bad options before listening, naming them', async () => {
    const local = ['--provider', 'local', '--endpoint', 'http://127.0.0.1:9'];
    const cases: [string[], RegExp][] = [
      [['--port', '70000'], /--port/],
      [['--port', '1.5'], /--port/],
      [['--buffers', 'a,b'], /--buffers/],
      [['--buffers', '5'], /ownedBuffers names buffer 5/],
      [['--max-queued-per-buffer', '0'], /--max-queued-per-buffer/],
      [['--max-in-flight-requests', '2.5'], /--max-in-flight-requests/],
      [['--admin-token-file', join(directory, 'short-token')], /adminToken/],
      [['--retry-after', '-1'], /retryAfterSeconds/],
    ];
    for (const [extra, message] of cases) {
      const io = captureIo();
      const code = await main(['serve', '--config', configPath, ...local, ...extra], io);
      expect(code, extra.join(' ')).toBe(EXIT_USAGE);
      expect(io.err(), extra.join(' ')).toMatch(message);
    }
    const noEndpoint = captureIo();
    expect(await main(['serve', '--config', configPath, '--provider', 'local'], noEndpoint)).toBe(
      EXIT_USAGE,
    );
    expect(noEndpoint.err()).toMatch(/--endpoint/);
    const missing = captureIo();
    expect(
      await main(
        [
          'serve',
          '--config',
          configPath,
          ...local,
          '--admin-token-file',
          join(directory, 'absent'),
        ],
        missing,
      ),
    ).not.toBe(0);
    expect(missing.err()).toMatch(/--admin-token-file/);
  });
});
