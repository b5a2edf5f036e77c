import { createRandom, MbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_OPTIONS, isRetryableError, retryDelaySeconds } from './retry.js';

describe('retryDelaySeconds', () => {
  it('stays within the capped exponential bound (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 500 }),
        fc.integer({ min: 0, max: 5000 }),
        (retry, draw, baseDelayMs, extraMs) => {
          const options = { maxAttempts: 5, baseDelayMs, maxDelayMs: baseDelayMs + extraMs };
          const delay = retryDelaySeconds(retry, options, () => draw);
          const capSeconds = Math.min(options.maxDelayMs, baseDelayMs * 2 ** (retry - 1)) / 1000;
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(capSeconds);
          expect(delay).toBeCloseTo(draw * capSeconds, 12);
        },
      ),
    );
  });

  it('spreads delays uniformly below the cap (full jitter)', () => {
    const random = createRandom(7);
    const delays = Array.from({ length: 4000 }, () =>
      retryDelaySeconds(3, DEFAULT_RETRY_OPTIONS, () => random.next()),
    );
    const capSeconds = 0.2; // 50 ms x 2^2
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length;
    // Uniform on [0, 0.2]: mean 0.1, standard error 0.2 / sqrt(12 x 4000) ~ 0.0009.
    expect(mean).toBeGreaterThan(0.1 - 0.005);
    expect(mean).toBeLessThan(0.1 + 0.005);
    expect(Math.max(...delays)).toBeLessThanOrEqual(capSeconds);
  });
});

describe('isRetryableError', () => {
  it('retries throttling and errors the provider marked retryable, nothing else', () => {
    expect(isRetryableError(new MbsError('THROTTLED', 'x'))).toBe(true);
    expect(
      isRetryableError(new MbsError('PROVIDER_ERROR', 'x', { details: { retryable: true } })),
    ).toBe(true);
    expect(
      isRetryableError(new MbsError('PROVIDER_ERROR', 'x', { details: { retryable: false } })),
    ).toBe(false);
    expect(isRetryableError(new MbsError('PROVIDER_ERROR', 'x'))).toBe(false);
    expect(isRetryableError(new TypeError('fetch failed'))).toBe(false);
    expect(isRetryableError(undefined)).toBe(false);
  });
});
