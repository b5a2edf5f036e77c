import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Prefix of an emulator's temporary directory; the owner's process id follows. */
const PREFIX = 'mbs-emulator-';
const OWNED = /^mbs-emulator-(\d+)-/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temporary directories that emulators left in `baseDirectory` when they died
 * without cleaning up (SIGKILL, a crash): those named `mbs-emulator-<pid>-…` whose owner process
 * no longer runs. Directories of live emulators, and any not named so, are left alone. Returns
 * the paths removed.
 */
export function removeStaleDirectories(baseDirectory: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(baseDirectory);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const owner = OWNED.exec(entry)?.[1];
    if (owner === undefined) continue;
    const pid = Number(owner);
    if (pid === process.pid || processAlive(pid)) continue;
    const path = join(baseDirectory, entry);
    try {
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    } catch {
      // Someone else's, or already going: not ours to insist on.
    }
  }
  return removed;
}

/**
 * Makes this emulator's temporary directory, `mbs-emulator-<pid>-XXXXXX` under `baseDirectory`
 * (the owner's process id in the name lets a later emulator tell a stale one), after removing
 * stale ones.
 */
export function makeTemporaryDirectory(baseDirectory: string): string {
  mkdirSync(baseDirectory, { recursive: true });
  removeStaleDirectories(baseDirectory);
  return mkdtempSync(join(baseDirectory, `${PREFIX}${process.pid}-`));
}
