// Benchmarks of the batching runtime: submit throughput against a no-op provider (baseline:
// the same number of bare promises created and resolved), and dispatch lateness of timed-out
// batches with real timers at 5,000 requests per second (goal: p99 <= 2 ms).
import type { BatchRecord, Provider } from '@mbs/core';
import { createRandom } from '@mbs/core';
import { measure, printBenchTable } from '@mbs/test-utils';
import type { BatcherClock } from '../src/index.js';
import { createBatcher, createSystemClock } from '../src/index.js';

const noOpProvider: Provider = {
  specificationVersion: 'v1',
  name: 'no-op',
  invoke: async (functionName, event) => ({
    results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })),
    record: {
      requestId: 'inv',
      functionName,
      durationMs: 1,
      billedDurationMs: 1,
      memorySizeMb: 1024,
      maxMemoryUsedMb: 1,
    },
  }),
};

const config = (batchSize: number, timeoutSeconds: number, buffers = 1) => ({
  classUpperEdges: Array.from({ length: buffers }, (_, index) => (index + 1) * 100),
  system: {
    buffers: Array.from({ length: buffers }, (_, index) => ({
      firstClass: index,
      lastClass: index,
      firstClassShare: 1,
      lastClassShare: 1,
      batchSize,
      timeoutSeconds,
      memoryMb: 1024,
    })),
  },
});

const REQUESTS = 100_000;

async function submitAll(batchSize: number, withRecords: boolean): Promise<void> {
  const batcher = createBatcher({
    config: config(batchSize, 1),
    provider: noOpProvider,
    limits: {
      maxPendingPerBuffer: Number.POSITIVE_INFINITY,
      maxInFlightTotal: Number.POSITIVE_INFINITY,
    },
    ...(withRecords ? { onRequestRecord: () => {}, onBatchRecord: () => {} } : {}),
  });
  const promises = new Array<Promise<unknown>>(REQUESTS);
  for (let index = 0; index < REQUESTS; index++) {
    promises[index] = batcher.submit({ size: 50, input: index });
  }
  await batcher.close();
  await Promise.all(promises);
}

async function barePromises(): Promise<void> {
  const promises = new Array<Promise<unknown>>(REQUESTS);
  const resolvers = new Array<(value: unknown) => void>(REQUESTS);
  for (let index = 0; index < REQUESTS; index++) {
    promises[index] = new Promise((resolve) => {
      resolvers[index] = resolve;
    });
  }
  for (let index = 0; index < REQUESTS; index++) resolvers[index]!(index);
  await Promise.all(promises);
}

// Untimed passes first, so the cases below all run JIT-compiled batcher code.
await submitAll(64, true);
await submitAll(1, false);
const options = { warmup: 2, runs: 10, unitsPerRun: REQUESTS };
printBenchTable(`submit throughput, ${REQUESTS} requests, no-op provider (units = requests)`, [
  await measure('bare promises (baseline)', barePromises, options),
  await measure('batcher B=64', () => submitAll(64, false), options),
  await measure('batcher B=64 + record callbacks', () => submitAll(64, true), options),
  await measure('batcher B=1 (one invocation each)', () => submitAll(1, false), options),
]);

/** A clock on plain setTimeout, without the final sub-millisecond poll: the naive baseline. */
function naiveClock(): BatcherClock {
  const system = createSystemClock();
  return {
    now: system.now,
    setTimer: (atSeconds, callback) =>
      setTimeout(callback, Math.max(0, (atSeconds - system.now()) * 1000)),
    clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  };
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;

/** Poisson arrivals at `rate` per second for `seconds`, submitted from a 1 ms pacing loop. */
async function lateness(
  label: string,
  clock: BatcherClock | undefined,
  rate: number,
  seconds: number,
) {
  const timeoutSeconds = 0.01;
  const batches: BatchRecord[] = [];
  const buffers = 4;
  const batcher = createBatcher({
    config: config(32, timeoutSeconds, buffers),
    provider: noOpProvider,
    ...(clock === undefined ? {} : { clock }),
    onBatchRecord: (record) => batches.push(record),
  });
  const seeded = createRandom(1);
  const random = () => seeded.next();
  const system = createSystemClock();
  const start = system.now();
  let next = start;
  let submitted = 0;
  const pending: Promise<unknown>[] = [];
  // CPU of the whole process while submitting: the timers' polling shows up here.
  const cpuBefore = process.cpuUsage();
  await new Promise<void>((done) => {
    const pace = () => {
      const now = system.now();
      while (next <= now && next < start + seconds) {
        pending.push(
          batcher.submit({ size: 1 + Math.floor(random() * buffers * 100), input: submitted }),
        );
        submitted++;
        next += -Math.log(1 - random()) / rate;
      }
      if (next >= start + seconds) done();
      else setTimeout(pace, 1);
    };
    pace();
  });
  const cpu = process.cpuUsage(cpuBefore);
  const cpuShare = (cpu.user + cpu.system) / 1e6 / (system.now() - start);
  await batcher.close();
  await Promise.all(pending);
  const timedOut = batches.filter((batch) => batch.reason === 'timeout');
  const lateMs = timedOut
    .map((batch) => (batch.dispatchedSeconds - batch.openedSeconds - timeoutSeconds) * 1000)
    .sort((a, b) => a - b);
  return {
    label,
    requests: submitted,
    rate: submitted / (system.now() - start),
    batches: batches.length,
    timedOut: timedOut.length,
    p50: quantile(lateMs, 0.5),
    p99: quantile(lateMs, 0.99),
    max: lateMs[lateMs.length - 1] ?? Number.NaN,
    min: lateMs[0] ?? Number.NaN,
    cpuShare,
  };
}

const rows = [
  await lateness('system clock (setTimeout + sub-ms poll)', undefined, 5000, 10),
  await lateness('naive setTimeout clock (baseline)', naiveClock(), 5000, 10),
];
console.log(
  '\ndispatch lateness of timed-out batches (dispatched - opened - T), 4 buffers, B=32, T=10 ms',
);
console.log(
  'clock                                      requests  req/s   batches  timed out  min ms  p50 ms  p99 ms  max ms  cpu %',
);
for (const row of rows) {
  console.log(
    [
      row.label.padEnd(42),
      String(row.requests).padStart(8),
      row.rate.toFixed(0).padStart(6),
      String(row.batches).padStart(8),
      String(row.timedOut).padStart(10),
      row.min.toFixed(3).padStart(7),
      row.p50.toFixed(3).padStart(7),
      row.p99.toFixed(3).padStart(7),
      row.max.toFixed(3).padStart(7),
      (row.cpuShare * 100).toFixed(0).padStart(6),
    ].join(' '),
  );
}
