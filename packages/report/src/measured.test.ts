import { quantile } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchTotals,
  EMPIRICAL_CDF_PROBABILITIES,
  empiricalCdfPoints,
  sortedLatencies,
} from './measured.js';

describe('empiricalCdfPoints', () => {
  it('plots the nearest-rank quantile of the latencies at every probability', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 400 }),
        (values) => {
          const sorted = Float64Array.from(values).sort();
          const points = empiricalCdfPoints(sorted);
          expect(points.map(([, p]) => p)).toEqual(EMPIRICAL_CDF_PROBABILITIES);
          for (const [x, p] of points) expect(x).toBe(quantile(values, p));
        },
      ),
    );
  });

  it('ends at the largest latency and is empty without latencies', () => {
    expect(empiricalCdfPoints(Float64Array.from([3, 1, 2]).sort()).at(-1)).toEqual([3, 1]);
    expect(empiricalCdfPoints(new Float64Array(0))).toEqual([]);
  });
});

describe('sortedLatencies', () => {
  it('leaves out failed requests and groups by buffer', () => {
    const latencies = sortedLatencies({
      source: 'x',
      requests: [
        { buffer: 1, latencySeconds: 0.3 },
        { buffer: 0, latencySeconds: 0.2 },
        { buffer: 1, latencySeconds: 0.1 },
        { buffer: 0, latencySeconds: 9, error: { code: 'THROTTLED', message: 'x' } },
      ],
    });
    expect([...latencies.all]).toEqual([0.1, 0.2, 0.3]);
    expect([...latencies.byBuffer.get(1)!]).toEqual([0.1, 0.3]);
    expect([...latencies.byBuffer.get(0)!]).toEqual([0.2]);
  });
});

describe('batchTotals', () => {
  it('counts batch sizes and weighs padding by requests', () => {
    const totals = batchTotals([
      { buffer: 0, size: 1, paddingShare: 0 },
      { buffer: 0, size: 3, paddingShare: 0.4 },
      { buffer: 0, size: 3, paddingShare: 0.2 },
    ]).get(0)!;
    expect(totals.counts).toEqual([1, 0, 2]);
    expect(totals.batches).toBe(3);
    expect(totals.paddingBySizes).toBeCloseTo((3 * 0.4 + 3 * 0.2) / 7, 12);
  });
});
