import { type RequestRecord, type SystemConfiguration, sortedQuantile } from '@mbs/core';
import { roundRobinMap, thinMap } from '@mbs/markov';
import { evaluateSystem } from '@mbs/model';
import { createAwsPricing } from '@mbs/pricing-aws';
import { createParametricProfile } from '@mbs/profiles';
import { replayArrivals, sampleMapArrivals } from '@mbs/sim';
import { DEFAULT_SYNTHETIC_WORKLOAD } from '@mbs/trace-formats';
import { describe, expect, it } from 'vitest';
import { EIGHT_CLASS_EDGES } from './support/four-buffer-configuration.js';

// `mbs solve --front-ends k` models one of k identical front ends behind a round-robin balancer
// as the MAP of every k-th arrival. Checked here against what it stands for: a sample of the whole
// stream dealt round robin to k front ends, each replayed through the configuration.

const SYSTEM: SystemConfiguration = {
  buffers: [
    { firstClass: 0, lastClass: 1, batchSize: 8, timeoutSeconds: 0.4, memoryMb: 2048 },
    { firstClass: 2, lastClass: 3, batchSize: 6, timeoutSeconds: 0.4, memoryMb: 2048 },
    { firstClass: 4, lastClass: 5, batchSize: 4, timeoutSeconds: 0.5, memoryMb: 3008 },
    { firstClass: 6, lastClass: 7, batchSize: 2, timeoutSeconds: 0.3, memoryMb: 4096 },
  ].map((buffer) => ({ ...buffer, firstClassShare: 1, lastClassShare: 1 })),
};
const CLASS_SHARES = new Array<number>(8).fill(1 / 8);
const REQUESTS = 600_000;

describe('one of k front ends behind round robin', () => {
  it('the model of every k-th arrival matches a replay of the k dealt streams within 2 % at p95', () => {
    const map = DEFAULT_SYNTHETIC_WORKLOAD.arrivals.map;
    const profile = createParametricProfile({ representativeSizes: EIGHT_CLASS_EDGES });
    const pricing = createAwsPricing({ architecture: 'x86_64' });
    const evaluate = (arrivals: typeof map) =>
      evaluateSystem({
        map: arrivals,
        classShares: CLASS_SHARES,
        system: SYSTEM,
        profile,
        pricing,
        percentile: 0.95,
        classRepresentativeSizes: EIGHT_CLASS_EDGES,
      });
    const arrivals = [
      ...sampleMapArrivals({
        map,
        classShares: CLASS_SHARES,
        representativeSizes: EIGHT_CLASS_EDGES,
        count: REQUESTS,
        seed: 17,
      }),
    ];
    for (const frontEnds of [2, 3]) {
      const latencies: number[] = [];
      let cost = 0;
      for (let frontEnd = 0; frontEnd < frontEnds; frontEnd++) {
        const share = arrivals.filter((_, index) => index % frontEnds === frontEnd);
        const summary = replayArrivals(share, {
          system: SYSTEM,
          profile,
          pricing,
          seed: frontEnd + 1,
          onRequest: (record: RequestRecord) => latencies.push(record.latencySeconds),
        });
        cost += summary.overall.costUsd;
      }
      latencies.sort((a, b) => a - b);
      const replayed = sortedQuantile(latencies, 0.95);
      const roundRobin = evaluate(roundRobinMap(map, frontEnds));
      const random = evaluate(thinMap(map, 1 / frontEnds));
      const error = (roundRobin.latencyPercentileSeconds - replayed) / replayed;
      const randomError = (random.latencyPercentileSeconds - replayed) / replayed;
      console.log(
        `k = ${frontEnds}: replay of the dealt streams p95 ${replayed.toFixed(4)} s; model (every k-th arrival) ${roundRobin.latencyPercentileSeconds.toFixed(4)} s (${(error * 100).toFixed(2)} %); independent thinning 1/k ${random.latencyPercentileSeconds.toFixed(4)} s (${(randomError * 100).toFixed(2)} %); cost $${((cost / REQUESTS) * 1e6).toFixed(3)} vs model $${(roundRobin.costPerRequestUsd * 1e6).toFixed(3)} per 1M`,
      );
      expect(Math.abs(error)).toBeLessThan(0.02);
      expect(Math.abs(roundRobin.costPerRequestUsd * REQUESTS - cost) / cost).toBeLessThan(0.02);
    }
  });
});
