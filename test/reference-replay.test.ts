import { createRandom } from '@mbs/core';
import { burstyMap } from '@mbs/model';
import {
  createLambdaLikePricing,
  createSyntheticProfile,
  replayBuffer,
  replaySystemOnArrivals,
  sampleArrivalTimes,
} from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';

// The reference replay of @mbs/test-utils on @mbs/model's reference MAP: cross-package, so here.
const profile = createSyntheticProfile();
const pricing = createLambdaLikePricing({ billsInitPhase: false });

describe('replayBuffer', () => {
  it('dispatches at B requests or T after the first, whichever is first', () => {
    const sample = replayBuffer({
      arrivalTimes: Float64Array.of(0, 0.01, 0.5, 0.52, 0.53, 0.7),
      classes: Int32Array.of(0, 1, 0, 0, 2, 0),
      batchSize: 2,
      timeoutSeconds: 0.1,
      memoryMb: 2048,
      profile,
      pricing,
    });
    expect(sample.batchSizes).toEqual([2, 2, 1, 1]);
    expect(Array.from(sample.waits)).toEqual([
      expect.closeTo(0.01, 12),
      0,
      expect.closeTo(0.02, 12),
      0,
      expect.closeTo(0.1, 12),
      expect.closeTo(0.1, 12),
    ]);
    // The first batch is padded to class 1, its largest.
    expect(sample.latencies[1]).toBeCloseTo(profile.serviceTimeSeconds(2048, 1, 2), 12);
    expect(sample.openingRequests).toEqual([0, 2, 4, 5]);
  });
});

describe('sampleArrivalTimes', () => {
  it('reproduces the MAP rate', () => {
    const times = sampleArrivalTimes(burstyMap, 200_000, createRandom(9).next);
    expect(200_000 / times[times.length - 1]!).toBeCloseTo(16.8, 0);
  });
});

describe('replaySystemOnArrivals', () => {
  it('routes each class to its buffer and a split class by its shares', () => {
    const count = 40_000;
    const arrivalTimes = Float64Array.from({ length: count }, (_, index) => index);
    const classes = Int32Array.from({ length: count }, (_, index) => index % 2);
    const buffer = (
      firstClass: number,
      lastClass: number,
      first: number,
      last: number,
      batchSize: number,
    ) => ({
      firstClass,
      lastClass,
      firstClassShare: first,
      lastClassShare: last,
      batchSize,
      timeoutSeconds: 0,
      memoryMb: 1024,
    });
    // Class 1 split 25/75 between buffers of memory 1024 (with class 0) and 1024 (alone).
    const sample = replaySystemOnArrivals({
      arrivalTimes,
      classes,
      system: { buffers: [buffer(0, 1, 1, 0.25, 1), buffer(1, 1, 0.75, 0.75, 1)] },
      profile,
      pricing,
      uniform: createRandom(1).next,
    });
    expect(sample.latenciesSeconds).toHaveLength(count);
    // Without batching, every request costs one invocation of its own class.
    const expected =
      0.5 *
        pricing.invocationCostUsd({
          durationMs: profile.serviceTimeSeconds(1024, 0, 1) * 1000,
          memoryMb: 1024,
        }) +
      0.5 *
        pricing.invocationCostUsd({
          durationMs: profile.serviceTimeSeconds(1024, 1, 1) * 1000,
          memoryMb: 1024,
        });
    expect(sample.meanCostPerRequestUsd).toBeCloseTo(expected, 14);
    expect(sample.invocationsPerSecond).toBeCloseTo(count / (count - 1), 9);
  });
});
