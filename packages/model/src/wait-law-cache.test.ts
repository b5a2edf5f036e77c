import { describe, expect, it } from 'vitest';
import { burstyMap, twitterHourOneMap } from './reference-maps.js';
import { computeWaitLaw } from './wait-law.js';
import { WaitLawCache } from './wait-law-cache.js';

describe('WaitLawCache', () => {
  it('computes a law once, thins the MAP to the share, and drops the least recently used', () => {
    const cache = new WaitLawCache(burstyMap, { capacity: 2 });
    const half = cache.get(0.5, 5, 0.1);
    expect(cache.get(0.5, 5, 0.1)).toBe(half);
    expect(half.arrivalRatePerSecond).toBeCloseTo(16.8 / 2, 1);
    expect(half.batchSizeProbabilities).toEqual(
      computeWaitLaw(
        {
          d0: [
            [-41, 1],
            [0.25, -0.75],
          ],
          d1: [
            [40, 0],
            [0, 0.5],
          ],
        },
        5,
        0.1,
      ).batchSizeProbabilities,
    );
    const whole = cache.get(1, 5, 0.1);
    cache.get(0.5, 5, 0.1); // used again: the whole MAP's law is now the least recent
    cache.get(0.25, 5, 0.1);
    expect(cache.size).toBe(2);
    expect(cache.get(0.5, 5, 0.1)).toBe(half);
    expect(cache.get(1, 5, 0.1)).not.toBe(whole);
  });

  it('keys by approximation and rounds shares only when asked', () => {
    const exact = new WaitLawCache(twitterHourOneMap);
    expect(exact.get(0.3, 4, 0.1, 'mbs')).not.toBe(exact.get(0.3, 4, 0.1, 'exact'));
    expect(exact.get(0.1 + 0.2, 4, 0.1)).not.toBe(exact.get(0.3, 4, 0.1));
    const noise = new WaitLawCache(twitterHourOneMap, { shareResolution: 0 });
    expect(noise.get(0.1 + 0.2, 4, 0.1)).toBe(noise.get(0.3, 4, 0.1));
    const coarse = new WaitLawCache(twitterHourOneMap, { shareResolution: 0.01 });
    expect(coarse.get(0.3, 4, 0.1)).toBe(coarse.get(0.301, 4, 0.1));
    expect(coarse.get(0.3, 4, 0.1)).not.toBe(coarse.get(0.31, 4, 0.1));
  });

  it('builds a stream of its own only when its law is missing', () => {
    const cache = new WaitLawCache(burstyMap);
    let built = 0;
    const stream = () => {
      built++;
      return twitterHourOneMap;
    };
    const law = cache.getForStream('range 0-3', stream, 8, 0.2);
    expect(cache.getForStream('range 0-3', stream, 8, 0.2)).toBe(law);
    expect(built).toBe(1);
    expect(law.arrivalRatePerSecond).toBeCloseTo(
      computeWaitLaw(twitterHourOneMap, 8, 0.2).arrivalRatePerSecond,
      12,
    );
    expect(cache.isFor(burstyMap)).toBe(true);
    expect(cache.isFor(twitterHourOneMap)).toBe(false);
  });

  it('tells apart every stream, B, T and approximation, and still refuses an unknown approximation', () => {
    const cache = new WaitLawCache(burstyMap);
    const asked = [
      [0.5, 4, 0.1, 'exact'],
      [0.5, 4, 0.1, 'mbs'],
      [0.5, 5, 0.1, 'exact'],
      [0.5, 4, 0.2, 'exact'],
      [0.25, 4, 0.1, 'exact'],
    ] as const;
    const laws = asked.map(([share, batchSize, timeout, approximation]) =>
      cache.get(share, batchSize, timeout, approximation),
    );
    expect(new Set(laws).size).toBe(asked.length);
    asked.forEach(([share, batchSize, timeout, approximation], index) => {
      const law = cache.get(share, batchSize, timeout, approximation);
      expect(law).toBe(laws[index]);
      expect([law.batchSize, law.timeoutSeconds, law.approximation]).toEqual([
        batchSize,
        timeout,
        approximation,
      ]);
    });
    expect(() => cache.get(0.5, 4, 0.1, 'fast' as never)).toThrow(/approximation/);
  });

  it('refuses a bad capacity or share resolution, naming the option', () => {
    expect(() => new WaitLawCache(burstyMap, { capacity: 0 })).toThrow(/capacity is 0/);
    expect(() => new WaitLawCache(burstyMap, { shareResolution: -0.1 })).toThrow(
      /shareResolution is -0.1/,
    );
  });
});
