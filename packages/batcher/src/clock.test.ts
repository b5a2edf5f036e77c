import { describe, expect, it } from 'vitest';
import { createSystemClock } from './clock.js';

describe('createSystemClock', () => {
  it('reads epoch seconds that never go backwards', () => {
    const clock = createSystemClock();
    const first = clock.now();
    expect(Math.abs(first - Date.now() / 1000)).toBeLessThan(1);
    let previous = first;
    for (let index = 0; index < 1000; index++) {
      const current = clock.now();
      expect(current).toBeGreaterThanOrEqual(previous);
      previous = current;
    }
  });

  it('fires timers at or after their due time, never before, and soon after', async () => {
    const clock = createSystemClock();
    const delaysSeconds = [0, 0.0005, 0.002, 0.0075, 0.02, 0.031];
    const lateness = await Promise.all(
      delaysSeconds.map(
        (delay) =>
          new Promise<number>((resolve) => {
            const due = clock.now() + delay;
            clock.setTimer(due, () => resolve(clock.now() - due));
          }),
      ),
    );
    for (const late of lateness) {
      expect(late).toBeGreaterThanOrEqual(0);
      // Generous: a shared 2-core machine; the benchmark measures the real figure.
      expect(late).toBeLessThan(0.05);
    }
  });

  it('never calls back synchronously, even for a due timer', async () => {
    const clock = createSystemClock();
    let fired = false;
    const done = new Promise<void>((resolve) => {
      clock.setTimer(clock.now() - 1, () => {
        fired = true;
        resolve();
      });
    });
    expect(fired).toBe(false);
    await done;
    expect(fired).toBe(true);
  });

  it('does not fire a cleared timer, whether it waits on a timeout or a poll', async () => {
    const clock = createSystemClock();
    let fired = 0;
    const far = clock.setTimer(clock.now() + 0.01, () => fired++);
    const near = clock.setTimer(clock.now() + 0.0002, () => fired++);
    clock.clearTimer(far);
    clock.clearTimer(near);
    clock.clearTimer(near);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fired).toBe(0);
  });
});
