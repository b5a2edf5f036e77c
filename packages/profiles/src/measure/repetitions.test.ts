import { createRandom, isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import {
  checkRepetitionRule,
  DEFAULT_REPETITION_RULE,
  repetitionStop,
  summarizeSamples,
} from './repetitions.js';

function normalSampler(seed: number) {
  const random = createRandom(seed);
  return (mean: number, sd: number) => {
    // Box-Muller; 1 - u keeps the logarithm finite.
    const u = 1 - random.next();
    const v = random.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

describe('summarizeSamples', () => {
  it('gives mean, spread and the t interval width', () => {
    const summary = summarizeSamples([10, 12, 8, 10], 0.95);
    expect(summary).toMatchObject({ count: 4, meanMs: 10, minMs: 8, medianMs: 10, maxMs: 12 });
    const sd = Math.sqrt(8 / 3);
    expect(summary.standardDeviationMs).toBeCloseTo(sd, 12);
    // t(0.975, 3) = 3.182446
    expect(summary.relativeWidth).toBeCloseTo((2 * 3.182446 * sd) / 2 / 10, 5);
    expect(summarizeSamples([5], 0.95).relativeWidth).toBe(Number.POSITIVE_INFINITY);
  });

  it('covers the true mean about as often as its confidence says, trimmed or not', () => {
    // 4 samples: nothing trimmed, the t interval of the mean; 15 (the default most): 3 trimmed
    // per end, the Tukey-McLaughlin interval of the trimmed mean (the mean of symmetric noise).
    for (const count of [4, 15]) {
      const draw = normalSampler(7);
      let covered = 0;
      const trials = 4000;
      for (let trial = 0; trial < trials; trial++) {
        const samples = Array.from({ length: count }, () => draw(100, 20));
        const { trimmedMeanMs, relativeWidth } = summarizeSamples(samples, 0.9);
        if (Math.abs(trimmedMeanMs - 100) <= (relativeWidth * trimmedMeanMs) / 2) covered++;
      }
      // 90 % nominal; the binomial standard error over 4000 trials is 0.5 %.
      expect(covered / trials).toBeGreaterThan(0.88);
      expect(covered / trials).toBeLessThan(0.92);
    }
  });

  it('keeps a few samples stretched by something else out of the service time', () => {
    // A host busy with other work stretches 2 of 10 invocations tenfold: the mean doubles, the
    // trimmed mean stays with the function's time and its interval stays narrow.
    const samples = [10, 10.2, 9.8, 10.1, 9.9, 10, 100, 10.3, 9.7, 120];
    const summary = summarizeSamples(samples, 0.95);
    expect(summary.meanMs).toBeGreaterThan(29);
    expect(summary.trimmedMeanMs).toBeCloseTo(10.083, 2);
    expect(summary.relativeWidth).toBeLessThan(0.1);
    expect(summarizeSamples([10, 12, 8, 10], 0.95).trimmedMeanMs).toBe(10);
  });
});

describe('repetitionStop', () => {
  it('waits for the minimum, stops at the confidence width, gives up at the maximum', () => {
    const rule = { minRepetitions: 3, maxRepetitions: 6, relativeWidth: 0.1, confidence: 0.95 };
    expect(repetitionStop([10, 10], rule)).toBeUndefined();
    expect(repetitionStop([10, 10.1, 9.9], rule)).toBe('confidence');
    expect(repetitionStop([10, 20, 5], rule)).toBeUndefined();
    expect(repetitionStop([10, 20, 5, 12, 30, 2], rule)).toBe('max-repetitions');
  });

  it('needs more samples for a noisier point', () => {
    const draw = normalSampler(3);
    const countUntilStop = (relativeSd: number) => {
      const samples: number[] = [];
      while (
        repetitionStop(samples, { ...DEFAULT_REPETITION_RULE, maxRepetitions: 500 }) === undefined
      ) {
        samples.push(draw(50, 50 * relativeSd));
      }
      return samples.length;
    };
    // A steady point stops at the minimum (8: see DEFAULT_REPETITION_RULE).
    expect(countUntilStop(0.01)).toBe(DEFAULT_REPETITION_RULE.minRepetitions);
    expect(DEFAULT_REPETITION_RULE.minRepetitions).toBe(8);
    // (2 x 1.96 x 0.1 / 0.08)² ≈ 24 samples for a 10 % spread (more with the trimming).
    const noisy = countUntilStop(0.1);
    expect(noisy).toBeGreaterThan(12);
    expect(noisy).toBeLessThan(50);
  });
});

describe('checkRepetitionRule', () => {
  it('names the bad field and the accepted range', () => {
    const bad = [
      { minRepetitions: 1 },
      { maxRepetitions: 2 },
      { relativeWidth: 0 },
      { confidence: 1 },
    ];
    for (const change of bad) {
      try {
        checkRepetitionRule({ ...DEFAULT_REPETITION_RULE, ...change });
        expect.unreachable();
      } catch (error) {
        expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
        expect((error as Error).message).toContain(Object.keys(change)[0]);
      }
    }
    expect(checkRepetitionRule(DEFAULT_REPETITION_RULE)).toBe(DEFAULT_REPETITION_RULE);
  });
});
