// Core pinning for the bench (MBS_BENCH_PIN=1): on a small shared machine the server and the load
// generator otherwise compete for the same cores, so each one's wait for a core is billed to the
// front door. Pinned, the server runs on one core and the drivers on another (every thread of each
// process, GC helpers included); other work on the machine still shares both. Affinity is changed
// on the running processes, so pinned and unpinned runs alternate in the same rounds.
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/** The cores a pinned run uses: the server's and the drivers'. */
export const PINNED_CORES = { server: '0', drivers: '1' } as const;

/** Every core of the machine, as taskset's list (what an unpinned process may run on). */
export const ALL_CORES = `0-${availableParallelism() - 1}`;

/** Checks that pinning can work here: two cores at least and taskset(1); throws naming what lacks. */
export function checkPinning(): void {
  if (availableParallelism() < 2) {
    throw new Error(
      `MBS_BENCH_PIN=1 puts the server and the drivers on separate cores; this machine has ${availableParallelism()}`,
    );
  }
  try {
    execFileSync('taskset', ['-V'], { stdio: 'pipe' });
  } catch {
    throw new Error('MBS_BENCH_PIN=1 needs taskset(1) (util-linux) on the PATH');
  }
}

/** Lets every thread of process `pid` run only on `cores` (taskset's list, e.g. "1" or "0-1"). */
export function setCores(pid: number, cores: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cores, String(pid)], {
    stdio: 'pipe',
  });
}
