import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createEmulator } from './emulator.js';
import { startEmulatorProcess } from './testing/emulator-process.js';
import {
  childProcessIds,
  commandLine,
  eventually,
  isRunning,
  PROC_AVAILABLE,
} from './testing/processes.js';
import { sdkClients } from './testing/sdk-clients.js';
import { testFunctionsZip } from './testing/test-functions.js';

vi.setConfig({ testTimeout: 120_000 });
const base = mkdtempSync(join(tmpdir(), 'mbs-emulator-test-base-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const emulatorDirectories = () =>
  readdirSync(base).filter((name) => name.startsWith('mbs-emulator-'));

describe.runIf(PROC_AVAILABLE)('temporary directories', () => {
  it("removes a SIGKILLed emulator's directory when the next emulator starts", async () => {
    const workDirectory = join(base, 'killed');
    const first = await startEmulatorProcess({ workDirectory });
    const clients = sdkClients(first.url);
    await clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'echo',
        Role: 'arn:aws:iam::123456789012:role/r',
        Runtime: 'nodejs20.x',
        Handler: 'index.echo',
        Code: { ZipFile: testFunctionsZip() },
      }),
    );
    await clients.lambda.send(
      new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from('{"requests":[]}') }),
    );
    clients.lambda.destroy();
    const children = childProcessIds(first.pid);
    const reaper = children.find((pid) => commandLine(pid).includes('reaper.mjs'));
    const instance = children.find((pid) => commandLine(pid).includes('bootstrap.mjs'));
    expect(reaper).toBeDefined();
    expect(instance).toBeDefined();
    // The worst case: the reaper dies first, so nothing cleans up after the emulator.
    process.kill(reaper!, 'SIGKILL');
    expect(await eventually(() => !isRunning(reaper!), 2000)).toBe(true);
    first.child.kill('SIGKILL');
    await first.exited();
    const [stale] = readdirSync(workDirectory);
    expect(stale).toMatch(new RegExp(`^mbs-emulator-${first.pid}-`));
    // An idle instance still sees its IPC channel close and exits.
    expect(await eventually(() => !isRunning(instance!), 3000)).toBe(true);

    // Directories that are not stale stay: this process's, a live process's, foreign names.
    for (const name of [
      `mbs-emulator-${process.pid}-keep`,
      'mbs-emulator-1-init',
      'mbs-emulator-old',
    ]) {
      mkdirSync(join(workDirectory, name));
    }
    const next = createEmulator({ workDirectory });
    const after = readdirSync(workDirectory);
    expect(after).not.toContain(stale);
    expect(after).toEqual(
      expect.arrayContaining([
        `mbs-emulator-${process.pid}-keep`,
        'mbs-emulator-1-init',
        'mbs-emulator-old',
      ]),
    );
    expect(after.filter((name) => name.startsWith(`mbs-emulator-${process.pid}-`))).toHaveLength(2);
    await next.dispose();
  });

  it("removes its directory on dispose and after a SIGTERM of mbs's server", async () => {
    const workDirectory = join(base, 'clean');
    const emulator = createEmulator({ workDirectory });
    expect(readdirSync(workDirectory)).toHaveLength(1);
    await emulator.dispose();
    expect(readdirSync(workDirectory)).toHaveLength(0);
    const server = await startEmulatorProcess({ workDirectory });
    expect(readdirSync(workDirectory)).toHaveLength(1);
    await server.stop();
    expect(server.stderr()).toBe('');
    expect(server.child.exitCode).toBe(0);
    expect(existsSync(workDirectory) && readdirSync(workDirectory)).toEqual([]);
    expect(emulatorDirectories()).toEqual([]);
  });
});
