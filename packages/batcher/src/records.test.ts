import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invocationBilling, paddingShare } from './records.js';
import { testPricing } from './testing/scripted-provider.js';

describe('paddingShare', () => {
  it('is the padded share of the batch input', () => {
    expect(paddingShare([10, 10, 10])).toBe(0);
    expect(paddingShare([5, 10])).toBeCloseTo(0.25, 12);
    expect(paddingShare([1, 2, 3, 10])).toBeCloseTo(1 - 16 / 40, 12);
    expect(paddingShare([0, 0])).toBe(0);
  });

  it('agrees with padding every request to the largest one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 30 }),
        (sizes) => {
          const largest = Math.max(...sizes);
          const padding = sizes.reduce((sum, size) => sum + (largest - size), 0);
          const share = paddingShare(sizes);
          expect(share).toBeCloseTo(padding / (largest * sizes.length), 12);
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThan(1);
        },
      ),
    );
  });
});

describe('invocationBilling', () => {
  it('prices the platform record and marks cold starts', () => {
    const billing = invocationBilling(
      {
        requestId: 'abc',
        functionName: 'f',
        durationMs: 812.4,
        billedDurationMs: 813,
        initDurationMs: 250,
        memorySizeMb: 2048,
        maxMemoryUsedMb: 300,
      },
      1024,
      testPricing,
    );
    expect(billing).toEqual({
      durationMs: 812.4,
      billedDurationMs: 813,
      memoryMb: 2048,
      cold: true,
      costUsd: 0.813 * 2 + 0.5,
      invocationId: 'abc',
    });
  });

  it('bills nothing when no invocation ran, and NaN cost without pricing', () => {
    expect(invocationBilling(undefined, 1024, testPricing)).toEqual({
      durationMs: 0,
      billedDurationMs: 0,
      memoryMb: 1024,
      cold: false,
      costUsd: 0,
    });
    const unpriced = invocationBilling(
      {
        requestId: 'x',
        functionName: 'f',
        durationMs: 5,
        billedDurationMs: 5,
        memorySizeMb: 512,
        maxMemoryUsedMb: 1,
      },
      1024,
      undefined,
    );
    expect(unpriced.costUsd).toBeNaN();
    expect(unpriced.cold).toBe(false);
  });
});
