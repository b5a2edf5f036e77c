import { createRandom } from '@mbs/core';
import {
  arrivalRate,
  createInterArrivalStatistics,
  createMapSampler,
  fitMap2,
  fitTargetsFromStatistics,
  interArrivalScv,
  thinMap,
} from '@mbs/markov';
import { describe, expect, it } from 'vitest';
import { countingMatch, traceCounts } from './counting-statistics.js';
import { type ClassedArrival, createRangeArrivals } from './range-arrivals.js';

const CLASS_COUNT = 4;

/**
 * Arrivals of a MAP(2) with SCV 3 whose classes are drawn by `classOf` at each arrival time.
 * The MAP's stream itself is bursty, so the independent-marks case is not trivially Poisson.
 */
function sampleArrivals(count: number, classOf: (timeSeconds: number) => number) {
  const sampler = createMapSampler(fitMap2({ rate: 40, scv: 3, lag1Autocorrelation: 0.1 }).map, 5);
  const arrivals: ClassedArrival[] = [];
  let time = 0;
  for (let index = 0; index < count; index++) {
    time += sampler.nextInterArrival();
    arrivals.push({ timeSeconds: time, classId: classOf(time) });
  }
  return arrivals;
}

/** The whole stream's MAP(2) fit thinned to a range's share, as the default model sees it. */
function thinnedFit(arrivals: readonly ClassedArrival[], share: number) {
  const statistics = createInterArrivalStatistics(1);
  for (let index = 1; index < arrivals.length; index++)
    statistics.add(arrivals[index]!.timeSeconds - arrivals[index - 1]!.timeSeconds);
  return thinMap(fitMap2(fitTargetsFromStatistics(statistics.result())).map, share);
}

const shareOf = (arrivals: readonly ClassedArrival[], classes: readonly number[]) =>
  arrivals.filter((arrival) => classes.includes(arrival.classId)).length / arrivals.length;

describe('createRangeArrivals', () => {
  it('fits burstier streams than thinning when classes come in bursts', () => {
    // Every ~2 s (exponential) the dominant class changes; 85 % of requests are of it.
    const random = createRandom(11);
    let regimeEnd = 0;
    let dominant = 0;
    const arrivals = sampleArrivals(40_000, (time) => {
      while (time >= regimeEnd) {
        regimeEnd += -2 * Math.log(1 - random.next());
        dominant = Math.floor(random.next() * CLASS_COUNT);
      }
      return random.next() < 0.85 ? dominant : Math.floor(random.next() * CLASS_COUNT);
    });
    const rangeArrivals = createRangeArrivals(arrivals, CLASS_COUNT);
    for (const [firstClass, portions] of [
      [0, [1]],
      [1, [1, 1]],
      [3, [1]],
    ] as const) {
      const classes = portions.map((_, offset) => firstClass + offset);
      const fitted = rangeArrivals({ firstClass, portions });
      const thinned = thinnedFit(arrivals, shareOf(arrivals, classes));
      expect(interArrivalScv(fitted)).toBeGreaterThan(interArrivalScv(thinned) + 1);
      // The rate is the sub-stream's own, as thinning gives it.
      expect(arrivalRate(fitted) / arrivalRate(thinned)).toBeCloseTo(1, 1);
    }
  });

  it('fits about the thinned stream when classes are independent of time', () => {
    const random = createRandom(12);
    const arrivals = sampleArrivals(40_000, () => Math.floor(random.next() * CLASS_COUNT));
    const rangeArrivals = createRangeArrivals(arrivals, CLASS_COUNT);
    for (const [firstClass, portions] of [
      [0, [1]],
      [1, [1, 1]],
      [0, [1, 1, 1]],
    ] as const) {
      const classes = portions.map((_, offset) => firstClass + offset);
      const fitted = rangeArrivals({ firstClass, portions });
      const thinned = thinnedFit(arrivals, shareOf(arrivals, classes));
      // Sampling noise of the SCV of ~10-30k bursty gaps is a few hundredths.
      expect(Math.abs(interArrivalScv(fitted) / interArrivalScv(thinned) - 1)).toBeLessThan(0.1);
      expect(arrivalRate(fitted) / arrivalRate(thinned)).toBeCloseTo(1, 2);
    }
  });

  it('gives neighbours sharing a split class complementary parts of it', () => {
    const random = createRandom(13);
    const arrivals = sampleArrivals(20_000, () => Math.floor(random.next() * CLASS_COUNT));
    const rangeArrivals = createRangeArrivals(arrivals, CLASS_COUNT);
    const whole = arrivalRate(rangeArrivals({ firstClass: 1, portions: [1] }));
    const lower = arrivalRate(rangeArrivals({ firstClass: 0, portions: [1, 0.3] }));
    const upper = arrivalRate(rangeArrivals({ firstClass: 1, portions: [0.7, 1] }));
    const classZero = arrivalRate(rangeArrivals({ firstClass: 0, portions: [1] }));
    const classTwo = arrivalRate(rangeArrivals({ firstClass: 2, portions: [1] }));
    // Rates are 1 / mean gap, so sums hold to about one arrival in the window.
    expect((lower - classZero + (upper - classTwo)) / whole).toBeCloseTo(1, 2);
    expect((lower - classZero) / whole).toBeCloseTo(0.3, 1);
  });

  it('fits a Poisson process to a range with too few arrivals', () => {
    const arrivals = sampleArrivals(2_000, (time) => (time < 1 ? 3 : 0));
    const fitted = createRangeArrivals(arrivals, CLASS_COUNT)({ firstClass: 3, portions: [1] });
    expect(fitted.d0).toHaveLength(1);
    const duration = arrivals[arrivals.length - 1]!.timeSeconds - arrivals[0]!.timeSeconds;
    expect(arrivalRate(fitted)).toBeCloseTo(
      arrivals.filter((arrival) => arrival.classId === 3).length / duration,
      9,
    );
  });

  it('names the arrival whose class is out of range', () => {
    expect(() =>
      createRangeArrivals(
        [
          { timeSeconds: 0, classId: 0 },
          { timeSeconds: 1, classId: 4 },
        ],
        CLASS_COUNT,
      ),
    ).toThrow(/arrivals\[1\]\.classId is 4; accepted: an integer in 0..3/);
  });

  it('with counts, fits each range by its counting match and keeps a candidate only when it matches as well', () => {
    const random = createRandom(12);
    let regimeEnd = 0;
    let dominant = 0;
    const arrivals = sampleArrivals(12_000, (time) => {
      while (time >= regimeEnd) {
        regimeEnd += -2 * Math.log(1 - random.next());
        dominant = Math.floor(random.next() * CLASS_COUNT);
      }
      return random.next() < 0.85 ? dominant : Math.floor(random.next() * CLASS_COUNT);
    });
    const range = { firstClass: 1, portions: [1, 1] };
    const kept = arrivals.filter((arrival) => arrival.classId === 1 || arrival.classId === 2);
    const times = kept.map((arrival) => arrival.timeSeconds);
    const counts = traceCounts(times);
    const moments = createRangeArrivals(arrivals, CLASS_COUNT)(range);
    const byCounts = createRangeArrivals(arrivals, CLASS_COUNT, { fit: 'counts' });
    const own = byCounts(range);
    expect(countingMatch(own, counts).score).toBeLessThanOrEqual(
      countingMatch(moments, counts).score + 1e-12,
    );
    expect(byCounts.summary()).toMatchObject({ ranges: 1, ownFits: 1, candidates: 0 });
    // A candidate that misses the counts (thinning: the classes come in regimes) loses to the
    // range's own fit; the own fit offered as the candidate ties and is kept.
    const thinned = thinnedFit(arrivals, shareOf(arrivals, [1, 2]));
    const losing = createRangeArrivals(arrivals, CLASS_COUNT, {
      fit: 'counts',
      candidate: () => thinned,
    });
    expect(losing(range)).not.toBe(thinned);
    const tying = createRangeArrivals(arrivals, CLASS_COUNT, {
      fit: 'counts',
      candidate: () => own,
    });
    expect(tying(range)).toBe(own);
    expect(tying.summary()).toMatchObject({ ranges: 1, ownFits: 0, candidates: 1 });
  }, 30_000);
});
