import { selectQuantiles } from '@mbs/core';
import { replaySystem } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { type ReplayFunction, validateAgainstReplay } from './validate-against-replay.js';
import { replayValidationCases } from './validation-grid.js';
import { formatValidationTable } from './validation-table.js';

/** The independent reference replay of @mbs/test-utils, measured as the harness reads a replay. */
const referenceReplay: ReplayFunction = ({ validationCase, profile, pricing, requests, seed }) => {
  const { map, classShares, system } = validationCase;
  const sample = replaySystem({ map, classShares, system, profile, pricing, requests, seed });
  const [p50Seconds, p95Seconds, p99Seconds] = selectQuantiles(
    sample.latenciesSeconds,
    [0.5, 0.95, 0.99],
  ) as [number, number, number];
  return { p50Seconds, p95Seconds, p99Seconds, costPerRequestUsd: sample.meanCostPerRequestUsd };
};

describe('replayValidationCases', () => {
  it('spans the acceptance grid: 5 B x 4 T x 2 buffer counts x 2 workloads', () => {
    const cases = replayValidationCases();
    expect(cases).toHaveLength(80);
    const fourBuffers = cases.find((entry) => entry.bufferCount === 4)!;
    expect(fourBuffers.system.buffers).toHaveLength(4);
    expect(() => replayValidationCases({ workloads: ['nope'] })).toThrow(/twitter-hour-1/);
    expect(() => replayValidationCases({ bufferCounts: [3] })).toThrow(/1 or 4/);
  });
});

describe('validateAgainstReplay', () => {
  it('passes the exact model against the reference replay and shows the MBS approximations missing on a bursty MAP', async () => {
    const cases = replayValidationCases({
      workloads: ['bursty-map2'],
      batchSizes: [10],
      timeoutsSeconds: [0.2],
    });
    const rows = await validateAgainstReplay({ cases, replay: referenceReplay, requests: 100_000 });
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.passed).toBe(true);
      expect(Math.abs(row.mbs.errors.p95)).toBeGreaterThan(0.05);
    }
    const table = formatValidationTable(rows);
    expect(table).toContain('2/2 configurations within 2 %');
    expect(table).toMatch(/bursty-map2\s+4\s+10\s+200\.0/);
  });

  it('fails a row when the replay disagrees', async () => {
    const [validationCase] = replayValidationCases({
      workloads: ['twitter-hour-1'],
      batchSizes: [5],
      timeoutsSeconds: [0.05],
      bufferCounts: [1],
    });
    // A replay whose every latency is 10 % longer than the model's world.
    const slower: ReplayFunction = async (input) => {
      const measured = await referenceReplay(input);
      return {
        p50Seconds: measured.p50Seconds * 1.1,
        p95Seconds: measured.p95Seconds * 1.1,
        p99Seconds: measured.p99Seconds * 1.1,
        costPerRequestUsd: measured.costPerRequestUsd,
      };
    };
    const [row] = await validateAgainstReplay({
      cases: [validationCase!],
      replay: slower,
      requests: 50_000,
    });
    expect(row!.passed).toBe(false);
    expect(row!.exact.errors.p95).toBeCloseTo(1 / 1.1 - 1, 2);
  });
});
