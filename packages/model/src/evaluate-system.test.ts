import type { SystemConfiguration } from '@mbs/core';
import { createRandom, quantile } from '@mbs/core';
import {
  createLambdaLikePricing,
  createSyntheticProfile,
  replayBuffer,
  sampleArrivalTimes,
  sampleClasses,
} from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { evaluateBuffer } from './evaluate-buffer.js';
import { evaluateSystem } from './evaluate-system.js';
import { burstyMap } from './reference-maps.js';
import { WaitLawCache } from './wait-law-cache.js';

const profile = createSyntheticProfile();
const pricing = createLambdaLikePricing({ billsInitPhase: false });
const classShares = [0.4, 0.3, 0.2, 0.1];
const sizes = [100, 200, 400, 800];

const buffer = (
  firstClass: number,
  lastClass: number,
  batchSize: number,
  timeoutSeconds: number,
  memoryMb: number,
  firstClassShare = 1,
  lastClassShare = 1,
) => ({
  firstClass,
  lastClass,
  firstClassShare,
  lastClassShare,
  batchSize,
  timeoutSeconds,
  memoryMb,
});

describe('evaluateSystem', () => {
  it('one buffer over every class is evaluateBuffer', () => {
    const system: SystemConfiguration = { buffers: [buffer(0, 3, 10, 0.2, 2048)] };
    const whole = evaluateSystem({
      map: burstyMap,
      classShares,
      system,
      profile,
      pricing,
      percentile: 0.95,
    });
    const single = evaluateBuffer({
      map: burstyMap,
      classShares,
      profile,
      pricing,
      batchSize: 10,
      timeoutSeconds: 0.2,
      memoryMb: 2048,
    });
    expect(whole.latencyPercentileSeconds).toBeCloseTo(single.latency.percentile(0.95), 9);
    expect(whole.costPerRequestUsd).toBeCloseTo(single.costPerRequestUsd, 15);
    expect(whole.invocationsPerSecond).toBeCloseTo(single.invocationsPerSecond, 9);
    expect(whole.meanLatencySeconds).toBeCloseTo(single.meanLatencySeconds, 12);
  });

  it('a split system matches a Monte Carlo replay of routed requests (thinning is exact)', () => {
    // Class 1 is split 50/50 between the first two buffers.
    const system: SystemConfiguration = {
      buffers: [
        buffer(0, 1, 8, 0.1, 2048, 1, 0.5),
        buffer(1, 2, 5, 0.2, 3008, 0.5, 1),
        buffer(3, 3, 3, 0.05, 4096),
      ],
    };
    const prediction = evaluateSystem({
      map: burstyMap,
      classShares,
      system,
      profile,
      pricing,
      percentile: 0.99,
      classRepresentativeSizes: sizes,
    });
    expect(prediction.buffers.map((b) => b.requestShare)).toEqual([
      expect.closeTo(0.55, 12),
      expect.closeTo(0.35, 12),
      expect.closeTo(0.1, 12),
    ]);

    const requests = 200_000;
    const uniform = createRandom(3).next;
    const times = sampleArrivalTimes(burstyMap, requests, uniform);
    const classes = sampleClasses(classShares, requests, uniform);
    const routes = Array.from(classes, (classId) =>
      classId === 0 ? 0 : classId === 1 ? (uniform() < 0.5 ? 0 : 1) : classId === 2 ? 1 : 2,
    );
    const latencies: number[] = [];
    let cost = 0;
    let batches = 0;
    let realElements = 0;
    let paddedElements = 0;
    system.buffers.forEach((config, index) => {
      const members = routes.flatMap((route, request) => (route === index ? [request] : []));
      const sample = replayBuffer({
        arrivalTimes: Float64Array.from(members, (request) => times[request]!),
        classes: Int32Array.from(members, (request) => classes[request]!),
        batchSize: config.batchSize,
        timeoutSeconds: config.timeoutSeconds,
        memoryMb: config.memoryMb,
        profile,
        pricing,
      });
      latencies.push(...sample.latencies);
      cost += sample.meanCostPerRequestUsd * members.length;
      batches += sample.batchSizes.length;
      // Padding from the replay's batches: walk them in order of their opening request.
      let cursor = 0;
      for (const size of sample.batchSizes) {
        const members = Array.from(
          { length: size },
          (_, offset) => sample.classes[cursor + offset]!,
        );
        cursor += size;
        const largest = Math.max(...members);
        paddedElements += size * sizes[largest]!;
        realElements += members.reduce((sum, classId) => sum + sizes[classId]!, 0);
      }
    });
    const observed = quantile(latencies, 0.99);
    expect(Math.abs(prediction.latencyPercentileSeconds / observed - 1)).toBeLessThan(0.02);
    expect(Math.abs(prediction.costPerRequestUsd / (cost / requests) - 1)).toBeLessThan(0.01);
    const duration = times[requests - 1]!;
    expect(Math.abs(prediction.invocationsPerSecond / (batches / duration) - 1)).toBeLessThan(0.03);
    expect(prediction.paddingShare).toBeCloseTo(1 - realElements / paddedElements, 2);
  });

  it('shares a wait-law cache across memory sizes', () => {
    const cache = new WaitLawCache(burstyMap);
    const evaluate = (memoryMb: number) =>
      evaluateSystem({
        map: burstyMap,
        classShares,
        system: { buffers: [buffer(0, 1, 8, 0.1, memoryMb), buffer(2, 3, 4, 0.1, memoryMb)] },
        profile,
        pricing,
        percentile: 0.95,
        waitLawCache: cache,
      });
    const small = evaluate(1024);
    const large = evaluate(4096);
    expect(large.buffers[0]!.waitLaw).toBe(small.buffers[0]!.waitLaw);
    expect(large.latencyPercentileSeconds).toBeLessThan(small.latencyPercentileSeconds);
  });

  it('refuses a system that does not cover every class once', () => {
    expect(() =>
      evaluateSystem({
        map: burstyMap,
        classShares,
        system: { buffers: [buffer(0, 2, 8, 0.1, 1024)] },
        profile,
        pricing,
        percentile: 0.95,
      }),
    ).toThrow(/class 3/);
  });
});
