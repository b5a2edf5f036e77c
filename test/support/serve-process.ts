import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repositoryRoot } from './workspaces.js';

/** The built CLI (npm test builds every workspace first). */
export const CLI_BIN = path.join(repositoryRoot, 'apps', 'cli', 'dist', 'bin.js');

/** An `mbs serve` process. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stderr(): string;
  /** Peak resident memory of the process so far in MB (VmHWM), or NaN where /proc is absent. */
  peakRssMb(): number;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code once it exits. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code when the process exits; `exitedAtMs` is Date.now() then. */
  exited(): Promise<{ code: number | null; exitedAtMs: number }>;
}

/** Starts `mbs serve <args> --port 0` and waits for its URL. */
export function startServeProcess(args: readonly string[]): Promise<ServeProcess> {
  return startCliProcess(['serve', ...args, '--port', '0']);
}

/**
 * Starts `mbs emulator start --port 0 <args>` in its own process, so that the emulator's event
 * loop is not the test's (which also runs the client).
 */
export function startEmulatorCliProcess(args: readonly string[]): Promise<ServeProcess> {
  return startCliProcess(['emulator', 'start', '--port', '0', ...args]);
}

/** Starts an `mbs` command that prints `listening on <url>` and serves until a signal. */
export async function startCliProcess(args: readonly string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<{ code: number | null; exitedAtMs: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, exitedAtMs: Date.now() })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    void exit.then(({ code }) =>
      reject(new Error(`mbs ${args[0]} exited with ${code}: ${stderr}`)),
    );
  });
  return {
    url,
    child,
    stderr: () => stderr,
    peakRssMb() {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        return match ? Number(match[1]) / 1024 : Number.NaN;
      } catch {
        return Number.NaN;
      }
    },
    exited: () => exit,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return (await exit).code;
    },
  };
}
