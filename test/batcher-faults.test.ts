import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createBatcher } from '@mbs/batcher';
import { main } from '@mbs/cli';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { startEmulatorServer } from '@mbs/lambda-emulator';
import { readJsonLines } from '@mbs/logs';
import { createLocalProvider } from '@mbs/provider-local';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployAndRun, writeSizedTrace } from './support/deploy-and-run.js';
import { storedZip } from './support/stored-zip.js';

// The batcher against the emulator's injected faults (throttling, function errors, instance
// crashes, extra latency): whatever the mix, every submitted request settles exactly once, as a
// result or an explicit error, and is recorded exactly once.

/** Answers each request with its own input after a short sleep. */
const ECHO_ZIP = storedZip({
  'index.js': `exports.handler = async (event) => {
  await new Promise((resolve) => setTimeout(resolve, 2));
  return { results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })) };
};
`,
});

const CLASS_UPPER_EDGES = [100, 1000];
const FUNCTION_NAMES = ['faults-b0', 'faults-b1'];
/** The only ways a request may fail here. */
const FAILURE_CODES = new Set(['THROTTLED', 'FUNCTION_ERROR', 'PROVIDER_ERROR']);

const faultMix = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  throttleRate: fc.double({ min: 0, max: 0.6, noNaN: true }),
  errorRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
  crashRate: fc.double({ min: 0, max: 0.2, noNaN: true }),
  extraLatencyMs: fc.integer({ min: 0, max: 20 }),
  latencyRate: fc.double({ min: 0, max: 1, noNaN: true }),
});

const scenario = fc.record({
  faults: faultMix,
  batchSize: fc.integer({ min: 1, max: 6 }),
  timeoutMs: fc.integer({ min: 1, max: 15 }),
  requests: fc.array(
    fc.record({ size: fc.integer({ min: 1, max: 1000 }), gapMs: fc.constantFrom(0, 0, 0, 1, 3) }),
    { minLength: 1, maxLength: 40 },
  ),
});

describe('batcher against the emulator with injected faults', () => {
  it('settles and records every request exactly once, whatever the fault mix', async () => {
    // Codes and retries seen over all runs, to check the faults were really injected.
    const codesSeen = new Set<string>();
    let retriesSeen = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ faults, batchSize, timeoutMs, requests }) => {
        const provider = createLocalProvider({ faults, isolation: 'thread', cpuScaling: false });
        try {
          for (const functionName of FUNCTION_NAMES) {
            await provider.deployFunction({
              functionName,
              memoryMb: 256,
              timeoutSeconds: 5,
              zipFile: ECHO_ZIP,
            });
          }
          const requestRecords: RequestRecord[] = [];
          const batchRecords: BatchRecord[] = [];
          const buffer = (classId: number) => ({
            firstClass: classId,
            lastClass: classId,
            firstClassShare: 1,
            lastClassShare: 1,
            batchSize,
            timeoutSeconds: timeoutMs / 1000,
            memoryMb: 256,
          });
          const batcher = createBatcher({
            config: {
              classUpperEdges: CLASS_UPPER_EDGES,
              system: { buffers: [buffer(0), buffer(1)] },
            },
            provider,
            functionNames: FUNCTION_NAMES,
            seed: faults.seed,
            retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
            onRequestRecord: (record) => requestRecords.push(record),
            onBatchRecord: (record) => batchRecords.push(record),
          });
          const settlements = new Map<string, number>();
          let resolved = 0;
          let rejected = 0;
          const settled: Promise<void>[] = [];
          for (const [index, request] of requests.entries()) {
            const id = `q${index}`;
            settlements.set(id, 0);
            const count = () => settlements.set(id, settlements.get(id)! + 1);
            settled.push(
              batcher.submit({ id, size: request.size, input: { id } }).then(
                (output) => {
                  // A result must be this request's own: no answer goes to another request.
                  expect(output).toEqual({ id });
                  resolved++;
                  count();
                },
                (error: unknown) => {
                  expect(isMbsError(error)).toBe(true);
                  expect(FAILURE_CODES).toContain((error as { code: string }).code);
                  codesSeen.add((error as { code: string }).code);
                  rejected++;
                  count();
                },
              ),
            );
            if (request.gapMs > 0) await sleep(request.gapMs);
          }
          await batcher.close();
          await Promise.all(settled);

          expect(resolved + rejected).toBe(requests.length);
          expect([...settlements.values()].every((times) => times === 1)).toBe(true);
          const stats = batcher.stats();
          retriesSeen += stats.retries;
          expect(stats).toMatchObject({
            submitted: requests.length,
            resolved,
            rejected,
            pending: 0,
            inFlightRequests: 0,
            doubleSettlements: 0,
          });
          expect(requestRecords).toHaveLength(requests.length);
          expect(new Set(requestRecords.map((record) => record.requestId)).size).toBe(
            requests.length,
          );
          expect(requestRecords.filter((record) => record.error !== undefined)).toHaveLength(
            rejected,
          );
          expect(batchRecords.reduce((sum, batch) => sum + batch.size, 0)).toBe(requests.length);
        } finally {
          await provider.dispose();
        }
      }),
      {
        numRuns: 12,
        examples: [
          [
            {
              faults: {
                seed: 7,
                throttleRate: 0.5,
                errorRate: 0.2,
                crashRate: 0.2,
                extraLatencyMs: 10,
                latencyRate: 0.5,
              },
              batchSize: 3,
              timeoutMs: 5,
              requests: Array.from({ length: 24 }, (_, index) => ({
                size: index % 2 === 0 ? 50 : 500,
                gapMs: index % 4 === 0 ? 1 : 0,
              })),
            },
          ],
        ],
      },
    );
    expect(codesSeen).toContain('THROTTLED');
    expect(codesSeen).toContain('FUNCTION_ERROR');
    expect(retriesSeen).toBeGreaterThan(0);
  });
});

describe('mbs run against the emulator server with injected faults', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mbs-faults-'));
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('counts every request as resolved or rejected by code, and records each once', async () => {
    const server = await startEmulatorServer({
      port: 0,
      host: '127.0.0.1',
      cpuScaling: false,
      faults: {
        seed: 3,
        throttleRate: 0.3,
        errorRate: 0.15,
        crashRate: 0.1,
        extraLatencyMs: 15,
        latencyRate: 0.3,
      },
    });
    try {
      const configPath = join(directory, 'config.json');
      const zipPath = join(directory, 'echo.zip');
      const tracePath = join(directory, 'trace.csv');
      const runDirectory = join(directory, 'run');
      const buffer = (classId: number) => ({
        firstClass: classId,
        lastClass: classId,
        firstClassShare: 1,
        lastClassShare: 1,
        batchSize: 4,
        timeoutSeconds: 0.01,
        memoryMb: 512,
      });
      await writeFile(
        configPath,
        JSON.stringify({
          schema: 'mbs.configuration',
          version: 1,
          classUpperEdges: CLASS_UPPER_EDGES,
          pricing: 'aws-x86',
          windows: [
            { startSeconds: 0, endSeconds: 60, system: { buffers: [buffer(0), buffer(1)] } },
          ],
        }),
      );
      await writeFile(zipPath, ECHO_ZIP);
      const arrivals = 120;
      await writeSizedTrace(tracePath, arrivals, 0.01, (index) => (index * 37) % 1000);
      const local = ['--provider', 'local', '--endpoint', server.url, '--prefix', 'faults'];

      // Deployment goes through the same faulty server; its API calls are not invocations.
      const { deployed, ran } = await deployAndRun(main, {
        configPath,
        zipPath,
        tracePath,
        runDirectory,
        connection: local,
        // Failed requests are expected here; without --max-failed the run would exit 1.
        runFlags: ['--speed', '4', '--max-failed', '1'],
      });
      expect(deployed.code, deployed.err).toBe(0);
      expect(ran.code, ran.err).toBe(0);
      const run = JSON.parse(await readFile(join(runDirectory, 'run.json'), 'utf8'));
      const counts = run.counts as {
        submitted: number;
        resolved: number;
        rejected: number;
        rejectedByCode: Record<string, number>;
        requestRecords: number;
        doubleSettlements: number;
      };
      expect(counts.submitted).toBe(arrivals);
      expect(counts.resolved + counts.rejected).toBe(arrivals);
      expect(Object.values(counts.rejectedByCode).reduce((sum, n) => sum + n, 0)).toBe(
        counts.rejected,
      );
      for (const code of Object.keys(counts.rejectedByCode)) expect(FAILURE_CODES).toContain(code);
      // With these rates some requests fail and many get through. How batches form depends on
      // timing (a loaded machine fills more batches of 4, and a failed invocation fails all four),
      // so the bound is loose: a quarter, where about three quarters is typical.
      expect(counts.rejected).toBeGreaterThan(0);
      expect(counts.resolved).toBeGreaterThan(arrivals / 4);
      expect(counts.doubleSettlements).toBe(0);
      const requests = await readJsonLines<RequestRecord>(join(runDirectory, 'requests.jsonl'));
      expect(requests).toHaveLength(arrivals);
      expect(new Set(requests.map((request) => request.requestId)).size).toBe(arrivals);
      expect(requests.filter((request) => request.error !== undefined)).toHaveLength(
        counts.rejected,
      );
    } finally {
      await server.close();
    }
  });
});
