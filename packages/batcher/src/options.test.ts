import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { normalizeConfiguration } from './configuration-input.js';
import { DEFAULT_LIMITS, resolveBatcherOptions } from './options.js';
import { DEFAULT_RETRY_OPTIONS } from './retry.js';
import { createScriptedProvider, twoBufferConfiguration } from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

const base = () => ({
  config: twoBufferConfiguration(),
  provider: createScriptedProvider(createVirtualClock()),
});

const failure = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
};

describe('resolveBatcherOptions', () => {
  it('fills in defaults', () => {
    const resolved = resolveBatcherOptions(base());
    expect(resolved.limits).toEqual(DEFAULT_LIMITS);
    expect(resolved.retry).toEqual(DEFAULT_RETRY_OPTIONS);
  });

  it('accepts Infinity for limits and keeps given values', () => {
    const resolved = resolveBatcherOptions({
      ...base(),
      limits: { maxInFlightTotal: Number.POSITIVE_INFINITY, maxPendingPerBuffer: 5 },
      retry: { maxAttempts: 1, baseDelayMs: 0 },
    });
    expect(resolved.limits.maxInFlightTotal).toBe(Number.POSITIVE_INFINITY);
    expect(resolved.limits.maxPendingPerBuffer).toBe(5);
    expect(resolved.retry).toEqual({ maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 2000 });
  });

  it.each([
    [{ batchsize: 3 }, /options\.batchsize is not an option; accepted: config, provider/],
    [
      { limits: { maxPending: 3 } },
      /limits\.maxPending is not an option; accepted: maxPendingPerBuffer/,
    ],
    [
      { limits: { maxInFlightTotal: 0 } },
      /limits\.maxInFlightTotal must be an integer >= 1 or Infinity; got 0/,
    ],
    [
      { limits: { maxPendingPerBuffer: 2.5 } },
      /limits\.maxPendingPerBuffer must be an integer >= 1/,
    ],
    [{ retry: { maxAttempts: 0 } }, /retry\.maxAttempts must be an integer >= 1; got 0/],
    [{ retry: { baseDelayMs: -1 } }, /retry\.baseDelayMs must be a finite number >= 0; got -1/],
    [
      { retry: { baseDelayMs: 100, maxDelayMs: 10 } },
      /retry\.maxDelayMs must be >= retry\.baseDelayMs \(100\); got 10/,
    ],
    [{ retry: { jitter: true } }, /retry\.jitter is not an option/],
    [{ seed: 1.5 }, /seed must be an integer; got 1\.5/],
    [{ schedulePeriodSeconds: 0 }, /schedulePeriodSeconds must be a finite number > 0; got 0/],
    [
      { functionNames: ['a', ''] },
      /functionNames must be an array of non-empty strings or a function/,
    ],
    [{ clock: { now: () => 0 } }, /clock must have now\(\), setTimer/],
    [{ onBatchRecord: 'file.jsonl' }, /onBatchRecord must be a function; got "file\.jsonl"/],
    [{ provider: { name: 'x', invoke: () => 0 } }, /specificationVersion/],
    [{ provider: undefined }, /provider is required/],
  ])('refuses %j with a message naming the option and range', (override, pattern) => {
    const error = failure(() => resolveBatcherOptions({ ...base(), ...override }));
    expect(error.message).toMatch(pattern);
    expect(isMbsError(error)).toBe(true);
  });
});

describe('normalizeConfiguration', () => {
  it('accepts a system with class edges as one endless window', () => {
    const normalized = normalizeConfiguration(twoBufferConfiguration(), 'options.config');
    expect(normalized.scheme.count).toBe(3);
    expect(normalized.windows).toHaveLength(1);
    expect(normalized.windows[0]?.system.buffers).toHaveLength(2);
  });

  it('checks every buffer field and the class coverage', () => {
    const config = twoBufferConfiguration({ batchSize: 0 });
    expect(() => normalizeConfiguration(config, 'options.config')).toThrow(
      /options\.config.*batchSize must be an integer in 1..10000; got 0/,
    );
    const uncovered = {
      classUpperEdges: [10, 100, 1000],
      system: { buffers: twoBufferConfiguration().system.buffers.slice(0, 1) },
    };
    expect(() => normalizeConfiguration(uncovered, 'options.config')).toThrow(
      /class 2 a total share of 0/,
    );
    expect(() => normalizeConfiguration(42, 'options.config')).toThrow(/options\.config must be/);
  });
});
