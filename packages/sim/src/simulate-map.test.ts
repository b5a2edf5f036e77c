import { markedMapClassShares } from '@mbs/markov';
import { createParametricProfile } from '@mbs/profiles';
import { createLambdaLikePricing } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { replayArrivals } from './replay-trace.js';
import { sampleMapArrivals, simulateMap } from './simulate-map.js';
import { bufferOf } from './testing/buffers.js';

// The default synthetic workload's MAP(2): 30 req/s, bursty.
const map = {
  d0: [
    [-90.6, 0.6],
    [0.2, -10.2],
  ],
  d1: [
    [90, 0],
    [0, 10],
  ],
};
const classShares = [0.3, 0.3, 0.2, 0.2];
const representativeSizes = [100, 200, 400, 800];
const profile = createParametricProfile({ representativeSizes });
const pricing = createLambdaLikePricing({ architecture: 'arm64' });
const whole = {
  buffers: [bufferOf(0, 1, 8, 0.2, 1769), bufferOf(2, 3, 4, 0.1, 3008)],
};
const split = {
  buffers: [
    bufferOf(0, 1, 8, 0.2, 1769, { last: 0.5 }),
    bufferOf(1, 3, 4, 0.1, 3008, { first: 0.5 }),
  ],
};

describe('simulateMap', () => {
  it('gives the same summary for the same seed and another for another seed', () => {
    const run = (seed: number) =>
      simulateMap(
        { map, classShares, representativeSizes },
        { system: split, profile, pricing, seed },
        20_000,
      );
    const first = run(7);
    expect(run(7)).toEqual(first);
    expect(run(8).overall.meanLatencySeconds).not.toBe(first.overall.meanLatencySeconds);
    expect(first.overall.requests).toBe(20_000);
  });

  it('replays the same arrivals as sampleMapArrivals when no class is split', () => {
    const workload = { map, classShares, representativeSizes };
    const simulated = simulateMap(workload, { system: whole, profile, pricing, seed: 3 }, 5_000);
    const arrivals = [...sampleMapArrivals({ ...workload, count: 5_000, seed: 3 })];
    expect(replayArrivals(arrivals, { system: whole, profile, pricing })).toEqual(simulated);
  });

  it('samples the MAP rate and the class shares', () => {
    const arrivals = [
      ...sampleMapArrivals({ map, classShares, representativeSizes, count: 60_000, seed: 11 }),
    ];
    const rate = arrivals.length / arrivals.at(-1)!.timeSeconds;
    // The MAP's bursts are long, so the rate estimate is loose: 30 req/s within 6%.
    expect(Math.abs(rate / 30 - 1)).toBeLessThan(0.06);
    const counts = [0, 0, 0, 0];
    for (const arrival of arrivals) counts[arrival.classId!]! += 1;
    counts.forEach((count, classId) => {
      expect(Math.abs(count / arrivals.length - classShares[classId]!)).toBeLessThan(0.01);
    });
    expect(arrivals[5]!.size).toBe(representativeSizes[arrivals[5]!.classId!]);
  });

  it('routes a split class to both buffers in its shares', () => {
    const summary = simulateMap(
      { map, classShares },
      { system: split, profile, pricing, seed: 5 },
      40_000,
    );
    // Buffer 0 takes class 0 and half of class 1: 0.45 of the requests.
    expect(Math.abs(summary.buffers[0]!.requests / 40_000 - 0.45)).toBeLessThan(0.01);
    expect(summary.overall.paddingShare).toBe(0);
  });

  it('draws classes from a marked MAP by the phase change that carried each arrival', () => {
    // Class 0 arrives only in the fast phase, class 1 only in the slow one.
    const classArrivals = [
      [
        [90, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 10],
      ],
    ];
    const marked = { map, classShares: [0.75, 0.25], classArrivals };
    const arrivals = [...sampleMapArrivals({ ...marked, count: 40_000, seed: 5 })];
    expect([...sampleMapArrivals({ ...marked, count: 40_000, seed: 5 })]).toEqual(arrivals);
    const shares = markedMapClassShares({ ...map, classArrivals });
    const fast = arrivals.filter((arrival) => arrival.classId === 0).length / arrivals.length;
    expect(Math.abs(fast - shares[0]!)).toBeLessThan(0.03);
    // Consecutive arrivals share their phase, so classes come in runs: far more same-class
    // neighbours than independent marks would give.
    let same = 0;
    for (let index = 1; index < arrivals.length; index++) {
      if (arrivals[index]!.classId === arrivals[index - 1]!.classId) same++;
    }
    const independent = fast ** 2 + (1 - fast) ** 2;
    expect(same / (arrivals.length - 1)).toBeGreaterThan(independent + 0.2);
    expect(() =>
      simulateMap(
        { map, classShares, classArrivals },
        { system: whole, profile, pricing, seed: 1 },
        10,
      ),
    ).toThrow(/2 class matrices for 4 class shares/);
  });
});
