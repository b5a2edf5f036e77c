import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
import { captureIo } from '@mbs/test-utils';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

const ECHO = `exports.handler = async (event) => ({
  results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })),
});`;

function configuration(memoryMb: number) {
  const buffer = (firstClass: number, lastClass: number, memory: number) => ({
    firstClass,
    lastClass,
    firstClassShare: 1,
    lastClassShare: 1,
    batchSize: 4,
    timeoutSeconds: 0.2,
    memoryMb: memory,
  });
  return {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: [100, 200],
    windows: [
      {
        startSeconds: 0,
        endSeconds: 60,
        system: { buffers: [buffer(0, 0, 512), buffer(1, 1, memoryMb)] },
      },
    ],
  };
}

describe('mbs deploy', () => {
  let emulator: EmulatorServer;
  let directory: string;
  let configPath: string;
  let zipPath: string;
  beforeAll(async () => {
    emulator = await startEmulatorServer({ port: 0 });
    directory = await mkdtemp(join(tmpdir(), 'mbs-deploy-'));
    configPath = join(directory, 'config.json');
    zipPath = join(directory, 'mbs-lambda.zip');
    await writeFile(configPath, JSON.stringify(configuration(1024)));
    await writeFile(zipPath, zipSync({ 'index.js': strToU8(ECHO) }));
  });
  afterAll(async () => {
    await emulator.close();
    await rm(directory, { recursive: true, force: true });
  });

  const local = () => [
    '--config',
    configPath,
    '--provider',
    'local',
    '--endpoint',
    emulator.url,
    '--zip',
    zipPath,
  ];

  it('prints the plan on a dry run, deploys, then has nothing to do', async () => {
    const dry = captureIo();
    expect(await main(['deploy', ...local(), '--prefix', 'cli', '--dry-run'], dry)).toBe(EXIT_OK);
    expect(dry.out()).toMatch(
      /^create {5}cli-b0 {4}512 MB, timeout 60 s \(default\): new function$/m,
    );
    expect(dry.out()).toContain('Dry run: nothing was changed.');
    expect(emulator.emulator.hasFunction('cli-b0')).toBe(false);

    const applied = captureIo();
    expect(
      await main(['deploy', ...local(), '--prefix', 'cli', '--function-timeout', '30'], applied),
    ).toBe(EXIT_OK);
    expect(applied.out()).toContain('Deployed 2 function(s).');
    expect(emulator.emulator.getFunctionConfiguration('cli-b1')).toMatchObject({
      MemorySize: 1024,
      Timeout: 30,
      Runtime: 'nodejs22.x',
    });

    const again = captureIo();
    expect(
      await main(
        ['deploy', ...local(), '--prefix', 'cli', '--function-timeout', '30', '--json'],
        again,
      ),
    ).toBe(EXIT_OK);
    const result = JSON.parse(again.out()) as { applied: boolean; counts: Record<string, number> };
    expect(result.applied).toBe(false);
    expect(result.counts).toEqual({ create: 0, update: 0, unchanged: 2 });
  });

  it('exits 2 on bad usage and 1 on an unreadable configuration', async () => {
    const noEndpoint = captureIo();
    expect(await main(['deploy', '--config', configPath, '--provider', 'local'], noEndpoint)).toBe(
      EXIT_USAGE,
    );
    expect(noEndpoint.err()).toContain('--endpoint');
    const badTimeout = captureIo();
    expect(
      await main(['deploy', ...local(), '--function-timeout', '1000', '--dry-run'], badTimeout),
    ).toBe(EXIT_USAGE);
    expect(badTimeout.err()).toContain('functionTimeoutSeconds must be an integer in [1, 900]');
    const badRuntime = captureIo();
    expect(
      await main(['deploy', ...local(), '--runtime', 'nodejs18.x', '--dry-run'], badRuntime),
    ).toBe(EXIT_USAGE);
    expect(badRuntime.err()).toContain('nodejs22.x');
    const missing = captureIo();
    expect(
      await main(
        ['deploy', ...local().slice(2), '--config', join(directory, 'nope.json')],
        missing,
      ),
    ).toBe(EXIT_RUNTIME_ERROR);
    expect(missing.err()).toContain('nope.json: cannot be read');
  });
});
