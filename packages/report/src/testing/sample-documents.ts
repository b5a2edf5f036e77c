import type { ReportRequest, SolveDocument } from '../documents.js';

/** Exponential CDF with mean `mean` seconds, shifted by `shift`: a stand-in for a model curve. */
const exponentialCdf = (x: number, mean: number, shift: number) =>
  x < shift ? 0 : 1 - Math.exp(-(x - shift) / mean);

/**
 * A small solve result (two buffers, three classes) with model curves of known closed form, for
 * tests: buffer 0 is exponential with mean 0.2 s after 0.1 s, buffer 1 mean 0.4 s after 0.3 s,
 * each with half the requests.
 */
export function sampleSolveDocument(): SolveDocument {
  const latency = Array.from({ length: 41 }, (_, index) => index * 0.05);
  const buffer0 = latency.map((x) => exponentialCdf(x, 0.2, 0.1));
  const buffer1 = latency.map((x) => exponentialCdf(x, 0.4, 0.3));
  const system = {
    buffers: [
      {
        firstClass: 0,
        lastClass: 1,
        firstClassShare: 1,
        lastClassShare: 1,
        batchSize: 4,
        timeoutSeconds: 0.2,
        memoryMb: 1024,
      },
      {
        firstClass: 2,
        lastClass: 2,
        firstClassShare: 1,
        lastClassShare: 1,
        batchSize: 2,
        timeoutSeconds: 0.1,
        memoryMb: 2048,
      },
    ],
  };
  const solution = {
    strategy: 'frontier',
    feasible: true,
    costPerRequestUsd: 2e-6,
    latencyPercentile: 1.1,
    meanLatencySeconds: 0.5,
    invocationsPerSecond: 3,
    paddingShare: 0.1,
    system,
  };
  return {
    workload: 'sample',
    percentile: 0.95,
    constraint: { mode: 'latency', sloSeconds: 1.2 },
    windows: [
      {
        startSeconds: 0,
        endSeconds: 600,
        solution,
        baselines: [
          { ...solution, name: 'no batching', costPerRequestUsd: 3e-6, latencyPercentile: 0.8 },
          { ...solution, name: 'ours (frontier)' },
        ],
        model: {
          latencyUnit: 'seconds',
          latencyCdf: {
            latency,
            system: latency.map((_, index) => 0.5 * buffer0[index]! + 0.5 * buffer1[index]!),
            buffers: [buffer0, buffer1],
          },
          systemQuantiles: { probability: [0.5, 0.95, 0.99], latency: [0.45, 1.1, 1.7] },
          buffers: [
            {
              buffer: 0,
              requestShare: 0.5,
              batchSizeProbabilities: [0.4, 0.3, 0.2, 0.1],
              meanBatchSize: 2,
              paddingShare: 0.2,
              costPerRequestUsd: 1e-6,
              invocationsPerSecond: 2,
              meanLatencySeconds: 0.3,
            },
            {
              buffer: 1,
              requestShare: 0.5,
              batchSizeProbabilities: [0.6, 0.4],
              meanBatchSize: 1.4,
              paddingShare: 0,
              costPerRequestUsd: 3e-6,
              invocationsPerSecond: 1,
              meanLatencySeconds: 0.7,
            },
          ],
        },
      },
    ],
    configuration: {
      schema: 'mbs.configuration',
      version: 1,
      classUpperEdges: [10, 100, 1000],
      sizeUnit: 'tokens',
      windows: [{ startSeconds: 0, endSeconds: 600, system }],
    },
  };
}

/** Requests with latencies drawn from a seeded sequence, spread over two buffers. */
export function sampleRequests(count: number): ReportRequest[] {
  let state = 12345;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  return Array.from({ length: count }, (_, index) => ({
    buffer: index % 2,
    latencySeconds: 0.1 + 0.3 * (index % 2) - Math.log(1 - next()) * 0.3,
    arrivalSeconds: index * 0.1,
    classId: index % 2 === 0 ? (index % 3 === 0 ? 0 : 1) : 2,
    batchId: `b${Math.floor(index / 3)}`,
  }));
}
