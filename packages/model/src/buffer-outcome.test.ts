import { createLambdaLikePricing, createSyntheticProfile } from '@mbs/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatchServiceTable } from './batch-service-table.js';
import {
  batchComposition,
  batchServiceSeconds,
  bufferSummary,
  costAndFractionWithin,
  fractionWithin,
  largestClassLaw,
  largestClassProbabilities,
} from './buffer-outcome.js';
import { classMix } from './class-mix.js';
import { evaluateBuffer } from './evaluate-buffer.js';
import { twitterHourOneMap } from './reference-maps.js';
import { computeWaitLaw } from './wait-law.js';

/** A two-phase MMPP from its arrival and switching rates. */
const mmpp2 = fc
  .record({
    rateA: fc.double({ min: 5, max: 65, noNaN: true }),
    rateB: fc.double({ min: 1, max: 21, noNaN: true }),
    switchAB: fc.double({ min: 0.2, max: 5.2, noNaN: true }),
    switchBA: fc.double({ min: 0.2, max: 5.2, noNaN: true }),
  })
  .map(({ rateA, rateB, switchAB, switchBA }) => ({
    d0: [
      [-(rateA + switchAB), switchAB],
      [switchBA, -(rateB + switchBA)],
    ],
    d1: [
      [rateA, 0],
      [0, rateB],
    ],
  }));

/** Five class weights, some 0, at least one positive. */
const weights = fc
  .array(fc.oneof(fc.constant(0), fc.double({ min: 0.1, max: 1.1, noNaN: true })), {
    minLength: 5,
    maxLength: 5,
  })
  .filter((values) => values.some((value) => value > 0));

describe('largestClassProbabilities', () => {
  it('is F_i^n - F_(i-1)^n, and 0 below the class a request is known to have', () => {
    const mix = classMix([0, 1, 2], [0.5, 0.3, 0.2]);
    expect(largestClassProbabilities(mix, 2)).toEqual([
      0.25,
      expect.closeTo(0.64 - 0.25, 15),
      expect.closeTo(1 - 0.64, 15),
    ]);
    expect(largestClassProbabilities(mix, 2, 1)).toEqual([
      0,
      expect.closeTo(0.64, 15),
      expect.closeTo(1 - 0.64, 15),
    ]);
  });
});

describe('bufferSummary (the fast entry point)', () => {
  it('equals evaluateBuffer on cost, rates, padding, mean and the latency CDF', () => {
    fc.assert(
      fc.property(
        mmpp2,
        weights,
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.005, max: 0.5, noNaN: true }),
        fc.constantFrom(512, 1024, 2048, 4096),
        fc.boolean(),
        (map, classWeights, batchSize, timeoutSeconds, memoryMb, perSize) => {
          const total = classWeights.reduce((sum, weight) => sum + weight, 0);
          const classShares = classWeights.map((weight) => weight / total);
          const sizes = [1, 3, 9, 27, 81];
          const profile = createSyntheticProfile({ classCount: 5 });
          const pricing = createLambdaLikePricing({ billsInitPhase: false });
          const law = computeWaitLaw(map, batchSize, timeoutSeconds);
          const reference = evaluateBuffer({
            map,
            classShares,
            profile,
            pricing,
            batchSize,
            timeoutSeconds,
            memoryMb,
            classRepresentativeSizes: sizes,
            waitLaw: law,
          });
          const classIds = classShares.flatMap((share, classId) => (share > 0 ? [classId] : []));
          const fast = bufferSummary(
            batchComposition(
              law,
              classMix(
                classIds,
                classIds.map((classId) => classShares[classId]!),
              ),
            ),
            createBatchServiceTable(profile, pricing, memoryMb, batchSize),
            sizes,
          );
          expect(fast.costPerRequestUsd).toBeCloseTo(reference.costPerRequestUsd, 14);
          expect(fast.invocationsPerSecond).toBeCloseTo(reference.invocationsPerSecond, 9);
          expect(fast.paddingShare).toBeCloseTo(reference.paddingShare ?? 0, 9);
          expect(fast.meanLatencySeconds).toBeCloseTo(reference.meanLatencySeconds, 6);
          for (const limit of [0.05, 0.2, 0.5, 1, 2]) {
            const expected = perSize
              ? classIds.reduce(
                  (sum, classId) =>
                    sum +
                    classShares[classId]! *
                      reference.latencyOfClass(classId).cdf(limit * sizes[classId]!),
                  0,
                )
              : reference.latency.cdf(limit);
            const fraction = perSize
              ? fast.fractionWithinPerSize(limit)
              : fast.fractionWithin(limit);
            expect(fraction).toBeCloseTo(expected, 6);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('largestClassLaw', () => {
  it('serves every B up to its own, with the figures a composition of that B gives', () => {
    const law = computeWaitLaw(twitterHourOneMap, 6, 0.2);
    const mix = classMix([1, 2, 3], [0.5, 0.3, 0.2]);
    const shared = largestClassLaw(mix, 20);
    const table = createBatchServiceTable(
      createSyntheticProfile(),
      createLambdaLikePricing(),
      2048,
    );
    const own = costAndFractionWithin(batchComposition(law, mix), table, 0.3);
    const viaShared = costAndFractionWithin(batchComposition(law, shared), table, 0.3);
    expect(viaShared).toEqual(own);
    // A batch of one: its largest class is its only class.
    expect(Array.from(shared.probabilities.subarray(0, 3))).toEqual([
      0.5,
      expect.closeTo(0.3, 15),
      expect.closeTo(0.2, 15),
    ]);
    expect(() => batchComposition(computeWaitLaw(twitterHourOneMap, 25, 0.2), shared)).toThrow(
      /up to 20/,
    );
  });
});

describe('fractionWithin with a floor', () => {
  it('answers exactly unless the fraction cannot exceed the floor, then at most the floor and no lower than exact', () => {
    let earlyAnswers = 0;
    fc.assert(
      fc.property(
        mmpp2,
        weights,
        fc.integer({ min: 2, max: 12 }),
        fc.double({ min: 0.005, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (map, classWeights, batchSize, timeoutSeconds, limit, floor) => {
          const classIds = classWeights.flatMap((weight, id) => (weight > 0 ? [id] : []));
          const mix = classMix(
            classIds,
            classIds.map((id) => classWeights[id]!),
          );
          const composition = batchComposition(computeWaitLaw(map, batchSize, timeoutSeconds), mix);
          const table = createBatchServiceTable(
            createSyntheticProfile({ classCount: 5 }),
            createLambdaLikePricing({ billsInitPhase: false }),
            1024,
          );
          const service = batchServiceSeconds(composition, table);
          const exact = fractionWithin(composition, service, limit);
          const early = fractionWithin(composition, service, limit, floor);
          // Either the exact value, or an early answer: at most the floor, when the exact value
          // could not exceed it, and no lower than the exact value.
          if (early !== exact) {
            earlyAnswers++;
            expect(early).toBeLessThanOrEqual(floor);
            expect(exact).toBeLessThanOrEqual(floor + 1e-12);
            expect(early).toBeGreaterThanOrEqual(exact - 1e-12);
          }
        },
      ),
      { numRuns: 40, endOnFailure: true },
    );
    // The early path is taken (seeded runs), so the checks above are exercised.
    expect(earlyAnswers).toBeGreaterThan(0);
  });
});
