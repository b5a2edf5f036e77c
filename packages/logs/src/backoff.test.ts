import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, sleep } from './backoff.js';

describe('backoffDelayMs', () => {
  it('doubles its bound per attempt up to the cap', () => {
    const options = { baseMs: 200, capMs: 10_000, random: () => 0.999999 };
    const bounds = [0, 1, 2, 3, 4, 5, 6, 10].map((attempt) =>
      Math.round(backoffDelayMs(attempt, options)),
    );
    expect(bounds).toEqual([200, 400, 800, 1600, 3200, 6400, 10_000, 10_000]);
  });

  it('stays within [0, min(cap, base x 2^attempt))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (attempt, u) => {
          const delay = backoffDelayMs(attempt, { baseMs: 100, capMs: 5000, random: () => u });
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThan(Math.min(5000, 100 * 2 ** attempt));
        },
      ),
    );
  });

  it('sleeps can be aborted', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});
