import { describe, expect, it } from 'vitest';
import { burstyMap, twitterHourOneMap } from './reference-maps.js';
import { computeWaitLaw } from './wait-law.js';
import { WaitLawCache } from './wait-law-cache.js';

// A fresh copy of a MAP: a new object, so nothing is shared with laws computed before.
const copy = (map: typeof burstyMap) => ({
  d0: map.d0.map((row) => [...row]),
  d1: map.d1.map((row) => [...row]),
});

/** Every figure a search reads of a law, at wait points across [0, T]. */
function figures(law: ReturnType<typeof computeWaitLaw>) {
  const waits = Array.from({ length: 9 }, (_, index) => (law.timeoutSeconds * index) / 8);
  return {
    sizes: law.batchSizeProbabilities,
    shares: law.requestShareByBatchSize,
    opening: law.openingPhaseDistribution,
    meanWaits: law.meanWaitByBatchSize,
    cdf: Array.from({ length: law.batchSize }, (_, size) =>
      waits.map((wait) => law.waitCdf(size + 1, wait)),
    ),
  };
}

describe('counting matrices shared per stream and interval', () => {
  it('gives every B at a T the same law, bit for bit, as computing it alone', () => {
    for (const map of [burstyMap, twitterHourOneMap]) {
      const shared = copy(map);
      // Ascending B (the memos grow), then a smaller B from memos holding more levels, and a
      // hint larger than any B asked.
      for (const [batchSize, timeout] of [
        [2, 0.05],
        [5, 0.05],
        [13, 0.05],
        [25, 0.05],
        [7, 0.3],
        [3, 0.05],
      ] as const) {
        const alone = figures(computeWaitLaw(copy(map), batchSize, timeout));
        expect(figures(computeWaitLaw(shared, batchSize, timeout))).toEqual(alone);
        expect(
          figures(computeWaitLaw(copy(map), batchSize, timeout, { largestBatchSize: 40 })),
        ).toEqual(alone);
      }
    }
  });

  it("a cache's largest B serves the laws of smaller B unchanged", () => {
    const cache = new WaitLawCache(burstyMap, { largestBatchSize: 25 });
    for (const batchSize of [2, 8, 25])
      expect(figures(cache.get(0.4, batchSize, 0.2))).toEqual(
        figures(new WaitLawCache(burstyMap).get(0.4, batchSize, 0.2)),
      );
  });

  it('refuses a largest B that is not a positive integer', () => {
    expect(() => new WaitLawCache(burstyMap, { largestBatchSize: 2.5 })).toThrow(
      /largestBatchSize.*integer >= 1/,
    );
    expect(() => computeWaitLaw(burstyMap, 4, 0.1, { largestBatchSize: Number.NaN })).toThrow(
      /largestBatchSize.*integer >= 1/,
    );
  });
});
