import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EmulatorServerOptions } from '../server.js';

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'serve-emulator.ts');

/** An emulator server running in a child process (tests only). */
export interface EmulatorProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** Resolves when the process has exited. */
  exited(): Promise<void>;
}

/**
 * Starts an emulator server (port 0) in a child process run through tsx, and waits until it
 * listens. Options must be JSON (no shared emulator, no in-process code).
 */
export async function startEmulatorProcess(
  options: Omit<EmulatorServerOptions, 'emulator'> = {},
): Promise<EmulatorProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { url: string; pid: number });
    });
    void exit.then(() => reject(new Error(`the emulator process exited: ${stderr}`)));
  });
  return {
    ...ready,
    child,
    stderr: () => stderr,
    exited: () => exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}
