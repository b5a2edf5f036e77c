// The baseline, in its own process like the server: the same open-loop requests submitted to the
// batcher directly (same configuration and function), driven from this process's event loop.
import { createBatcher, createFunctionProvider } from '@mbs/batcher';
import { serveRuns } from './bench-process.js';
import { BENCH_CONFIGURATION, benchFunction } from './bench-setup.js';
import { epochMs, openLoop, sizeOf } from './open-loop.js';

serveRuns(async ({ rate, seconds, detail }) => {
  const batcherLatencyMs = new Map<string, number>();
  const batcher = createBatcher({
    config: BENCH_CONFIGURATION,
    provider: createFunctionProvider(benchFunction),
    limits: { maxPendingPerBuffer: 100_000 },
    onRequestRecord: (record) => {
      batcherLatencyMs.set(record.requestId, record.latencySeconds * 1000);
    },
  });
  const latencyMs: number[] = [];
  const batcherMs: number[] = [];
  const ids: string[] = [];
  const sentEpochMs: number[] = [];
  const endEpochMs: number[] = [];
  let failed = 0;
  const { sent, achievedRate } = await openLoop(rate, seconds, (index, done) => {
    const id = `d${index}`;
    const started = epochMs();
    batcher.submit({ id, size: sizeOf(index), input: index }).then(
      () => {
        const ended = epochMs();
        latencyMs.push(ended - started);
        batcherMs.push(batcherLatencyMs.get(id)!);
        batcherLatencyMs.delete(id);
        if (detail) {
          ids.push(id);
          sentEpochMs.push(started);
          endEpochMs.push(ended);
        }
        done();
      },
      () => {
        failed++;
        done();
      },
    );
  });
  await batcher.close();
  return {
    sent,
    achievedRate,
    failed,
    latencyMs,
    batcherMs,
    ...(detail ? { ids, sentEpochMs, endEpochMs } : {}),
  };
});
