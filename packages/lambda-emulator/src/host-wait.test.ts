import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from './emulator.js';
import { PROC_AVAILABLE } from './testing/processes.js';
import { testFunctionsZip } from './testing/test-functions.js';

const zipFile = testFunctionsZip();
// About 100 ms of CPU work on this machine: long next to a scheduler's time slice.
const WORK = new TextEncoder().encode(JSON.stringify({ iterations: 4_000_000 }));
const SLEEP_MS = 40;
const SLEEP = new TextEncoder().encode(JSON.stringify({ sleepMs: SLEEP_MS }));

function emulatorWith(excludeHostWait: boolean): Emulator {
  const emulator = createEmulator({ cpuScaling: { excludeHostWait } });
  emulator.createFunction({
    functionName: 'work',
    code: { zipFile },
    handler: 'index.work',
    runtime: 'nodejs22.x',
    memoryMb: 1769,
  });
  emulator.createFunction({
    functionName: 'sleep',
    code: { zipFile },
    handler: 'index.sleep',
    runtime: 'nodejs22.x',
    memoryMb: 1769,
  });
  return emulator;
}

/** Median Duration of `count` warm invocations, one after another. */
async function medianDurationMs(
  emulator: Emulator,
  name: 'work' | 'sleep' = 'work',
  count = 5,
): Promise<number> {
  const durations: number[] = [];
  for (let index = 0; index < count; index++) {
    const outcome = await emulator.invoke(name, name === 'work' ? WORK : SLEEP);
    durations.push(outcome.record!.durationMs);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(count / 2)]!;
}

const busy: ChildProcess[] = [];
afterEach(() => {
  for (const child of busy.splice(0)) child.kill('SIGKILL');
});

// Spins for 30 s at most: a loop in its own session would outlive a test process that died.
const BUSY_LOOP =
  "process.stdout.write('x'); const end = Date.now() + 30000; while (Date.now() < end) {}";

/** Two busy loops per core, each running before this returns: an instance gets a third of a core. */
async function loadTheHost(): Promise<void> {
  const started = [];
  for (let index = 0; index < 2 * availableParallelism(); index++) {
    const child = spawn(process.execPath, ['-e', BUSY_LOOP], {
      stdio: ['ignore', 'pipe', 'ignore'],
      // Each in its own session, as instances are: with autogroup scheduling a session shares
      // the cores as one, so loops in the test's session would barely slow an instance.
      detached: true,
    });
    busy.push(child);
    started.push(new Promise((resolve) => child.stdout!.once('data', resolve)));
  }
  await Promise.all(started);
}

describe.skipIf(!PROC_AVAILABLE)('Duration on a busy host', () => {
  it('leaves waits for a host core out by default and counts them when asked', async () => {
    const excluding = emulatorWith(true);
    const counting = emulatorWith(false);
    try {
      // The first invocation is a cold start; then the same instance serves every invocation.
      await excluding.invoke('work', WORK);
      await counting.invoke('work', WORK);
      await excluding.invoke('sleep', SLEEP);
      const quietExcluding = await medianDurationMs(excluding);
      const quietCounting = await medianDurationMs(counting);
      await loadTheHost();
      const loadedCounting = await medianDurationMs(counting);
      const loadedExcluding = await medianDurationMs(excluding);
      const loadedSleep = await medianDurationMs(excluding, 'sleep');
      // The load is real: wall time at least 1.4 times longer (2.3-2.6 times here).
      expect(loadedCounting / quietCounting).toBeGreaterThan(1.4);
      // Leaving the waits out gives the quiet figure back.
      expect(loadedExcluding / quietExcluding).toBeGreaterThan(0.7);
      expect(loadedExcluding / quietExcluding).toBeLessThan(1.3);
      // Waiting on a timer is not waiting for a core: a sleeping handler is billed its sleep
      // (the runtime's helper threads wait long on a busy host, and must not be counted).
      expect(loadedSleep).toBeGreaterThanOrEqual(SLEEP_MS);
      expect(loadedSleep).toBeLessThan(SLEEP_MS * 1.5);
    } finally {
      await Promise.all([excluding.dispose(), counting.dispose()]);
    }
  }, 60_000);
});
