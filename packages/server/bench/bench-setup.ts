import type { ConfigurationDocument } from '@mbs/core';

/** Four buffers over sizes up to 400, B = 32, T = 10 ms: the batcher benchmark's shape. */
export const BENCH_CONFIGURATION: ConfigurationDocument = {
  schema: 'mbs.configuration',
  version: 1,
  classUpperEdges: [100, 200, 300, 400],
  windows: [
    {
      startSeconds: 0,
      endSeconds: 86_400,
      system: {
        buffers: [0, 1, 2, 3].map((index) => ({
          firstClass: index,
          lastClass: index,
          firstClassShare: 1,
          lastClassShare: 1,
          batchSize: 32,
          timeoutSeconds: 0.01,
          memoryMb: 1024,
        })),
      },
    },
  ],
};

/** The function: 2 ms per batch (a timer, not CPU), each input echoed. */
export async function benchFunction(inputs: readonly number[]): Promise<number[]> {
  await new Promise((resolve) => setTimeout(resolve, 2));
  return [...inputs];
}
