import { createFunctionProvider } from '@mbs/batcher';
import type { BufferInput, ConfigurationDocument } from '@mbs/core';
import { MbsError } from '@mbs/core';

/** A configuration document of the given buffers over classes with these upper edges. */
export function configurationOf(
  classUpperEdges: readonly number[],
  buffers: readonly BufferInput[],
): ConfigurationDocument {
  return {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges,
    windows: [
      {
        startSeconds: 0,
        endSeconds: 3600,
        system: {
          buffers: buffers.map((buffer) => ({ firstClassShare: 1, lastClassShare: 1, ...buffer })),
        },
      },
    ],
  };
}

/** Two buffers: sizes up to 100 (B = 4, T = 50 ms) and up to 1000 (B = 2, T = 50 ms). */
export const TWO_BUFFERS = configurationOf(
  [100, 1000],
  [
    { firstClass: 0, lastClass: 0, batchSize: 4, timeoutSeconds: 0.05, memoryMb: 1024 },
    { firstClass: 1, lastClass: 1, batchSize: 2, timeoutSeconds: 0.05, memoryMb: 2048 },
  ],
);

/** An in-process provider answering each input doubled after `delayMs`; inputs < 0 fail the batch. */
export function doublingProvider(delayMs = 0) {
  return createFunctionProvider(async (inputs: readonly number[]) => {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (inputs.some((input) => input < 0)) throw new TypeError('negative input');
    return inputs.map((input) => input * 2);
  });
}

/** A provider that throttles every attempt, as Lambda does at its concurrency limit. */
export const throttlingProvider = {
  specificationVersion: 'v1' as const,
  name: 'throttling',
  invoke: async () => {
    throw new MbsError('THROTTLED', '[test] Rate exceeded', { details: { retryable: true } });
  },
};
