import { isMbsError } from '@mbs/core';
import { testPricing } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { createAwsPricing } from './aws-pricing.js';

testPricing('aws-x86', () => createAwsPricing({ architecture: 'x86_64' }));
testPricing('aws-arm64', () => createAwsPricing({ architecture: 'arm64' }));
testPricing('aws-x86 without init billing', () =>
  createAwsPricing({ architecture: 'x86_64', billInitPhase: false }),
);

describe('createAwsPricing', () => {
  it('names and prices each architecture as Lambda does', () => {
    const x86 = createAwsPricing({ architecture: 'x86_64' });
    const arm = createAwsPricing({ architecture: 'arm64' });
    expect([x86.name, arm.name]).toEqual(['aws-x86', 'aws-arm64']);
    expect(x86.priceUsdPerGbSecond).toBe(0.0000166667);
    expect(arm.priceUsdPerGbSecond).toBe(0.0000133334);
    expect(x86.requestFeeUsd * 1e6).toBeCloseTo(0.2, 12);
    expect(x86.billingGranularityMs).toBe(1);
    expect(x86.billsInitPhase).toBe(true);
  });

  it('bills duration plus init, rounded up to 1 ms (395.99 + 265.72 ms -> 662 ms)', () => {
    const pricing = createAwsPricing({ architecture: 'x86_64' });
    const usage = { durationMs: 395.99, initDurationMs: 265.72, memoryMb: 1024 };
    expect(pricing.billedDurationMs(usage)).toBe(662);
    const unbilledInit = createAwsPricing({ architecture: 'x86_64', billInitPhase: false });
    expect(unbilledInit.billedDurationMs(usage)).toBe(396);
    expect(pricing.billedDurationMs({ durationMs: 27.55, memoryMb: 1024 })).toBe(28);
    expect(pricing.billedDurationMs({ durationMs: 12, memoryMb: 1024 })).toBe(12);
  });

  it('costs billed seconds x GB x price + fee in worked examples', () => {
    // 813 ms at 2048 MB on x86: 0.813 s x 2 GB x $0.0000166667 + $0.0000002.
    const x86 = createAwsPricing({ architecture: 'x86_64' });
    expect(x86.invocationCostUsd({ durationMs: 812.4, memoryMb: 2048 })).toBeCloseTo(
      0.813 * 2 * 0.0000166667 + 0.0000002,
      15,
    );
    // 662 ms at 1536 MB (1.5 GB) on arm64 with a cold start.
    const arm = createAwsPricing({ architecture: 'arm64' });
    expect(
      arm.invocationCostUsd({ durationMs: 395.99, initDurationMs: 265.72, memoryMb: 1536 }),
    ).toBeCloseTo(0.662 * 1.5 * 0.0000133334 + 0.0000002, 15);
    // 1 ms at 128 MB: the smallest Lambda invocation, $2.1e-9 of compute.
    expect(x86.invocationCostUsd({ durationMs: 0.3, memoryMb: 128 })).toBeCloseTo(
      0.001 * 0.125 * 0.0000166667 + 0.0000002,
      18,
    );
  });

  it('takes custom prices', () => {
    const pricing = createAwsPricing({
      architecture: 'arm64',
      priceUsdPerGbSecond: 0.00001,
      requestFeeUsd: 0,
    });
    expect(pricing.invocationCostUsd({ durationMs: 1000, memoryMb: 1024 })).toBeCloseTo(
      0.00001,
      15,
    );
  });

  it('rejects unknown and invalid options, naming them', () => {
    const cases: [unknown, RegExp][] = [
      [{ architecture: 'x86' }, /architecture/],
      [{ architecture: 'arm64', region: 'eu-west-1' }, /region/],
      [{ architecture: 'arm64', billInitPhase: 'yes' }, /billInitPhase/],
      [{ architecture: 'arm64', priceUsdPerGbSecond: 0 }, /priceUsdPerGbSecond/],
      [{ architecture: 'arm64', priceUsdPerGbSecond: Number.NaN }, /priceUsdPerGbSecond/],
      [{ architecture: 'arm64', requestFeeUsd: -1 }, /requestFeeUsd/],
    ];
    for (const [options, pattern] of cases) {
      let error: unknown;
      try {
        createAwsPricing(options as Parameters<typeof createAwsPricing>[0]);
      } catch (caught) {
        error = caught;
      }
      expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });
});
