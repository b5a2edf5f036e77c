import type { BatchEvent, BatchRecord, InvokeOptions, Provider } from '@mbs/core';
import { isMbsError, MbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';
import { createFunctionProvider } from './function-provider.js';
import { DEFAULT_INVOCATION_TIMEOUT_SECONDS } from './options.js';
import { track, twoBufferConfiguration } from './testing/scripted-provider.js';
import { createVirtualClock } from './virtual-clock.js';

/** A provider that never answers (a frozen endpoint), remembering the signals it was given. */
function frozenProvider(options: { honoursSignal: boolean }) {
  const signals: (AbortSignal | undefined)[] = [];
  const provider: Provider = {
    specificationVersion: 'v1',
    name: 'frozen',
    invoke(_name: string, _event: BatchEvent, invokeOptions?: InvokeOptions) {
      signals.push(invokeOptions?.signal);
      return new Promise((_resolve, reject) => {
        if (options.honoursSignal) {
          invokeOptions?.signal?.addEventListener('abort', () =>
            reject(new MbsError('PROVIDER_ERROR', 'aborted by the caller')),
          );
        }
      });
    },
  };
  return { provider, signals };
}

describe('createBatcher invocation timeout', () => {
  for (const honoursSignal of [true, false]) {
    it(`fails a batch whose invocation never answers (provider ${honoursSignal ? 'honours' : 'ignores'} the signal), once, without retrying`, async () => {
      const clock = createVirtualClock();
      const { provider, signals } = frozenProvider({ honoursSignal });
      const batches: BatchRecord[] = [];
      const batcher = createBatcher({
        config: twoBufferConfiguration({ batchSize: 2, timeoutSeconds: 1 }),
        provider,
        clock,
        invocationTimeoutSeconds: 30,
        retry: { maxAttempts: 3 },
        onBatchRecord: (record) => batches.push(record),
      });
      const results = [1, 2].map((size) => track(batcher.submit({ size, input: size })));
      await clock.advanceTo(29.999);
      expect(results.map((result) => result.status)).toEqual(['pending', 'pending']);
      expect(signals[0]?.aborted).toBe(false);
      await clock.advanceTo(30);
      for (const result of results) {
        expect(result.status).toBe('rejected');
        expect(result.settlements).toBe(1);
        expect(isMbsError(result.error, 'PROVIDER_ERROR')).toBe(true);
        expect((result.error as Error).message).toMatch(
          /no answer from mbs-b0 within 30 s \(invocationTimeoutSeconds\)/,
        );
        expect((result.error as MbsError).details).toMatchObject({
          timedOut: true,
          attempts: 1,
        });
      }
      expect(signals).toHaveLength(1);
      expect(signals[0]?.aborted).toBe(true);
      expect(batches).toHaveLength(1);
      await batcher.close();
      expect(batcher.stats()).toMatchObject({ rejected: 2, inFlightInvocations: 0, retries: 0 });
      expect(clock.pendingTimers()).toBe(0);
    });
  }

  it('leaves no timer behind when the invocation answers in time', async () => {
    const clock = createVirtualClock();
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 1 }),
      provider: createFunctionProvider((inputs: readonly number[]) => inputs),
      clock,
    });
    const result = track(batcher.submit({ size: 1, input: 7 }));
    await clock.settle();
    expect(result).toMatchObject({ status: 'fulfilled', value: 7 });
    await batcher.close();
    expect(clock.pendingTimers()).toBe(0);
  });

  it('defaults to Lambda’s longest function timeout plus a minute, and checks the option', async () => {
    expect(DEFAULT_INVOCATION_TIMEOUT_SECONDS).toBe(960);
    const clock = createVirtualClock();
    const { provider } = frozenProvider({ honoursSignal: false });
    const batcher = createBatcher({
      config: twoBufferConfiguration({ batchSize: 1 }),
      provider,
      clock,
    });
    const result = track(batcher.submit({ size: 1, input: 1 }));
    await clock.advanceTo(959);
    expect(result.status).toBe('pending');
    await clock.advanceTo(960);
    expect(result.status).toBe('rejected');
    for (const bad of [0, -1, Number.NaN, '5']) {
      expect(() =>
        createBatcher({
          config: twoBufferConfiguration(),
          provider,
          invocationTimeoutSeconds: bad as number,
        }),
      ).toThrow(/invocationTimeoutSeconds must be a number of seconds > 0/);
    }
  });
});
