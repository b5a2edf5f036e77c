import { type ChildProcess, spawn } from 'node:child_process';

/**
 * The reaper's program: it reads `+<pid>` / `-<pid>` lines (instances started and gone) from
 * its stdin, a pipe from the emulator. When the pipe closes, the emulator has ended (even by
 * SIGKILL, which no handler in the emulator sees): it kills the instances still listed, with
 * their process groups, and removes the emulator's temporary directory. It is idle the whole
 * time, so unlike an instance busy in a loop it always sees the pipe close. Plain JavaScript,
 * written to a file at start-up as the instance bootstrap is.
 */
export const REAPER_SOURCE = String.raw`
import { rmSync } from 'node:fs';
import { basename } from 'node:path';

const root = process.argv[2];
const pids = new Set();
let pending = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const pid = Number(line.slice(1));
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    if (line[0] === '+') pids.add(pid);
    else if (line[0] === '-') pids.delete(pid);
  }
});
let reaped = false;
function reap() {
  if (reaped) return;
  reaped = true;
  for (const pid of pids) {
    for (const target of process.platform === 'win32' ? [pid] : [-pid, pid]) {
      try {
        process.kill(target, 'SIGKILL');
      } catch {}
    }
  }
  // Only ever an emulator's own directory.
  if (typeof root === 'string' && basename(root).startsWith('mbs-emulator-')) {
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {}
  }
  process.exit(0);
}
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
// A terminal's Ctrl-C or hang-up reaches the emulator; the reaper outlives it to clean up.
for (const signal of ['SIGINT', 'SIGHUP']) process.on(signal, () => {});
`;

/** The emulator's side of the reaper: tells it which instance processes are alive. */
export interface InstanceReaper {
  /** An instance process started. */
  track(pid: number): void;
  /** An instance process is gone. */
  untrack(pid: number): void;
  /** The emulator shuts down normally: the reaper cleans what is left and exits. */
  close(): void;
}

/**
 * Starts the reaper of an emulator whose temporary directory is `root`. It runs detached (its own
 * process group, so a Ctrl-C aimed at the emulator does not end it first) and does not keep the
 * emulator's process alive.
 */
export function startInstanceReaper(reaperPath: string, root: string): InstanceReaper {
  let child: ChildProcess | undefined;
  try {
    child = spawn(process.execPath, [reaperPath, root], {
      detached: process.platform !== 'win32',
      stdio: ['pipe', 'ignore', 'ignore'],
      windowsHide: true,
    });
  } catch {
    // Without a reaper the instances still exit when the emulator's IPC channel closes, unless
    // busy; the next emulator then removes the stale temporary directory.
    child = undefined;
  }
  child?.on('error', () => {});
  const input = child?.stdin;
  input?.on('error', () => {});
  child?.unref();
  (input as { unref?: () => void } | null | undefined)?.unref?.();
  const write = (line: string) => {
    if (input && !input.destroyed && input.writable) input.write(line);
  };
  return {
    track: (pid) => write(`+${pid}\n`),
    untrack: (pid) => write(`-${pid}\n`),
    close: () => input?.end(),
  };
}
