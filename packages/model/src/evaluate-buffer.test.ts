import { createRandom, quantile } from '@mbs/core';
import { poissonMap } from '@mbs/markov';
import {
  createLambdaLikePricing,
  createSyntheticProfile,
  replayBuffer,
  sampleArrivalTimes,
  sampleClasses,
} from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { evaluateBuffer } from './evaluate-buffer.js';
import { burstyMap, twitterHourOneMap } from './reference-maps.js';

const profile = createSyntheticProfile();
const orderThreeMap = {
  d0: [
    [-30, 2, 1],
    [0.5, -6, 0.5],
    [3, 0, -123],
  ],
  d1: [
    [20, 5, 2],
    [1, 3, 1],
    [10, 9, 101],
  ],
};
const pricing = createLambdaLikePricing({ billsInitPhase: false });

describe('evaluateBuffer against a Monte Carlo replay of the policy', () => {
  const cases = [
    {
      name: 'bursty MAP(2), B = 8, T = 150 ms',
      map: burstyMap,
      batchSize: 8,
      timeout: 0.15,
      requests: 200_000,
    },
    {
      name: 'Twitter hour 1, B = 25, T = 500 ms',
      map: twitterHourOneMap,
      batchSize: 25,
      timeout: 0.5,
      requests: 150_000,
    },
    {
      name: 'a MAP(3), B = 12, T = 300 ms',
      map: orderThreeMap,
      batchSize: 12,
      timeout: 0.3,
      requests: 150_000,
    },
  ];
  for (const { name, map, batchSize, timeout, requests } of cases) {
    it(name, () => {
      const classShares = [0.5, 0.3, 0.2];
      const uniform = createRandom(42).next;
      const phases = new Int32Array(requests);
      const arrivalTimes = sampleArrivalTimes(map, requests, uniform, 0, phases);
      const classes = sampleClasses(classShares, requests, uniform);
      const sample = replayBuffer({
        arrivalTimes,
        classes,
        batchSize,
        timeoutSeconds: timeout,
        memoryMb: 2048,
        profile,
        pricing,
      });
      const model = evaluateBuffer({
        map,
        classShares,
        profile,
        pricing,
        batchSize,
        timeoutSeconds: timeout,
        memoryMb: 2048,
      });
      const batches = sample.batchSizes.length;
      // Batch sizes: bursty streams correlate neighbouring batches, so allow several standard errors.
      for (let size = 1; size <= batchSize; size++) {
        const observed = sample.batchSizes.filter((value) => value === size).length / batches;
        const predicted = model.batchSizeProbabilities[size - 1]!;
        const standardError = Math.sqrt((predicted * (1 - predicted)) / batches);
        expect(Math.abs(observed - predicted)).toBeLessThan(6 * standardError + 1e-3);
      }
      // Opening phase: the embedded chain's stationary law.
      const openedInFirstPhase =
        sample.openingRequests.filter((index) => phases[index] === 0).length / batches;
      expect(openedInFirstPhase).toBeCloseTo(model.waitLaw.openingPhaseDistribution[0]!, 2);
      // Waits.
      for (const wait of [0, timeout * 0.1, timeout * 0.4, timeout * 0.8, timeout * 0.999]) {
        let observed = 0;
        for (const value of sample.waits) if (value <= wait) observed++;
        let predicted = 0;
        model.waitLaw.requestShareByBatchSize.forEach((share, index) => {
          predicted += share * model.waitLaw.waitCdf(index + 1, wait);
        });
        expect(Math.abs(observed / requests - predicted)).toBeLessThan(0.006);
      }
      // Latency percentiles within 2 % and the mean cost within 1 %.
      for (const percentile of [0.5, 0.95, 0.99]) {
        const observed = quantile(sample.latencies, percentile);
        const predicted = model.latency.percentile(percentile);
        expect(Math.abs(predicted / observed - 1)).toBeLessThan(0.02);
      }
      const meanLatency = sample.latencies.reduce((sum, value) => sum + value, 0) / requests;
      expect(model.meanLatencySeconds / meanLatency - 1).toBeCloseTo(0, 2);
      expect(Math.abs(model.costPerRequestUsd / sample.meanCostPerRequestUsd - 1)).toBeLessThan(
        0.01,
      );
      // Per-class latency: the largest class pays the most.
      const classTwo = sample.latencies.filter((_, index) => classes[index] === 2);
      const observedClassTwo = quantile(classTwo, 0.95);
      expect(
        Math.abs(model.latencyOfClass(2).percentile(0.95) / observedClassTwo - 1),
      ).toBeLessThan(0.02);
    });
  }
});

describe('evaluateBuffer reductions and closed forms', () => {
  it('B = 1: latency is the service time of a batch of one and cost is one invocation each', () => {
    const classShares = [0.6, 0, 0.4];
    const result = evaluateBuffer({
      map: burstyMap,
      classShares,
      profile,
      pricing,
      batchSize: 1,
      timeoutSeconds: 0.3,
      memoryMb: 1024,
    });
    const small = profile.serviceTimeSeconds(1024, 0, 1);
    const large = profile.serviceTimeSeconds(1024, 2, 1);
    expect(result.latency.percentile(0.5)).toBeCloseTo(small, 6);
    expect(result.latency.percentile(0.7)).toBeCloseTo(large, 6);
    expect(result.meanLatencySeconds).toBeCloseTo(0.6 * small + 0.4 * large, 12);
    const cost =
      0.6 * pricing.invocationCostUsd({ durationMs: small * 1000, memoryMb: 1024 }) +
      0.4 * pricing.invocationCostUsd({ durationMs: large * 1000, memoryMb: 1024 });
    expect(result.costPerRequestUsd).toBeCloseTo(cost, 15);
    expect(result.invocationsPerSecond).toBeCloseTo(16.8, 9);
  });

  it('T → 0 tends to no batching: a tiny timeout gives batches of one', () => {
    const options = {
      map: burstyMap,
      classShares: [0.6, 0.4],
      profile,
      pricing,
      batchSize: 10,
      memoryMb: 1024,
    };
    const none = evaluateBuffer({ ...options, timeoutSeconds: 0 });
    const tiny = evaluateBuffer({ ...options, timeoutSeconds: 1e-7 });
    expect(tiny.meanBatchSize).toBeCloseTo(1, 4);
    expect(tiny.latency.percentile(0.9)).toBeCloseTo(none.latency.percentile(0.9), 6);
    expect(tiny.costPerRequestUsd).toBeCloseTo(none.costPerRequestUsd, 10);
    expect(none.latency.percentile(0.5)).toBeCloseTo(profile.serviceTimeSeconds(1024, 0, 1), 6);
  });

  it('Poisson, B = 2, two classes: cost, padding and invocations by hand', () => {
    const rate = 10;
    const timeout = 0.1;
    const shares = [0.7, 0.3];
    const sizes = [100, 400];
    const result = evaluateBuffer({
      map: poissonMap(rate),
      classShares: shares,
      profile,
      pricing,
      batchSize: 2,
      timeoutSeconds: timeout,
      memoryMb: 2048,
      classRepresentativeSizes: sizes,
    });
    const one = Math.exp(-rate * timeout);
    const two = 1 - one;
    const cost = (largest: number, size: number) =>
      pricing.invocationCostUsd({
        durationMs: profile.serviceTimeSeconds(2048, largest, size) * 1000,
        memoryMb: 2048,
      });
    const largeInPair = 1 - 0.7 ** 2;
    const perBatch =
      one * (0.7 * cost(0, 1) + 0.3 * cost(1, 1)) +
      two * (0.49 * cost(0, 2) + largeInPair * cost(1, 2));
    const meanSize = one + 2 * two;
    expect(result.meanBatchSize).toBeCloseTo(meanSize, 12);
    expect(result.costPerRequestUsd).toBeCloseTo(perBatch / meanSize, 15);
    expect(result.invocationsPerSecond).toBeCloseTo(rate / meanSize, 12);
    const padded = one * (0.7 * 100 + 0.3 * 400) + two * 2 * (0.49 * 100 + largeInPair * 400);
    const real = meanSize * (0.7 * 100 + 0.3 * 400);
    expect(result.paddingShare).toBeCloseTo(1 - real / padded, 12);
  });

  it('reuses a given wait law and refuses one made for other B or T', () => {
    const base = { map: burstyMap, classShares: [1], profile, pricing, timeoutSeconds: 0.1 };
    const first = evaluateBuffer({ ...base, batchSize: 5, memoryMb: 1024 });
    const second = evaluateBuffer({
      ...base,
      batchSize: 5,
      memoryMb: 4096,
      waitLaw: first.waitLaw,
    });
    expect(second.waitLaw).toBe(first.waitLaw);
    expect(second.meanLatencySeconds).toBeLessThan(first.meanLatencySeconds);
    expect(() =>
      evaluateBuffer({ ...base, batchSize: 6, memoryMb: 1024, waitLaw: first.waitLaw }),
    ).toThrow(/waitLaw/);
  });

  it('refuses shares that do not sum to 1 and batch sizes the profile does not cover', () => {
    const base = { map: burstyMap, profile, pricing, timeoutSeconds: 0.1, memoryMb: 1024 };
    expect(() => evaluateBuffer({ ...base, classShares: [0.5, 0.4], batchSize: 2 })).toThrow(
      /sum to/,
    );
    expect(() => evaluateBuffer({ ...base, classShares: [1], batchSize: 40 })).toThrow(
      /batch sizes 1..32/,
    );
    expect(() => evaluateBuffer({ ...base, classShares: [0, 0, 0, 0, 1], batchSize: 2 })).toThrow(
      /classes 0..3/,
    );
  });

  it('MBS approximations: stationary opening phase and waits of T / n', () => {
    const result = evaluateBuffer({
      map: burstyMap,
      classShares: [1],
      profile,
      pricing,
      batchSize: 10,
      timeoutSeconds: 0.2,
      memoryMb: 2048,
      approximation: 'mbs',
    });
    expect(result.waitLaw.openingPhaseDistribution[0]).toBeCloseTo(0.2, 9);
    expect(result.waitLaw.meanWaitByBatchSize[3]).toBeCloseTo(0.05, 12);
    expect(result.waitLaw.waitCdf(4, 0.0499)).toBe(0);
    expect(result.waitLaw.waitCdf(4, 0.05)).toBe(1);
  });
});
