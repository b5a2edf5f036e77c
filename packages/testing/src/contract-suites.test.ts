import type { Objective } from '@mbs/core';
import { testObjective } from './test-objective.js';
import { testPricing } from './test-pricing.js';

// The kit's suites run against minimal plugins as an author would write them; the built-in
// plugins run them in their own packages.
testPricing('per-vCPU-second cost model without Lambda fields', () => ({
  specificationVersion: 'v1',
  name: 'per-vcpu',
  invocationCostUsd: ({ durationMs, memoryMb, initDurationMs = 0 }) =>
    ((durationMs + initDurationMs) / 1000) * (memoryMb / 2048) * 0.000024 + 4e-7,
}));

const p99AndP50: Objective = {
  specificationVersion: 'v1',
  name: 'p99-and-p50',
  searchPercentiles: () => [0.99, 0.5],
  assess: ({ latency, costPerRequestUsd }) => {
    const excess =
      Math.max(latency.quantileSeconds(0.99) / 2, latency.quantileSeconds(0.5) / 0.5) - 1;
    return { feasible: excess <= 0, score: costPerRequestUsd, violation: Math.max(0, excess) };
  },
};
testObjective('p99 and p50', () => p99AndP50, { percentile: 0.99 });
