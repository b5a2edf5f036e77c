import type {
  ConfigurationDocument,
  ConfigurationPrediction,
  SystemConfiguration,
} from '@mbs/core';

/** Upper edges (tokens) of the 8 classes the end-to-end configuration uses. */
export const EIGHT_CLASS_EDGES = [256, 512, 1024, 2048, 4096, 8192, 16384, 32768] as const;

/**
 * Four buffers over the 8 classes, tuned for about 1,800 requests per second (the synthetic
 * workload at 60 times real speed): small requests in big fast batches, the rare large ones in
 * small batches with a longer timeout.
 */
export const FOUR_BUFFER_SYSTEM: SystemConfiguration = {
  buffers: [
    { firstClass: 0, lastClass: 1, batchSize: 32, timeoutSeconds: 0.02, memoryMb: 1024 },
    { firstClass: 2, lastClass: 3, batchSize: 32, timeoutSeconds: 0.02, memoryMb: 1536 },
    { firstClass: 4, lastClass: 5, batchSize: 16, timeoutSeconds: 0.05, memoryMb: 2048 },
    { firstClass: 6, lastClass: 7, batchSize: 8, timeoutSeconds: 0.1, memoryMb: 3008 },
  ].map((buffer) => ({ ...buffer, firstClassShare: 1, lastClassShare: 1 })),
};

/** The configuration document `mbs deploy`, `mbs run` and `mbs logs` read. */
export function fourBufferConfiguration(
  prediction: ConfigurationPrediction | undefined,
  endSeconds: number,
): ConfigurationDocument {
  return {
    schema: 'mbs.configuration',
    version: 1,
    classUpperEdges: [...EIGHT_CLASS_EDGES],
    sizeUnit: 'tokens',
    pricing: 'aws-x86',
    windows: [
      {
        startSeconds: 0,
        endSeconds,
        system: FOUR_BUFFER_SYSTEM,
        ...(prediction === undefined ? {} : { prediction }),
      },
    ],
  };
}
