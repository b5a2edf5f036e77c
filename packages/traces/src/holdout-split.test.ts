import { describe, expect, it } from 'vitest';
import { splitTraceForHoldout } from './holdout-split.js';
import { arrayTrace, arrivalsFromGaps } from './testing/array-trace.js';

describe('splitTraceForHoldout', () => {
  it('cuts at the fraction of the span and shifts the held-out times to the cut', async () => {
    const trace = arrayTrace(
      arrivalsFromGaps([1, 1, 1, 1, 1, 1, 1, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]),
    );
    const split = await splitTraceForHoldout(trace, 0.25);
    expect(split.cutSeconds).toBe(6);
    expect(split.headArrivals).toBe(6);
    const head = [];
    for await (const arrival of split.head) head.push(arrival.timeSeconds);
    expect(head).toEqual([0, 1, 2, 3, 4, 5]);
    expect(split.heldOut.map((arrival) => [arrival.timeSeconds, arrival.size])).toEqual([
      [0, 7],
      [1, 8],
      [2, 9],
    ]);
  });

  it('rejects fractions outside (0, 1) and parts too small to use', async () => {
    const trace = arrayTrace(arrivalsFromGaps([1, 1, 1]));
    await expect(splitTraceForHoldout(trace, 1)).rejects.toThrow(
      /held-out fraction 1; give a fraction in \(0, 1\)/,
    );
    await expect(splitTraceForHoldout(trace, 0.1)).rejects.toThrow(
      /leaves 3 arrivals to tune on and 1 to check/,
    );
  });
});
