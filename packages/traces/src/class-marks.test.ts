import { createRandom, parseWorkloadDocument } from '@mbs/core';
import { restrictMarkedMap, thinMap, validateMarkedMap } from '@mbs/markov';
import { describe, expect, it } from 'vitest';
import { fitWorkload } from './fit-workload.js';
import { markedRangeArrivals } from './marked-range-arrivals.js';
import { arrayTrace } from './testing/array-trace.js';

/**
 * Arrivals alternating between a busy state (8/s, large sizes 50..100) and a quiet one (1/s,
 * sizes 1..50), each lasting 5 s on average; with `shuffle`, the same sizes in a random order.
 */
function stateful(count: number, seed: number, shuffle: boolean) {
  const random = createRandom(seed);
  const exponential = (mean: number) => -Math.log(1 - random.next()) * mean;
  const arrivals: { timeSeconds: number; size: number }[] = [];
  let time = 0;
  let busy = true;
  let switchAt = exponential(5);
  while (arrivals.length < count) {
    time += exponential(busy ? 1 / 8 : 1);
    while (time > switchAt) {
      busy = !busy;
      switchAt += exponential(5);
    }
    arrivals.push({
      timeSeconds: time,
      size: busy ? 50 + 50 * random.next() : 1 + 49 * random.next(),
    });
  }
  if (shuffle) {
    const sizes = arrivals.map((arrival) => arrival.size);
    for (let index = sizes.length - 1; index > 0; index--) {
      const other = Math.floor(random.next() * (index + 1));
      [sizes[index], sizes[other]] = [sizes[other]!, sizes[index]!];
    }
    return arrivals.map((arrival, index) => ({ ...arrival, size: sizes[index]! }));
  }
  return arrivals;
}

describe('fitWorkload with class marks', () => {
  it('keeps a marked MAP when sizes follow the arrival state, and its restriction is burstier than thinning', async () => {
    const workload = await fitWorkload(arrayTrace(stateful(8000, 1, false)), {
      classes: { by: 'quantile', count: 4 },
    });
    const window = workload.windows[0]!;
    expect(window.fit!.marks!.dependent).toBe(true);
    expect(window.fit!.marks!.kept).toBe(true);
    expect(window.fit!.method).toMatch(/-em-marked$/);
    const classArrivals = window.classArrivals!;
    expect(classArrivals).toHaveLength(4);
    validateMarkedMap({ ...window.map, classArrivals }, { tolerance: 1e-9 });
    // The document round-trips through the parser.
    parseWorkloadDocument(JSON.parse(JSON.stringify(workload)), 'w.json');
    const rangeArrivals = markedRangeArrivals(window)!;
    // The large sizes (classes 2-3) arrive in the busy state only: far burstier than half the
    // stream thinned at random.
    const large = rangeArrivals({ firstClass: 2, portions: [1, 1] });
    expect(large).toEqual(restrictMarkedMap({ ...window.map, classArrivals }, [0, 0, 1, 1]));
    expect(rangeArrivals({ firstClass: 2, portions: [1, 1] })).toBe(large);
    const { describeMap } = await import('@mbs/markov');
    const share = window.classShares[2]! + window.classShares[3]!;
    expect(describeMap(large).scv).toBeGreaterThan(
      describeMap(thinMap(window.map, share)).scv * 1.2,
    );
  }, 60_000);

  it('thins when the same sizes come in a random order, unless a marked fit is asked for', async () => {
    const arrivals = stateful(8000, 1, true);
    const classes = { by: 'quantile', count: 4 } as const;
    const workload = await fitWorkload(arrayTrace(arrivals), { classes });
    const window = workload.windows[0]!;
    expect(window.fit!.marks!.dependent).toBe(false);
    expect(window.classArrivals).toBeUndefined();
    expect(markedRangeArrivals(window)).toBeUndefined();
    const forced = await fitWorkload(arrayTrace(arrivals), { classes, marks: 'fitted' });
    expect(forced.windows[0]!.classArrivals).toHaveLength(4);
    const thinned = await fitWorkload(arrayTrace(stateful(8000, 1, false)), {
      classes,
      marks: 'independent',
    });
    expect(thinned.windows[0]!.classArrivals).toBeUndefined();
    expect(thinned.windows[0]!.fit!.marks!.reason).toContain('as asked');
    await expect(
      fitWorkload(arrayTrace(arrivals), { method: 'map2', marks: 'fitted' }),
    ).rejects.toThrow(/marks is "fitted"; accepted: auto or independent with method map2/);
  }, 60_000);
});
