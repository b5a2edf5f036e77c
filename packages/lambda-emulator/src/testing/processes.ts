import { readdirSync, readFileSync } from 'node:fs';

/** Whether this machine exposes processes under /proc (the helpers below need it). */
export const PROC_AVAILABLE = (() => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
})();

/** State letter (`R`, `S`, `T` stopped, `Z` zombie, ...) and parent of a process, if it exists. */
function stat(pid: number): { state: string; parent: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: read after the last ')'.
    const [state, parent] = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: state!, parent: Number(parent) };
  } catch {
    return undefined;
  }
}

/** The state letter of a process, or undefined when it is gone. */
export function processState(pid: number): string | undefined {
  return stat(pid)?.state;
}

/** Whether a process still runs (a zombie, dead but not yet reaped, does not count). */
export function isRunning(pid: number): boolean {
  const state = processState(pid);
  return state !== undefined && state !== 'Z' && state !== 'X';
}

/** Processes (not zombies) whose parent is `parentPid`. */
export function childProcessIds(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const found = stat(Number(entry));
    if (found?.parent === parentPid && found.state !== 'Z') children.push(Number(entry));
  }
  return children;
}

/** The command line of a process, or '' when it is gone. */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** Resident memory of a process in MB (VmRSS), or undefined when it is gone. */
export function residentMemoryMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until `condition` holds, polling every 20 ms; false when `timeoutMs` passes first. */
export async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
