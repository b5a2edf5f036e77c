import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { isMbsError, type MbsError } from '@mbs/core';
import { billedInvocationCostUsd, collectInvocationRecords, summarizeRun } from '@mbs/logs';
import { createLambdaLikePricing, testProvider } from '@mbs/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsLambdaProvider, createAwsLambdaProvider } from './create-aws-lambda-provider.js';
import {
  ECHO_SOURCE,
  FAILING_SOURCE,
  startTestEmulator,
  TEST_CREDENTIALS,
  TEST_ROLE_ARN,
  zipOf,
} from './testing/emulator.js';

const PARTIAL_SOURCE = `exports.handler = async (event) => ({
  results: event.requests.slice(1).map((request) => ({ id: request.id, ok: false, error: { code: 'EVENT_INVALID', message: 'bad tensor' } })),
});
`;

function providerFor(
  url: string,
  extra: Parameters<typeof createAwsLambdaProvider>[0] = {},
): AwsLambdaProvider {
  return createAwsLambdaProvider({
    endpoint: url,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    roleArn: TEST_ROLE_ARN,
    deploymentPollMs: 20,
    ...extra,
  });
}

async function rejection(promise: Promise<unknown>): Promise<MbsError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as MbsError,
  );
}

testProvider('aws-lambda over HTTP against the local emulator', async () => {
  const server = await startTestEmulator();
  const provider = providerFor(server.url);
  await provider.deployFunction({
    functionName: 'contract-echo',
    memoryMb: 512,
    timeoutSeconds: 10,
    zipFile: zipOf(ECHO_SOURCE),
  });
  await provider.deployFunction({
    functionName: 'contract-fail',
    memoryMb: 256,
    timeoutSeconds: 10,
    zipFile: zipOf(FAILING_SOURCE),
  });
  return {
    provider,
    echoFunctionName: 'contract-echo',
    failingFunctionName: 'contract-fail',
    teardown: () => server.close(),
  };
});

describe('aws-lambda provider against the emulator', () => {
  let server: Awaited<ReturnType<typeof startTestEmulator>>;
  let provider: AwsLambdaProvider;
  beforeAll(async () => {
    server = await startTestEmulator();
    provider = providerFor(server.url);
    await provider.deployFunction({
      functionName: 'echo',
      memoryMb: 1024,
      timeoutSeconds: 10,
      zipFile: zipOf(ECHO_SOURCE),
    });
  });
  afterAll(async () => {
    await provider.dispose();
    await server.close();
  });

  it('reads cold and warm REPORT lines from the log tail, as the logs hold them', async () => {
    const startMs = Date.now() - 1000;
    const cold = await provider.invoke('echo', {
      batchId: 'b1',
      requests: [{ id: 'r1', input: [1, 2] }],
    });
    const warm = await provider.invoke('echo', {
      batchId: 'b2',
      requests: [{ id: 'r2', input: 'x' }],
    });
    expect(cold.record.initDurationMs).toBeGreaterThan(0);
    // Since August 2025 the init phase is billed: Billed = ceil(Duration + Init Duration).
    expect(cold.record.billedDurationMs).toBe(
      Math.ceil(cold.record.durationMs + cold.record.initDurationMs! - 1e-9),
    );
    expect(warm.record.initDurationMs).toBeUndefined();
    expect(warm.record.memorySizeMb).toBe(1024);
    expect(warm.record.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const logged = await provider.readLogs({
      functionName: 'echo',
      startMs,
      endMs: Date.now() + 1000,
    });
    const byId = new Map(logged.map((record) => [record.requestId, record]));
    for (const { record } of [cold, warm]) {
      expect(byId.get(record.requestId)).toMatchObject(record);
    }
  });

  it('bills the same from the log tails as from CloudWatch Logs, within 0.1 %', async () => {
    const pricing = createLambdaLikePricing({ billsInitPhase: false });
    await provider.deployFunction({
      functionName: 'billing',
      memoryMb: 1769,
      timeoutSeconds: 10,
      zipFile: zipOf(ECHO_SOURCE),
    });
    const startMs = Date.now() - 1000;
    const batches = [];
    const requests = [];
    for (let index = 0; index < 12; index++) {
      const items = Array.from({ length: 1 + (index % 4) }, (_, item) => ({
        id: `r${index}-${item}`,
        input: item,
      }));
      const { record } = await provider.invoke('billing', {
        batchId: `b${index}`,
        requests: items,
      });
      batches.push({
        batchId: `b${index}`,
        buffer: 0,
        openedSeconds: index,
        dispatchedSeconds: index,
        endedSeconds: index + 0.01,
        size: items.length,
        largestClass: 0,
        paddingShare: 0,
        durationMs: record.durationMs,
        billedDurationMs: record.billedDurationMs,
        memoryMb: record.memorySizeMb,
        cold: record.initDurationMs !== undefined,
        costUsd: billedInvocationCostUsd(record, pricing),
        reason: 'full' as const,
        invocationId: record.requestId,
      });
      for (const item of items) {
        requests.push({
          requestId: item.id,
          buffer: 0,
          classId: 0,
          size: 1,
          arrivalSeconds: index,
          dispatchSeconds: index,
          completionSeconds: index + 0.01,
          waitSeconds: 0,
          latencySeconds: 0.01,
          batchId: `b${index}`,
          batchSize: items.length,
        });
      }
    }
    const logsClient = new CloudWatchLogsClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    const { invocations } = await collectInvocationRecords({
      client: logsClient,
      functionNames: ['billing'],
      startMs,
      endMs: Date.now() + 1000,
    });
    logsClient.destroy();
    const summary = summarizeRun({ invocations, batches, requests, pricing });
    expect(summary.join).toEqual({
      matched: 12,
      unmatchedInvocations: 0,
      unmatchedBatches: 0,
      unmatchedRequests: 0,
    });
    expect(summary.cost.withinTolerance).toBe(true);
    expect(summary.cost.fromBilledDurationsUsd).toBeCloseTo(summary.cost.fromBatchRecordsUsd, 15);
    expect(summary.invocations.coldStarts).toBe(1);
  });

  it('fails the requests a handler did not answer and keeps per-item errors', async () => {
    await provider.deployFunction({
      functionName: 'partial',
      memoryMb: 256,
      timeoutSeconds: 10,
      zipFile: zipOf(PARTIAL_SOURCE),
    });
    const { results, record } = await provider.invoke('partial', {
      requests: [
        { id: 'a', input: 1 },
        { id: 'b', input: 2 },
      ],
    });
    expect(record.error).toBeUndefined();
    expect(results).toEqual([
      {
        id: 'a',
        ok: false,
        error: { code: 'FUNCTION_ERROR', message: 'the handler returned no result for "a"' },
      },
      { id: 'b', ok: false, error: { code: 'EVENT_INVALID', message: 'bad tensor' } },
    ]);
  });

  it('maps reserved concurrency 0 to THROTTLED at once with maxAttempts 1', async () => {
    await provider.deployFunction({
      functionName: 'blocked',
      memoryMb: 256,
      timeoutSeconds: 10,
      zipFile: zipOf(ECHO_SOURCE),
    });
    await provider.client.send(
      new PutFunctionConcurrencyCommand({
        FunctionName: 'blocked',
        ReservedConcurrentExecutions: 0,
      }),
    );
    const once = providerFor(server.url, { maxAttempts: 1 });
    const started = performance.now();
    const error = await rejection(once.invoke('blocked', { requests: [{ id: 'a', input: 1 }] }));
    expect(performance.now() - started).toBeLessThan(500);
    expect(isMbsError(error, 'THROTTLED')).toBe(true);
    expect(error.details).toMatchObject({
      retryable: true,
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      attempts: 1,
      functionName: 'blocked',
    });
    await once.dispose();
  });

  it('refuses a payload over 6 MB as not retryable', async () => {
    const big = 'x'.repeat(6_300_000);
    const error = await rejection(provider.invoke('echo', { requests: [{ id: 'a', input: big }] }));
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect(error.details).toMatchObject({ retryable: false, httpStatusCode: 413 });
    expect(error.details.payloadBytes).toBeGreaterThan(6_291_456);
  });

  it('updates memory and timeout, and leaves an unchanged function alone', async () => {
    const zipFile = zipOf(ECHO_SOURCE);
    await provider.deployFunction({
      functionName: 'resized',
      memoryMb: 512,
      timeoutSeconds: 5,
      zipFile,
    });
    expect(
      await provider.applyFunction({
        functionName: 'resized',
        memoryMb: 512,
        timeoutSeconds: 5,
        zipFile,
      }),
    ).toEqual({
      functionName: 'resized',
      action: 'unchanged',
      changes: [],
    });
    const change = await provider.applyFunction({
      functionName: 'resized',
      memoryMb: 2048,
      timeoutSeconds: 5,
      zipFile: zipOf(`${ECHO_SOURCE}\n// v2\n`),
    });
    expect(change.changes).toEqual(['memoryMb 512 -> 2048', 'code']);
    expect((await provider.invoke('resized', { requests: [] })).record.memorySizeMb).toBe(2048);
    await provider.configureFunction('resized', { timeoutSeconds: 30, memoryMb: 1769 });
    expect(await provider.readFunction('resized')).toMatchObject({
      memoryMb: 1769,
      timeoutSeconds: 30,
      state: 'Active',
      lastUpdateStatus: 'Successful',
    });
    expect(await provider.readFunction('no-such-function')).toBeUndefined();
  });

  it('needs a zip and a role to create a function', async () => {
    const withoutRole = createAwsLambdaProvider({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: TEST_CREDENTIALS,
    });
    await expect(
      withoutRole.deployFunction({
        functionName: 'x',
        memoryMb: 128,
        timeoutSeconds: 3,
        zipFile: zipOf(ECHO_SOURCE),
      }),
    ).rejects.toThrow(/pass roleArn/);
    await expect(
      provider.deployFunction({ functionName: 'x', memoryMb: 128, timeoutSeconds: 3 }),
    ).rejects.toThrow(/a zipFile is needed/);
    await withoutRole.dispose();
  });

  it('reports an aborted invocation as not retryable', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(
      provider.invoke('echo', { requests: [] }, { signal: controller.signal }),
    );
    expect(error.details).toMatchObject({ aborted: true, retryable: false });
  });
});

describe('aws-lambda provider on failing transports', () => {
  it('treats 5xx as retryable after the SDK retries', async () => {
    let requests = 0;
    const failing = createServer((request, response) => {
      requests += 1;
      request.resume();
      response.writeHead(502, {
        'content-type': 'application/json',
        'x-amzn-ErrorType': 'ServiceException',
      });
      response.end('{"Type":"Service","message":"bad gateway"}');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    const { port } = failing.address() as AddressInfo;
    const provider = providerFor(`http://127.0.0.1:${port}`, { maxAttempts: 2 });
    const error = await rejection(provider.invoke('echo', { requests: [] }));
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect(error.details).toMatchObject({ retryable: true, httpStatusCode: 502 });
    expect(requests).toBe(2);
    await provider.dispose();
    await new Promise((resolve) => failing.close(resolve));
  });

  it('treats a refused connection as retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const provider = providerFor(`http://127.0.0.1:${port}`, { maxAttempts: 1 });
    const error = await rejection(provider.invoke('echo', { requests: [] }));
    expect(isMbsError(error, 'PROVIDER_ERROR')).toBe(true);
    expect(error.details.retryable).toBe(true);
    expect(error.message).toContain('transport failure');
    await provider.dispose();
  });
});
