import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitWindows } from './windows.js';

describe('splitWindows', () => {
  it('cuts at multiples of the window and ends the last at the last arrival', () => {
    const times = [0, 1, 2, 10, 11, 12, 25];
    expect(splitWindows(times, 10, 2)).toEqual([
      { startSeconds: 0, endSeconds: 10, from: 0, to: 3 },
      { startSeconds: 10, endSeconds: 25, from: 3, to: 7 },
    ]);
    expect(splitWindows(times, 10, 1)).toEqual([
      { startSeconds: 0, endSeconds: 10, from: 0, to: 3 },
      { startSeconds: 10, endSeconds: 20, from: 3, to: 6 },
      { startSeconds: 20, endSeconds: 25, from: 6, to: 7 },
    ]);
  });

  it('merges short and empty windows into the next, and a short last one into the previous', () => {
    const times = [0, 1, 35, 36, 37, 38, 41];
    // [0, 10) has 2 < 3 arrivals and [10, 30) none: they merge into [30, 40); 41 alone merges back.
    expect(splitWindows(times, 10, 3)).toEqual([
      { startSeconds: 0, endSeconds: 41, from: 0, to: 7 },
    ]);
  });

  it('makes one window of the whole trace for an infinite window', () => {
    expect(splitWindows([0, 3, 7], Number.POSITIVE_INFINITY, 2)).toEqual([
      { startSeconds: 0, endSeconds: 7, from: 0, to: 3 },
    ]);
  });

  it('covers every arrival once, in contiguous windows of at least the minimum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        fc.integer({ min: 1, max: 20 }),
        (unsorted, windowSeconds, minimum) => {
          const times = [...unsorted].sort((a, b) => a - b);
          const spans = splitWindows(times, windowSeconds, minimum);
          expect(spans[0]!.from).toBe(0);
          expect(spans.at(-1)!.to).toBe(times.length);
          spans.forEach((span, index) => {
            if (index > 0) {
              expect(span.from).toBe(spans[index - 1]!.to);
              expect(span.startSeconds).toBe(spans[index - 1]!.endSeconds);
            }
            if (spans.length > 1) expect(span.to - span.from).toBeGreaterThanOrEqual(minimum);
            for (let arrival = span.from; arrival < span.to; arrival++) {
              expect(times[arrival]!).toBeGreaterThanOrEqual(span.startSeconds);
              expect(times[arrival]!).toBeLessThanOrEqual(span.endSeconds);
            }
          });
        },
      ),
    );
  });
});
