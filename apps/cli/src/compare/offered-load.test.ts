import { describe, expect, it } from 'vitest';
import { offeredClassShares, offeredLoad } from './offered-load.js';

const arrivals = (times: readonly number[]) => times.map((arrivalSeconds) => ({ arrivalSeconds }));

describe('offeredLoad', () => {
  it('takes the rate of a replay from its trace span and speed', () => {
    const requests = arrivals(Array.from({ length: 101 }, (_, index) => index / 60));
    expect(offeredLoad(requests, { speed: 60, traceSpanSeconds: 100 })).toEqual({
      requests: 101,
      speed: 60,
      traceSpanSeconds: 100,
      spanSeconds: 100 / 60,
      ratePerSecond: 60,
      from: 'run',
    });
  });

  it('offers the same load per trace second at every speed', () => {
    const requests = arrivals([0, 1, 2, 3, 4]);
    const slow = offeredLoad(requests, { speed: 1, traceSpanSeconds: 4 })!;
    const fast = offeredLoad(requests, { speed: 60, traceSpanSeconds: 4 })!;
    expect(fast.ratePerSecond / 60).toBeCloseTo(slow.ratePerSecond, 12);
  });

  it('takes the rate of records alone (mbs serve) from their arrivals', () => {
    expect(offeredLoad(arrivals([5, 3, 7]))).toMatchObject({
      spanSeconds: 4,
      ratePerSecond: 0.5,
      from: 'records',
    });
  });

  it('gives no rate without two distinct arrivals', () => {
    expect(offeredLoad(arrivals([1]))).toBeUndefined();
    expect(offeredLoad(arrivals([2, 2]))).toBeUndefined();
  });
});

describe('offeredClassShares', () => {
  it('counts the classes offered', () => {
    const requests = [0, 0, 1, 2].map((classId) => ({ classId }));
    expect(offeredClassShares(requests, 4)).toEqual([0.5, 0.25, 0.25, 0]);
  });

  it('refuses records of classes the configuration does not have', () => {
    expect(offeredClassShares([{ classId: 5 }], 4)).toBeUndefined();
    expect(offeredClassShares([], 4)).toBeUndefined();
  });
});
