import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchRecord, InvocationRecord, RequestRecord } from '@mbs/core';
import { writeRunDirectory } from '@mbs/logs';
import { captureIo } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT_OK } from '../exit-codes.js';
import { main } from '../main.js';

/** One buffer over two classes, solved (as mbs solve records it) for Poisson arrivals at 1 req/s. */
const configuration = {
  schema: 'mbs.configuration',
  version: 1,
  classUpperEdges: [100, 1000],
  classRepresentativeSizes: [100, 1000],
  pricing: 'aws-x86',
  profile: 'parametric',
  profileSource: { kind: 'plugin' },
  windows: [
    {
      startSeconds: 0,
      endSeconds: 60,
      system: {
        buffers: [
          { firstClass: 0, lastClass: 1, batchSize: 4, timeoutSeconds: 0.5, memoryMb: 1024 },
        ],
      },
      workload: { map: { d0: [[-1]], d1: [[1]] }, classShares: [0.5, 0.5] },
    },
  ],
};

/** 21 requests 0.5 s apart (2 req/s offered), in batches of up to four, each invoked once. */
function servedRecords() {
  const requests: RequestRecord[] = [];
  const batches: BatchRecord[] = [];
  const invocations: InvocationRecord[] = [];
  for (let index = 0; index < 21; index++) {
    const batch = Math.floor(index / 4);
    const arrivalSeconds = 3 + index * 0.5;
    requests.push({
      requestId: `r${index}`,
      buffer: 0,
      classId: index % 2,
      size: 50,
      arrivalSeconds,
      dispatchSeconds: arrivalSeconds,
      completionSeconds: arrivalSeconds + 0.2,
      waitSeconds: 0,
      latencySeconds: 0.2,
      batchId: `b${batch}`,
      batchSize: 4,
    });
  }
  for (let batch = 0; batch <= 5; batch++) {
    batches.push({
      batchId: `b${batch}`,
      buffer: 0,
      openedSeconds: 0,
      dispatchedSeconds: 0,
      endedSeconds: 0,
      size: batch === 5 ? 1 : 4,
      largestClass: 1,
      paddingShare: 0.5,
      durationMs: 99.5,
      billedDurationMs: 100,
      memoryMb: 1024,
      cold: false,
      costUsd: 0,
      reason: 'full',
      invocationId: `inv-${batch}`,
    });
    invocations.push({
      requestId: `inv-${batch}`,
      functionName: 'mbs-b0',
      durationMs: 99.5,
      billedDurationMs: 100,
      memorySizeMb: 1024,
      maxMemoryUsedMb: 80,
    });
  }
  return { requests, batches, invocations };
}

describe('mbs logs summarize of mbs serve records', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'mbs-served-'));
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('compares with the model at the rate the records offered, and says when the functions cannot be read', async () => {
    const records = join(directory, 'served');
    await writeRunDirectory(records, servedRecords());
    const configPath = join(directory, 'config.json');
    await writeFile(configPath, JSON.stringify(configuration));
    // Nothing listens on port 9 (discard): the deployed functions cannot be read.
    await writeFile(
      join(records, 'serve.json'),
      JSON.stringify({
        schema: 'mbs.serve',
        version: 1,
        url: 'http://127.0.0.1:8080',
        configPath,
        provider: 'local',
        endpoint: 'http://127.0.0.1:9',
        prefix: 'mbs',
        pricing: 'aws-x86',
        startEpochMs: 0,
        endEpochMs: 20_000,
        reloads: 0,
        counts: {},
      }),
    );
    const json = captureIo();
    expect(await main(['logs', 'summarize', records, '--config', configPath, '--json'], json)).toBe(
      EXIT_OK,
    );
    const summary = JSON.parse(json.out());
    expect(summary.predictionBasis.offered).toMatchObject({
      requests: 21,
      spanSeconds: 10,
      ratePerSecond: 2,
      from: 'records',
    });
    expect(summary.predictionBasis.reevaluated.timeScale).toBeCloseTo(2, 9);
    expect(summary.predictionBasis.deploymentProblem).toEqual(expect.any(String));
    const text = captureIo();
    expect(await main(['logs', 'summarize', records, '--config', configPath], text)).toBe(EXIT_OK);
    expect(text.out()).toContain(
      'prediction: window 0 at the offered rate (2.00 req/s: 21 requests over 10.0 s); solved for 1.00 req/s, MAP scaled x2.000',
    );
    expect(text.out()).toContain('warning: the prediction used the profile "parametric"');
    expect(text.out()).toContain('(the deployed functions could not be read: ');
  }, 30_000);
});
