// The processes of the soak: `mbs` commands run as a user runs them, and the emulator they
// talk to. What /proc says about processes comes from the emulator's own test helpers.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'apps', 'cli', 'dist', 'bin.js');

/** What an `mbs` command ended with. */
export interface CommandResult {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/** Runs `mbs` with these arguments in a child process; stderr is also passed to `onStderr`. */
export function mbs(
  args: readonly string[],
  options: { onStderr?: (text: string) => void } = {},
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
      options.onStderr?.(String(chunk));
    });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

/** Starts `mbs emulator start` on a free loopback port with these extra arguments. */
export function startEmulator(
  args: readonly string[],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [bin, 'emulator', 'start', '--port', '0', '--json', ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk;
      const match = /"url":\s*"([^"]+)"/.exec(text);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited with ${code}: ${text}`)));
  });
}

export {
  childProcessIds,
  commandLine,
  isRunning,
  residentMemoryMb,
} from '../../packages/lambda-emulator/src/testing/processes.js';
