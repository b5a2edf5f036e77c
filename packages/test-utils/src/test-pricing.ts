import type { PricingModel } from '@mbs/core';
import { megabytesToGigabytes } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectRegistrable } from './assert-registrable.js';

/**
 * The contract every pricing plugin passes: billed duration rounds up and never below the
 * duration, and cost = billed seconds x GB x price + request fee.
 *
 * @example
 * ```ts
 * testPricing('aws-x86', () => createAwsPricing({ architecture: 'x86_64' }));
 * ```
 */
export function testPricing(label: string, create: () => PricingModel): void {
  describe(`pricing contract: ${label}`, () => {
    it('is a registrable v1 pricing plugin', () => {
      expectRegistrable('pricing', create());
    });

    it('bills at least the duration, in whole granules', () => {
      const pricing = create();
      fc.assert(
        fc.property(
          fc.double({ min: 0.001, max: 900_000, noNaN: true }),
          fc.integer({ min: 128, max: 10_240 }),
          (durationMs, memoryMb) => {
            const billed = pricing.billedDurationMs({ durationMs, memoryMb });
            expect(billed).toBeGreaterThanOrEqual(durationMs - 1e-6);
            expect(billed - durationMs).toBeLessThan(pricing.billingGranularityMs + 1e-6);
            expect(Number.isInteger(Math.round(billed / pricing.billingGranularityMs))).toBe(true);
          },
        ),
      );
    });

    it('charges billed seconds x GB x price plus the request fee', () => {
      const pricing = create();
      fc.assert(
        fc.property(
          fc.double({ min: 0.001, max: 60_000, noNaN: true }),
          fc.integer({ min: 128, max: 10_240 }),
          (durationMs, memoryMb) => {
            const billed = pricing.billedDurationMs({ durationMs, memoryMb });
            const expected =
              (billed / 1000) * megabytesToGigabytes(memoryMb) * pricing.priceUsdPerGbSecond +
              pricing.requestFeeUsd;
            expect(pricing.invocationCostUsd({ durationMs, memoryMb })).toBeCloseTo(expected, 15);
          },
        ),
      );
    });

    it('costs more for longer and larger invocations', () => {
      const pricing = create();
      const base = pricing.invocationCostUsd({ durationMs: 100, memoryMb: 1024 });
      expect(pricing.invocationCostUsd({ durationMs: 200, memoryMb: 1024 })).toBeGreaterThan(base);
      expect(pricing.invocationCostUsd({ durationMs: 100, memoryMb: 2048 })).toBeGreaterThan(base);
      expect(pricing.requestFeeUsd).toBeGreaterThanOrEqual(0);
    });
  });
}
