import { computeWaitLaw, evaluateBuffer } from '@mbs/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBatchTimeTable, fastOutcome } from './fast-outcome.js';
import { createPricingStub, createProfileStub } from './testing/contract-stubs.js';
import { randomMap, testUniform } from './testing/random-workload.js';

describe('fastOutcome', () => {
  it("equals @mbs/model's evaluateBuffer on cost, rates, padding, mean and the latency CDF", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 12 }),
        fc.double({ min: 0.005, max: 0.5, noNaN: true }),
        fc.constantFrom(512, 1024, 2048, 4096),
        fc.boolean(),
        (seed, batchSize, timeoutSeconds, memoryMb, perSize) => {
          const uniform = testUniform(seed);
          const map = randomMap(uniform);
          const classCount = 5;
          const weights = Array.from({ length: classCount }, (): number =>
            uniform() < 0.3 ? 0 : 0.1 + uniform(),
          );
          if (!weights.some((weight) => weight > 0)) weights[2] = 1;
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          const classShares = weights.map((weight) => weight / total);
          const sizes = [1, 3, 9, 27, 81];
          const profile = createProfileStub(classCount);
          const pricing = createPricingStub();
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
          const fast = fastOutcome({
            law,
            requestShare: 0.4,
            classIds,
            classShares: classIds.map((classId) => classShares[classId]!),
            representativeSizes: sizes,
            batchTimes: createBatchTimeTable(profile, pricing, memoryMb, batchSize),
            perSize,
          });
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
            expect(fast.fractionWithin(limit)).toBeCloseTo(expected, 6);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
