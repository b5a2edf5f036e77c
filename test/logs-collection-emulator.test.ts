import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { InvocationRecord } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import { type EmulatorServer, startEmulatorServer } from '@mbs/lambda-emulator';
import { type CollectionProgress, collectInvocationRecords } from '@mbs/logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storedZip } from './support/stored-zip.js';

const CREDENTIALS = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' };
const ECHO = `exports.handler = async (event) => {
  console.log('batch of', event.requests.length);
  return { results: event.requests.map((request) => ({ id: request.id, ok: true, output: request.input })) };
};`;
const FAILING = `exports.handler = async () => { throw new RangeError('class out of range'); };`;
const SLOW = `exports.handler = () => new Promise((resolve) => setTimeout(resolve, 5000));`;

const encoder = new TextEncoder();
const ECHO_INVOCATIONS = 40;

/** A proxy that answers the first `throttled` calls with ThrottlingException, then forwards. */
async function startThrottlingProxy(
  target: string,
  throttled: number,
): Promise<{ url: string; calls: () => number; server: Server }> {
  let calls = 0;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    calls += 1;
    if (calls <= throttled) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    const headers = new Headers();
    for (const name of ['content-type', 'x-amz-target', 'authorization']) {
      const value = request.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const forwarded = await fetch(`${target}${request.url ?? '/'}`, {
      method: request.method ?? 'POST',
      headers,
      body: Buffer.concat(chunks),
    });
    response.writeHead(forwarded.status, {
      'content-type': forwarded.headers.get('content-type') ?? 'application/x-amz-json-1.1',
    });
    response.end(Buffer.from(await forwarded.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, calls: () => calls, server };
}

describe('collectInvocationRecords against the emulator over HTTP', () => {
  let emulator: EmulatorServer;
  let startMs: number;
  let endMs: number;
  const expected = new Map<string, InvocationRecord>();
  let failedIds: string[] = [];
  let timedOutId = '';

  beforeAll(async () => {
    emulator = await startEmulatorServer({ port: 0 });
    startMs = Date.now() - 1000;
    const create = (functionName: string, source: string, timeoutSeconds: number) =>
      emulator.emulator.createFunction({
        functionName,
        code: { zipFile: storedZip({ 'index.js': source }) },
        handler: 'index.handler',
        runtime: 'nodejs22.x',
        memoryMb: 512,
        timeoutSeconds,
      });
    create('collect-echo', ECHO, 5);
    create('collect-fail', FAILING, 5);
    create('collect-slow', SLOW, 1);
    for (let index = 0; index < ECHO_INVOCATIONS; index++) {
      const payload = encoder.encode(
        JSON.stringify({ requests: [{ id: `r${index}`, input: index }] }),
      );
      const outcome = await emulator.emulator.invoke('collect-echo', payload);
      expected.set(outcome.requestId, outcome.record!);
    }
    const failures = await Promise.all(
      [0, 1].map(() => emulator.emulator.invoke('collect-fail', encoder.encode('{"requests":[]}'))),
    );
    failedIds = failures.map((outcome) => outcome.requestId);
    timedOutId = (await emulator.emulator.invoke('collect-slow', encoder.encode('{"requests":[]}')))
      .requestId;
    endMs = Date.now() + 1000;
  }, 20_000);
  afterAll(async () => {
    await emulator.close();
  });

  it('reads every invocation across many pages with the real SDK', async () => {
    const progress: CollectionProgress[] = [];
    const collection = await collectInvocationRecords({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      functionNames: ['collect-echo'],
      startMs,
      endMs,
      pageSize: 16,
      onProgress: (update) => progress.push(update),
    });
    const [summary] = collection.functions;
    // START, INFO, END and REPORT per invocation: 160 events, so at least 10 pages of 16.
    expect(summary!.events).toBeGreaterThanOrEqual(4 * ECHO_INVOCATIONS);
    expect(summary!.pages).toBeGreaterThanOrEqual(Math.ceil(summary!.events / 16));
    expect(progress).toHaveLength(summary!.pages);
    expect(progress.at(-1)!.events).toBe(summary!.events);
    expect(collection.invocations).toHaveLength(ECHO_INVOCATIONS);
    expect(collection.lineCounts.unknown).toBe(0);
    for (const invocation of collection.invocations) {
      expect(invocation).toMatchObject(expected.get(invocation.requestId)!);
      expect(invocation.startMs).toBeGreaterThanOrEqual(startMs);
      expect(invocation.startMs).toBeLessThanOrEqual(invocation.reportMs);
    }
    expect(
      collection.invocations.filter((invocation) => invocation.initDurationMs !== undefined),
    ).toHaveLength(1);
  });

  it('reports function errors, timeouts and log groups that do not exist', async () => {
    const collection = await collectInvocationRecords({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      functionNames: ['collect-fail', 'collect-slow', 'collect-never-created'],
      startMs,
      endMs,
    });
    const byId = new Map(
      collection.invocations.map((invocation) => [invocation.requestId, invocation]),
    );
    for (const id of failedIds) {
      expect(byId.get(id)?.error).toEqual({ type: 'RangeError', message: 'class out of range' });
      expect(byId.get(id)?.timedOut).toBe(false);
    }
    const timedOut = byId.get(timedOutId);
    expect(timedOut?.timedOut).toBe(true);
    expect(timedOut?.error?.type).toBe('Sandbox.Timedout');
    expect(timedOut?.durationMs).toBeGreaterThanOrEqual(1000);
    expect(collection.functions.map((summary) => summary.logGroupFound)).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('backs off and retries throttled pages, then gives up with THROTTLED', async () => {
    const proxy = await startThrottlingProxy(emulator.url, 3);
    const client = new CloudWatchLogsClient({
      endpoint: proxy.url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    const collection = await collectInvocationRecords({
      client,
      functionNames: ['collect-echo'],
      startMs,
      endMs,
      backoffBaseMs: 1,
      backoffCapMs: 4,
    });
    expect(collection.throttledRetries).toBe(3);
    expect(collection.invocations).toHaveLength(ECHO_INVOCATIONS);
    const always = await startThrottlingProxy(emulator.url, Number.POSITIVE_INFINITY);
    const throttledClient = new CloudWatchLogsClient({
      endpoint: always.url,
      region: 'us-east-1',
      credentials: CREDENTIALS,
      maxAttempts: 1,
    });
    const error = await collectInvocationRecords({
      client: throttledClient,
      functionNames: ['collect-echo'],
      startMs,
      endMs,
      maxThrottleRetries: 2,
      backoffBaseMs: 1,
    }).catch((caught: unknown) => caught);
    expect(isMbsError(error, 'THROTTLED')).toBe(true);
    expect(always.calls()).toBe(3);
    client.destroy();
    throttledClient.destroy();
    await new Promise((resolve) => proxy.server.close(resolve));
    await new Promise((resolve) => always.server.close(resolve));
  });
});
