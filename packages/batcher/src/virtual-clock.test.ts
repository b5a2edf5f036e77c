import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createVirtualClock } from './virtual-clock.js';

describe('createVirtualClock', () => {
  it('fires timers in due order, ties in the order set, each at its own time', async () => {
    const clock = createVirtualClock(10);
    const fired: string[] = [];
    const at = (label: string, time: number) =>
      clock.setTimer(time, () => fired.push(`${label}@${clock.now()}`));
    at('c', 12);
    at('a', 11);
    at('b', 11);
    at('late', 20);
    await clock.advanceTo(15);
    expect(fired).toEqual(['a@11', 'b@11', 'c@12']);
    expect(clock.now()).toBe(15);
    expect(clock.pendingTimers()).toBe(1);
    expect(clock.nextTimerSeconds()).toBe(20);
  });

  it('fires timers set by timers when they fall due within the same advance', async () => {
    const clock = createVirtualClock();
    const fired: number[] = [];
    clock.setTimer(1, () => {
      fired.push(clock.now());
      clock.setTimer(2, () => fired.push(clock.now()));
      clock.setTimer(9, () => fired.push(clock.now()));
    });
    await clock.advanceBy(5);
    expect(fired).toEqual([1, 2]);
    await clock.runUntilIdle();
    expect(fired).toEqual([1, 2, 9]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('lets promise chains settle between timers', async () => {
    const clock = createVirtualClock();
    const log: string[] = [];
    clock.setTimer(1, () => {
      void Promise.resolve()
        .then(() => Promise.resolve())
        .then(() => log.push(`chain@${clock.now()}`));
    });
    clock.setTimer(2, () => log.push(`second@${clock.now()}`));
    await clock.advanceTo(3);
    expect(log).toEqual(['chain@1', 'second@2']);
  });

  it('skips cleared timers', async () => {
    const clock = createVirtualClock();
    let fired = 0;
    const handle = clock.setTimer(1, () => fired++);
    clock.clearTimer(handle);
    clock.clearTimer(handle);
    expect(clock.pendingTimers()).toBe(0);
    expect(clock.nextTimerSeconds()).toBeUndefined();
    await clock.runUntilIdle();
    expect(fired).toBe(0);
  });

  it('stops a timer that keeps re-arming itself', async () => {
    const clock = createVirtualClock();
    const rearm = () => clock.setTimer(clock.now() + 1, rearm);
    rearm();
    await expect(clock.runUntilIdle(100)).rejects.toThrow(/more than 100 timers/);
  });

  it('fires any set of timers in sorted order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 60 }),
        async (times) => {
          const clock = createVirtualClock();
          const fired: [number, number][] = [];
          times.forEach((time, order) => {
            clock.setTimer(time, () => fired.push([time, order]));
          });
          await clock.runUntilIdle();
          const expected = times
            .map((time, order): [number, number] => [time, order])
            .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          expect(fired).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});
