import type { PricingModel } from '@mbs/core';
import { megabytesToGigabytes } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectRegistrable } from './assert-registrable.js';

const durations = fc.double({ min: 0.001, max: 900_000, noNaN: true });
const memories = fc.integer({ min: 128, max: 10_240 });

/**
 * The contract every cost model (pricing plugin) passes: `invocationCostUsd` is a finite, non-
 * negative price that does not fall when an invocation runs longer, uses more memory or has a
 * cold start's init phase. A plugin with `billedDurationMs` bills at least the duration; one with
 * the Lambda-style fields (`billingGranularityMs`, `priceUsdPerGbSecond`, `requestFeeUsd`) bills in
 * whole granules and charges billed seconds x GB x price + request fee.
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

    it('prices every invocation at a finite cost >= 0, never less for longer, larger or cold ones', () => {
      const pricing = create();
      fc.assert(
        fc.property(
          durations,
          memories,
          fc.double({ min: 0, max: 10_000, noNaN: true }),
          (durationMs, memoryMb, initDurationMs) => {
            const cost = pricing.invocationCostUsd({ durationMs, memoryMb });
            expect(Number.isFinite(cost)).toBe(true);
            expect(cost).toBeGreaterThanOrEqual(0);
            const slack = 1e-12 + cost * 1e-12;
            expect(
              pricing.invocationCostUsd({ durationMs: durationMs * 2, memoryMb }),
            ).toBeGreaterThanOrEqual(cost - slack);
            expect(
              pricing.invocationCostUsd({ durationMs, memoryMb: Math.min(10_240, memoryMb * 2) }),
            ).toBeGreaterThanOrEqual(cost - slack);
            expect(
              pricing.invocationCostUsd({ durationMs, memoryMb, initDurationMs }),
            ).toBeGreaterThanOrEqual(cost - slack);
          },
        ),
      );
    });

    it('bills at least the duration, in whole granules when it names its granularity', () => {
      const pricing = create();
      if (!pricing.billedDurationMs) return;
      const granularity = pricing.billingGranularityMs;
      fc.assert(
        fc.property(durations, memories, (durationMs, memoryMb) => {
          const billed = pricing.billedDurationMs!({ durationMs, memoryMb });
          expect(billed).toBeGreaterThanOrEqual(durationMs - 1e-6);
          if (granularity === undefined) return;
          expect(billed - durationMs).toBeLessThan(granularity + 1e-6);
          expect(Number.isInteger(Math.round(billed / granularity))).toBe(true);
        }),
      );
    });

    it('charges billed seconds x GB x price plus the request fee when it is Lambda-style', () => {
      const pricing = create();
      const { priceUsdPerGbSecond: price, requestFeeUsd: fee } = pricing;
      if (price === undefined || fee === undefined || !pricing.billedDurationMs) return;
      expect(fee).toBeGreaterThanOrEqual(0);
      fc.assert(
        fc.property(
          fc.double({ min: 0.001, max: 60_000, noNaN: true }),
          memories,
          (durationMs, memoryMb) => {
            const billed = pricing.billedDurationMs!({ durationMs, memoryMb });
            const expected = (billed / 1000) * megabytesToGigabytes(memoryMb) * price + fee;
            expect(pricing.invocationCostUsd({ durationMs, memoryMb })).toBeCloseTo(expected, 15);
          },
        ),
      );
    });
  });
}
