import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InstancePool } from './instance-pool.js';

describe('InstancePool', () => {
  it('reuses a free warm instance, and starts one when all are busy or expired', () => {
    const pool = new InstancePool(10);
    expect(pool.acquire(0, 1, 0.5)).toBe(true); // busy until 1.5
    expect(pool.acquire(1, 1, 0.5)).toBe(true); // the first is still busy
    expect(pool.acquire(1.5, 1, 0.5)).toBe(false); // the first is free at 1.5
    expect(pool.size()).toBe(2);
    expect(pool.acquire(30, 1, 0.5)).toBe(true); // both idled more than 10 s
    expect(pool.size()).toBe(1);
  });

  it('agrees with a brute-force pool on random dispatch sequences', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 3, noNaN: true }),
            fc.double({ min: 0.01, max: 4, noNaN: true }),
          ),
          {
            maxLength: 120,
          },
        ),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (steps, keepWarm) => {
          const pool = new InstancePool(keepWarm);
          // Brute force: a list of free times; take the latest free, unexpired one.
          let freeTimes: number[] = [];
          let now = 0;
          for (const [gap, service] of steps) {
            now += gap;
            freeTimes = freeTimes.filter((free) => free > now || now - free <= keepWarm);
            const candidates = freeTimes.filter((free) => free <= now);
            const cold = candidates.length === 0;
            if (!cold) freeTimes.splice(freeTimes.indexOf(Math.max(...candidates)), 1);
            freeTimes.push(now + service + (cold ? 0.25 : 0));
            expect(pool.acquire(now, service, 0.25)).toBe(cold);
            expect(pool.size()).toBe(freeTimes.length);
          }
        },
      ),
    );
  });
});
