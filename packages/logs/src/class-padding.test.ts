import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classPadding } from './class-padding.js';
import { testRequest } from './testing/records.js';

describe('classPadding', () => {
  it('pads each batch to n x the representative size of its largest class', () => {
    // Representative sizes 10 and 100. Batch a: classes 0, 0 -> real 20, padded 2 x 10 = 20.
    // Batch b: classes 0, 1, 1 -> real 10 + 100 + 100 = 210, padded 3 x 100 = 300.
    // Share: 1 - 230 / 320 = 0.28125. Requests are interleaved: only the batch id groups them.
    const requests = [
      testRequest({ requestId: 'a1', batchId: 'a', classId: 0 }),
      testRequest({ requestId: 'b1', batchId: 'b', classId: 1 }),
      testRequest({ requestId: 'a2', batchId: 'a', classId: 0 }),
      testRequest({ requestId: 'b2', batchId: 'b', classId: 0 }),
      testRequest({ requestId: 'b3', batchId: 'b', classId: 1 }),
    ];
    const padding = classPadding(requests, [10, 100]);
    expect(padding.realElements).toBe(230);
    expect(padding.paddedElements).toBe(320);
    expect(padding.batches).toBe(2);
    expect(padding.share).toBeCloseTo(0.28125, 12);
  });

  it('is NaN without requests and refuses classes outside the scheme or sizes that are not sizes', () => {
    expect(classPadding([], [10]).share).toBeNaN();
    const request = testRequest({ requestId: 'r7', batchId: 'b', classId: 2 });
    expect(() => classPadding([request], [10, 100])).toThrow(
      /request r7: classId 2 is not a class of the scheme; classes are 0\.\.1/,
    );
    expect(() => classPadding([], [10, 0])).toThrow(/classRepresentativeSizes\[1\]: got 0/);
  });

  it("agrees with the model's closed form for batches of n independent classes", () => {
    // The model's padding of a buffer with batches of exactly n requests whose classes are
    // independent draws with shares p: 1 - n Σ p_c r_c / (n Σ_c (F_c^n - F_{c-1}^n) r_c).
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 2, maxLength: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (weights, batchSize, seed) => {
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          const shares = weights.map((weight) => weight / total);
          const sizes = weights.map((_, classId) => 2 ** (classId + 1));
          let cumulative = 0;
          let previous = 0;
          let expectedPadded = 0;
          let expectedReal = 0;
          shares.forEach((share, classId) => {
            cumulative += share;
            const power = Math.min(1, cumulative) ** batchSize;
            expectedPadded += (power - previous) * sizes[classId]!;
            expectedReal += share * sizes[classId]!;
            previous = power;
          });
          const expected = 1 - expectedReal / expectedPadded;

          // A seeded linear congruential generator, so a failure replays.
          let state = seed;
          const uniform = () => {
            state = (state * 48271) % 2147483647;
            return state / 2147483647;
          };
          const requests = [];
          for (let batch = 0; batch < 4000; batch++) {
            for (let item = 0; item < batchSize; item++) {
              const draw = uniform();
              let classId = 0;
              let running = shares[0]!;
              while (draw > running && classId < shares.length - 1) running += shares[++classId]!;
              requests.push({ requestId: `${batch}-${item}`, batchId: `${batch}`, classId });
            }
          }
          expect(classPadding(requests, sizes).share).toBeCloseTo(expected, 1);
        },
      ),
      { numRuns: 20 },
    );
  });
});
