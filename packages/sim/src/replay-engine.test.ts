import type { Arrival, BatchRecord, RequestRecord } from '@mbs/core';
import { classSchemeFromEdges, isMbsError } from '@mbs/core';
import { createLambdaLikePricing } from '@mbs/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReplayEngine } from './replay-engine.js';
import { replayArrivals, replayTrace } from './replay-trace.js';
import { bufferOf, linearProfile, singleBuffer } from './testing/buffers.js';

const pricing = createLambdaLikePricing();
const profile = linearProfile();

function collect() {
  const requests: RequestRecord[] = [];
  const batches: BatchRecord[] = [];
  return {
    requests,
    batches,
    handlers: {
      onRequest: (record: RequestRecord) => requests.push(record),
      onBatch: (record: BatchRecord) => batches.push(record),
    },
  };
}

describe('replay of a hand-computed scenario', () => {
  // One buffer, B = 3, T = 1 s. Service = 0.1 s x batch size + 0.01 s x largest class.
  const arrivals: Arrival[] = [
    { timeSeconds: 0, size: 10, classId: 0 },
    { timeSeconds: 0.2, size: 50, classId: 1 },
    { timeSeconds: 0.5, size: 20, classId: 0 }, // third: full at 0.5, service 0.31, ends 0.81
    { timeSeconds: 2, size: 30, classId: 2 }, // times out at 3, service 0.12, ends 3.12
    { timeSeconds: 3.5, size: 5, classId: 0 }, // times out at 4.5 at the end, ends 4.6
  ];
  const records = collect();
  const summary = replayArrivals(arrivals, {
    system: singleBuffer(4, 3, 1, 1024),
    profile,
    pricing,
    ...records.handlers,
  });

  it('measures the latencies, their order statistics and mean', () => {
    const latencies = records.requests.map((record) => record.latencySeconds);
    const expected = [0.81, 0.61, 0.31, 1.12, 1.1];
    for (const [index, latency] of latencies.entries()) {
      expect(latency).toBeCloseTo(expected[index]!, 12);
    }
    expect(summary.overall.requests).toBe(5);
    expect(summary.overall.batches).toBe(3);
    expect(summary.overall.p50LatencySeconds).toBeCloseTo(0.81, 12);
    expect(summary.overall.p95LatencySeconds).toBeCloseTo(1.12, 12);
    expect(summary.overall.p99LatencySeconds).toBeCloseTo(1.12, 12);
    expect(summary.overall.meanLatencySeconds).toBeCloseTo(3.95 / 5, 12);
    expect(summary.overall.meanWaitSeconds).toBeCloseTo((0.5 + 0.3 + 0 + 1 + 1) / 5, 12);
    expect(summary.overall.dispatchReasons).toEqual({ full: 1, timeout: 2 });
    expect(summary.spanSeconds).toBe(3.5);
    expect(summary.overall.invocationsPerSecond).toBeCloseTo(3 / 3.5, 12);
  });

  it('bills each batch as the pricing plugin does', () => {
    const cost = (durationMs: number) => pricing.invocationCostUsd({ durationMs, memoryMb: 1024 });
    const expected = cost(310) + cost(120) + cost(100);
    expect(summary.overall.costUsd).toBeCloseTo(expected, 15);
    expect(summary.overall.costPerRequestUsd).toBeCloseTo(expected / 5, 15);
    expect(records.batches.map((batch) => batch.billedDurationMs)).toEqual([310, 120, 100]);
  });

  it('writes the batch and request records the runtime writes', () => {
    expect(records.batches[0]).toEqual({
      batchId: 'b1',
      buffer: 0,
      openedSeconds: 0,
      dispatchedSeconds: 0.5,
      endedSeconds: expect.closeTo(0.81, 12),
      size: 3,
      largestClass: 1,
      paddingShare: expect.closeTo(1 - 80 / 150, 12),
      durationMs: expect.closeTo(310, 9),
      billedDurationMs: 310,
      memoryMb: 1024,
      cold: false,
      costUsd: expect.closeTo(pricing.invocationCostUsd({ durationMs: 310, memoryMb: 1024 }), 15),
      reason: 'full',
    });
    expect(records.batches.map((batch) => [batch.reason, batch.dispatchedSeconds])).toEqual([
      ['full', 0.5],
      ['timeout', 3],
      ['timeout', 4.5],
    ]);
    expect(records.requests[1]).toEqual({
      requestId: 'r1',
      buffer: 0,
      classId: 1,
      size: 50,
      arrivalSeconds: 0.2,
      dispatchSeconds: 0.5,
      completionSeconds: expect.closeTo(0.81, 12),
      waitSeconds: expect.closeTo(0.3, 12),
      latencySeconds: expect.closeTo(0.61, 12),
      batchId: 'b1',
      batchSize: 3,
    });
    // Padding over all batches: 1 - (80 + 30 + 5) / (150 + 30 + 5).
    expect(summary.overall.paddingShare).toBeCloseTo(1 - 115 / 185, 12);
  });

  it('gives the same summary from a streamed trace', async () => {
    async function* stream() {
      yield* arrivals;
    }
    const streamed = await replayTrace(stream(), {
      system: singleBuffer(4, 3, 1),
      profile,
      pricing,
    });
    expect(streamed).toEqual(summary);
  });
});

describe('replay edge cases of the policy', () => {
  const arrivalTimes = fc
    .array(fc.tuple(fc.double({ min: 0, max: 2, noNaN: true }), fc.integer({ min: 0, max: 3 })), {
      minLength: 1,
      maxLength: 80,
    })
    .map((steps) => {
      let time = 0;
      return steps.map(([gap, classId]): Arrival => {
        time += gap;
        return { timeSeconds: time, size: classId * 10 + 1, classId };
      });
    });

  it('with B = 1 or T = 0 every latency is the service time of a batch of one', () => {
    fc.assert(
      fc.property(arrivalTimes, fc.integer({ min: 1, max: 8 }), (arrivals, batchSize) => {
        for (const system of [singleBuffer(4, 1, 0.5), singleBuffer(4, batchSize, 0)]) {
          const records = collect();
          replayArrivals(arrivals, {
            system,
            profile,
            pricing,
            onRequest: records.handlers.onRequest,
          });
          expect(records.requests).toHaveLength(arrivals.length);
          for (const record of records.requests) {
            expect(record.waitSeconds).toBe(0);
            expect(record.batchSize).toBe(1);
            expect(record.latencySeconds).toBeCloseTo(0.1 + 0.01 * record.classId, 12);
          }
        }
      }),
      { numRuns: 50 },
    );
  });

  it('puts every arrival in exactly one batch, across split buffers', () => {
    fc.assert(
      fc.property(
        arrivalTimes,
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.integer(),
        (arrivals, batchSize, timeout, share, seed) => {
          // Class 1 is split between the two buffers.
          const system = {
            buffers: [
              bufferOf(0, 1, batchSize, timeout, 1024, { last: share }),
              bufferOf(1, 3, batchSize + 1, timeout / 2, 2048, { first: 1 - share }),
            ],
          };
          const records = collect();
          const summary = replayArrivals(arrivals, {
            system,
            profile,
            pricing,
            seed,
            ...records.handlers,
          });
          const ids = records.requests.map((record) => record.requestId).sort();
          expect(ids).toEqual(arrivals.map((_, index) => `r${index}`).sort());
          const perBatch = new Map<string, number>();
          for (const record of records.requests) {
            perBatch.set(record.batchId, (perBatch.get(record.batchId) ?? 0) + 1);
            expect(record.latencySeconds).toBeGreaterThanOrEqual(record.waitSeconds);
            expect(record.waitSeconds).toBeLessThanOrEqual(
              system.buffers[record.buffer]!.timeoutSeconds + 1e-9,
            );
            if (record.classId === 0) expect(record.buffer).toBe(0);
            if (record.classId >= 2) expect(record.buffer).toBe(1);
          }
          for (const batch of records.batches) {
            expect(perBatch.get(batch.batchId)).toBe(batch.size);
            expect(batch.size).toBeLessThanOrEqual(system.buffers[batch.buffer]!.batchSize);
          }
          expect(records.batches.reduce((sum, batch) => sum + batch.size, 0)).toBe(arrivals.length);
          expect(summary.overall.requests).toBe(arrivals.length);
          expect(summary.buffers[0]!.requests + summary.buffers[1]!.requests).toBe(arrivals.length);
          expect(summary.overall.batches).toBe(records.batches.length);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('matches the Poisson closed forms of batch size and wait', () => {
    // Poisson arrivals at rate L, timeout T, B large: batch size 1 + Poisson(L T), and the mean
    // wait per request is T (1 + L T / 2) / (1 + L T).
    const rate = 10;
    const timeout = 0.3;
    let state = 99;
    const uniform = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return (state + 0.5) / 2 ** 32;
    };
    const arrivals: Arrival[] = [];
    let time = 0;
    for (let index = 0; index < 40_000; index++) {
      time += -Math.log(uniform()) / rate;
      arrivals.push({ timeSeconds: time, size: 1, classId: 0 });
    }
    const unbounded = replayArrivals(arrivals, {
      system: singleBuffer(4, 32, timeout),
      profile,
      pricing,
    });
    expect(unbounded.overall.meanBatchSize).toBeCloseTo(1 + rate * timeout, 1);
    expect(unbounded.overall.meanWaitSeconds).toBeCloseTo(
      (timeout * (1 + (rate * timeout) / 2)) / (1 + rate * timeout),
      2,
    );
    // With B = 4: E[min(1 + N, 4)], N ~ Poisson(3).
    const mean = rate * timeout;
    let expected = 0;
    let probability = Math.exp(-mean);
    for (let k = 0; k < 60; k++) {
      expected += Math.min(1 + k, 4) * probability;
      probability *= mean / (k + 1);
    }
    const capped = replayArrivals(arrivals, {
      system: singleBuffer(4, 4, timeout),
      profile,
      pricing,
    });
    expect(Math.abs(capped.overall.meanBatchSize - expected)).toBeLessThan(0.03);
  });
});

describe('cold starts', () => {
  it('starts a new instance when none is warm and idle, and bills the init', () => {
    const records = collect();
    // B = 1: each request is a batch of service 0.1 s. Keep warm 5 s, init 250 ms.
    const arrivals: Arrival[] = [0, 0.05, 1, 7, 7.01].map((timeSeconds) => ({
      timeSeconds,
      size: 1,
      classId: 0,
    }));
    const summary = replayArrivals(arrivals, {
      system: singleBuffer(4, 1, 0),
      profile,
      pricing,
      coldStart: { initDurationMs: 250, keepWarmSeconds: 5 },
      ...records.handlers,
    });
    // 0: cold; 0.05: the first is busy (until 0.35) -> cold; 1: warm; 7: 6 s idle -> cold;
    // 7.01: the instance of 7 is busy until 7.35 -> cold.
    expect(records.batches.map((batch) => batch.cold)).toEqual([true, true, false, true, true]);
    expect(summary.overall.coldStarts).toBe(4);
    expect(records.requests.map((record) => record.latencySeconds)).toEqual([
      expect.closeTo(0.35, 12),
      expect.closeTo(0.35, 12),
      expect.closeTo(0.1, 12),
      expect.closeTo(0.35, 12),
      expect.closeTo(0.35, 12),
    ]);
    expect(records.batches[0]!.billedDurationMs).toBe(350);
    expect(records.batches[2]!.billedDurationMs).toBe(100);
  });
});

describe('replay options', () => {
  it('classes sizes with the scheme when arrivals carry no class', () => {
    const scheme = classSchemeFromEdges([10, 20, 30, 40]);
    const records = collect();
    replayArrivals(
      [5, 15, 25, 45].map((size, index) => ({ timeSeconds: index, size })),
      { system: singleBuffer(4, 1, 0), profile, pricing, classScheme: scheme, ...records.handlers },
    );
    expect(records.requests.map((record) => record.classId)).toEqual([0, 1, 2, 3]);
  });

  it('stops after maxRequests', () => {
    const arrivals = Array.from({ length: 10 }, (_, index) => ({
      timeSeconds: index,
      size: 1,
      classId: 0,
    }));
    const summary = replayArrivals(arrivals, {
      system: singleBuffer(4, 2, 1),
      profile,
      pricing,
      maxRequests: 3,
    });
    expect(summary.overall.requests).toBe(3);
    expect(summary.overall.latencyPercentilesSeconds).toEqual({});
  });

  it('reports extra percentiles as nearest-rank order statistics', () => {
    const arrivals = Array.from({ length: 10 }, (_, index) => ({
      timeSeconds: index,
      size: 1,
      classId: index % 4,
    }));
    const summary = replayArrivals(arrivals, {
      system: singleBuffer(4, 1, 0),
      profile,
      pricing,
      percentiles: [0.9, 0.25],
    });
    // Latencies 0.1 + 0.01 c for c = 0,1,2,3,0,1,2,3,0,1: sorted 0.10 x3, 0.11 x3, 0.12 x2, 0.13 x2.
    expect(summary.overall.latencyPercentilesSeconds['0.9']).toBeCloseTo(0.13, 12);
    expect(summary.overall.latencyPercentilesSeconds['0.25']).toBeCloseTo(0.1, 12);
    expect(summary.overall.p50LatencySeconds).toBeCloseTo(0.11, 12);
  });

  it('refuses bad options and arrivals, naming them', () => {
    const base = { system: singleBuffer(4, 2, 1), profile, pricing };
    const cases: [() => unknown, string, RegExp][] = [
      [() => createReplayEngine({ ...base, speed: 2 } as never), 'OPTION_INVALID', /speed/],
      [
        () => createReplayEngine({ ...base, system: singleBuffer(4, 64, 1) }),
        'OPTION_INVALID',
        /batchSize 64 exceeds/,
      ],
      [
        () => createReplayEngine({ ...base, system: singleBuffer(5, 2, 1) }),
        'OPTION_INVALID',
        /class 4/,
      ],
      [
        () => createReplayEngine({ ...base, system: singleBuffer(4, 2, 1, 64) }),
        'OPTION_INVALID',
        /memoryMb 64/,
      ],
      [
        () => createReplayEngine({ ...base, classScheme: classSchemeFromEdges([1, 2]) }),
        'OPTION_INVALID',
        /classScheme/,
      ],
      [
        () =>
          createReplayEngine({ ...base, coldStart: { initDurationMs: -1, keepWarmSeconds: 1 } }),
        'OPTION_INVALID',
        /initDurationMs/,
      ],
      [() => createReplayEngine({ ...base, percentiles: [95] }), 'OPTION_INVALID', /percentiles/],
      [() => createReplayEngine(base).push(0, 1), 'OPTION_INVALID', /no class id/],
      [() => createReplayEngine(base).push(0, 1, 7), 'TRACE_PARSE', /class 7/],
      [() => createReplayEngine(base).push(0, -1, 0), 'TRACE_PARSE', /size -1/],
      [
        () => {
          const engine = createReplayEngine(base);
          engine.push(2, 1, 0);
          engine.push(1, 1, 0);
        },
        'TRACE_ORDER',
        /arrival 1: time 1 s comes before 2 s/,
      ],
    ];
    for (const [run, code, pattern] of cases) {
      let error: unknown;
      try {
        run();
      } catch (caught) {
        error = caught;
      }
      expect(isMbsError(error, code as never), String(pattern)).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    }
  });
});
