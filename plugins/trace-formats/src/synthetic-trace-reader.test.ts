import { describe, expect, it } from 'vitest';
import { createSyntheticTraceReader, parseSyntheticSource } from './synthetic-trace-reader.js';
import { collect } from './testing/trace-files.js';

describe('synthetic trace reader', () => {
  it('reads its options from the source, overridden by options', async () => {
    expect(parseSyntheticSource('synthetic:seed=7,count=10,duration=5,rate=3')).toEqual({
      seed: 7,
      count: 10,
      durationSeconds: 5,
      rateRequestsPerSecond: 3,
    });
    expect(() => parseSyntheticSource('synthetic:speed=3')).toThrow(
      /keys: seed, count, duration, rate/,
    );
    const reader = createSyntheticTraceReader();
    expect(await reader.canRead('synthetic')).toBe(true);
    expect(await reader.canRead('synthetic:seed=2')).toBe(true);
    expect(await reader.canRead('synthetic.csv')).toBe(false);
    const arrivals = await collect(reader.read('synthetic:seed=7,count=10', { count: 25 }));
    expect(arrivals).toHaveLength(25);
    expect(arrivals.every((arrival) => Number.isInteger(arrival.size) && arrival.size >= 1)).toBe(
      true,
    );
    expect(reader.read('synthetic').metadata.sizeUnit).toBe('tokens');
  });

  it('refuses non-integer seeds and other sources', () => {
    const reader = createSyntheticTraceReader();
    expect(() => reader.read('synthetic:seed=1.5')).toThrow(/seed is 1.5/);
    expect(() => reader.read('trace.csv')).toThrow(/reads sources "synthetic"/);
  });
});
