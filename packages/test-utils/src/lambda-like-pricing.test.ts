import { testPricing } from '@mbs/testing';
import { describe, expect, it } from 'vitest';
import { createLambdaLikePricing } from './lambda-like-pricing.js';

testPricing('lambda-like x86', () => createLambdaLikePricing());
testPricing('lambda-like arm64 without init', () =>
  createLambdaLikePricing({ architecture: 'arm64', billsInitPhase: false }),
);

describe('createLambdaLikePricing', () => {
  it('bills the init phase of cold starts only when asked', () => {
    const usage = { durationMs: 99.2, initDurationMs: 250, memoryMb: 1024 };
    expect(createLambdaLikePricing().billedDurationMs(usage)).toBe(350);
    expect(createLambdaLikePricing({ billsInitPhase: false }).billedDurationMs(usage)).toBe(100);
  });

  it('prices 813 ms at 2 GB on x86 as Lambda does', () => {
    expect(
      createLambdaLikePricing().invocationCostUsd({ durationMs: 812.4, memoryMb: 2048 }),
    ).toBeCloseTo(0.813 * 2 * 0.0000166667 + 0.0000002, 15);
  });
});
