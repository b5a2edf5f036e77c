import { describe, expect, it } from 'vitest';
import { measure, printBenchTable } from './bench.js';

describe('measure', () => {
  it('reports ordered spread and a rate from the median', async () => {
    let calls = 0;
    const result = await measure('count', () => calls++, { warmup: 2, runs: 9, unitsPerRun: 1000 });
    expect(calls).toBe(11);
    expect(result.samples).toBe(9);
    expect(result.p10Ms).toBeLessThanOrEqual(result.medianMs);
    expect(result.medianMs).toBeLessThanOrEqual(result.p90Ms);
    expect(result.unitsPerSecond).toBeCloseTo(1000 / (result.medianMs / 1000), 6);
  });
});

describe('printBenchTable', () => {
  it('gives each case its ratio to the named baseline', () => {
    const text = printBenchTable(
      'ratios',
      [
        { name: 'fast', samples: 1, medianMs: 2, p10Ms: 2, p90Ms: 2 },
        { name: 'slow', samples: 1, medianMs: 8, p10Ms: 8, p90Ms: 8 },
      ],
      'fast',
    );
    const slowLine = text.split('\n').find((line) => line.startsWith('slow'));
    expect(slowLine?.trim().endsWith('4.00')).toBe(true);
  });
});
