import { createFunctionProvider } from '@mbs/batcher';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createMbsServer, type MbsServer } from './create-server.js';
import {
  configurationOf,
  doublingProvider,
  TWO_BUFFERS,
  throttlingProvider,
} from './testing/server-fixtures.js';

const servers: MbsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});
const serve = (options: Partial<Parameters<typeof createMbsServer>[0]> = {}) => {
  const server = createMbsServer({ config: TWO_BUFFERS, provider: doublingProvider(), ...options });
  servers.push(server);
  return server;
};
const infer = (server: MbsServer, payload: unknown, headers: Record<string, string> = {}) =>
  server.app.inject({ method: 'POST', url: '/v1/infer', payload: payload as object, headers });

describe('POST /v1/infer', () => {
  it("answers with the request's output, class, buffer, batch and timings, and records it", async () => {
    const requests: RequestRecord[] = [];
    const batches: BatchRecord[] = [];
    const server = serve({
      onRequestRecord: (record) => requests.push(record),
      onBatchRecord: (record) => batches.push(record),
    });
    const answers = await Promise.all([
      infer(server, { size: 10, input: 1 }),
      infer(server, { size: 500, input: 2 }),
      infer(server, { size: 20, input: 3 }),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
    const [small, large, other] = answers.map((answer) => answer.json());
    expect(small).toMatchObject({ output: 2, classId: 0, buffer: 0, batchSize: 2 });
    expect(other.batchId).toBe(small.batchId);
    expect(large).toMatchObject({ output: 4, classId: 1, buffer: 1, batchSize: 1 });
    // A batch of two in buffer 0 (B = 4) leaves at its 50 ms timeout.
    expect(small.timings.waitSeconds).toBeGreaterThanOrEqual(0.049);
    expect(small.timings.latencySeconds).toBeGreaterThanOrEqual(small.timings.waitSeconds);
    expect(small.timings.serverSeconds).toBeGreaterThanOrEqual(
      small.timings.latencySeconds - 0.001,
    );
    expect(requests.map((record) => record.requestId).sort()).toEqual(
      [small.id, large.id, other.id].sort(),
    );
    expect(batches).toHaveLength(2);
  });

  it('refuses bodies that are not what the schema says with 400 and a message', async () => {
    const server = serve();
    const cases: [unknown, RegExp][] = [
      [{ input: 1 }, /size/],
      [{ size: -1, input: 1 }, /size/],
      [{ size: '5', input: 1 }, /size/],
      [{ size: 5 }, /input/],
      [{ size: 5, input: 1, extra: true }, /additional/],
      [[1, 2], /object/],
    ];
    for (const [body, message] of cases) {
      const answer = await infer(server, body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.json().error.code).toBe('INVALID_REQUEST');
      expect(answer.json().error.message).toMatch(message);
    }
    const broken = await server.app.inject({
      method: 'POST',
      url: '/v1/infer',
      payload: '{"size": 5, "input":',
      headers: { 'content-type': 'application/json' },
    });
    expect(broken.statusCode).toBe(400);
    const text = await server.app.inject({
      method: 'POST',
      url: '/v1/infer',
      payload: 'size=5',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    const deadline = await infer(server, { size: 5, input: 1 }, { 'x-mbs-deadline-ms': 'soon' });
    expect(deadline.statusCode).toBe(400);
    expect(deadline.json().error.message).toMatch(/x-mbs-deadline-ms/);
    const mismatch = await infer(server, { size: 5, input: 1 }, { 'x-mbs-size': '7' });
    expect(mismatch.statusCode).toBe(400);
    // The server still serves.
    expect((await infer(server, { size: 5, input: 1 })).statusCode).toBe(200);
  });

  it('refuses at once with 413 an input that cannot fit in a full batch under 6 MB', async () => {
    const config = configurationOf(
      [100],
      [{ firstClass: 0, lastClass: 0, batchSize: 25, timeoutSeconds: 0.01, memoryMb: 1024 }],
    );
    const server = serve({ config });
    const large = 'x'.repeat(300_000); // 25 x 300 kB > 6 MB
    const refused = await infer(server, { size: 5, input: large });
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      details: { classId: 0, largestBatchSize: 25 },
    });
    expect(refused.json().error.message).toMatch(/25 requests.*6291456-byte/);
    const fits = await infer(server, { size: 5, input: 'x'.repeat(200_000) });
    expect(fits.statusCode).toBe(200);
    const huge = await infer(server, { size: 5, input: 'x'.repeat(7_000_000) });
    expect(huge.statusCode).toBe(413);
  });

  it('answers 429 with Retry-After beyond the queue bound and the in-flight bound', async () => {
    const server = serve({
      provider: doublingProvider(200),
      limits: { maxQueuedPerBuffer: 2, maxInFlightInvocationsPerBuffer: 1 },
      retryAfterSeconds: 2,
    });
    // Buffer 1 (B = 2): one batch in flight, one queued (2 requests), then full.
    const answers = await Promise.all(
      Array.from({ length: 7 }, (_, index) => infer(server, { size: 500, input: index })),
    );
    const statuses = answers.map((answer) => answer.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429, 429]);
    const refused = answers.find((answer) => answer.statusCode === 429)!;
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.json().error.code).toBe('BACKPRESSURE');

    const bounded = serve({ provider: doublingProvider(100), limits: { maxInFlightRequests: 3 } });
    const many = await Promise.all(
      Array.from({ length: 5 }, (_, index) => infer(bounded, { size: 5, input: index })),
    );
    expect(many.map((answer) => answer.statusCode).sort()).toEqual([200, 200, 200, 429, 429]);
    expect(many.find((answer) => answer.statusCode === 429)!.json().error.message).toMatch(
      /maxInFlightRequests = 3/,
    );
  });

  it('answers 504 when the deadline passes, withdrawing a request whose batch was not sent', async () => {
    const config = configurationOf(
      [100],
      [{ firstClass: 0, lastClass: 0, batchSize: 10, timeoutSeconds: 0.5, memoryMb: 1024 }],
    );
    const server = serve({ config, provider: doublingProvider(300) });
    const waiting = await infer(server, { size: 5, input: 1 }, { 'x-mbs-deadline-ms': '50' });
    expect(waiting.statusCode).toBe(504);
    expect(waiting.json().error.message).toMatch(/withdrawn before its batch was sent/);
    expect(server.counts().cancelled).toBe(1);
    const running = await infer(server, { size: 5, input: 1 }, { 'x-mbs-deadline-ms': '700' });
    expect(running.statusCode).toBe(504);
    expect(running.json().error.message).toMatch(/while its batch ran/);
    const metrics = await server.app.inject({ url: '/metrics' });
    expect(metrics.body).toMatch(/mbs_requests_refused_total\{reason="deadline"\} 2/);
    // Its result, when the batch ends, is dropped: one answer per request, nothing left in flight.
    await server.close();
    expect(server.counts()).toMatchObject({
      answeredByStatus: { '504': 2 },
      inFlightRequests: 0,
      resolved: 1,
      cancelled: 1,
    });
  });

  it('answers 502 when the function fails and 503 when the provider throttles every attempt', async () => {
    const server = serve();
    const failed = await infer(server, { size: 500, input: -1 });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error).toMatchObject({ code: 'FUNCTION_ERROR' });
    expect(failed.json().error.message).toMatch(/negative input/);
    const throttled = serve({
      provider: throttlingProvider,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    });
    const answer = await infer(throttled, { size: 500, input: 1 });
    expect(answer.statusCode).toBe(503);
    expect(answer.json().error).toMatchObject({ code: 'THROTTLED', details: { attempts: 3 } });
    expect(answer.headers['retry-after']).toBe('1');
    const metrics = (await throttled.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/mbs_throttles_total\{function="mbs-b1"\} 3/);
    expect(metrics).toMatch(/mbs_batch_errors_total\{buffer="1",code="THROTTLED"\} 1/);
  });
});

describe('operations', () => {
  it('exposes health, readiness and Prometheus metrics', async () => {
    const server = serve();
    await Promise.all([1, 2, 3, 4].map((input) => infer(server, { size: 5, input })));
    expect((await server.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await server.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const metrics = await server.app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/text\/plain/);
    for (const line of [
      /mbs_request_latency_seconds_count\{buffer="0"\} 4/,
      /mbs_batch_size_bucket\{le="4",buffer="0"\} 1/,
      /mbs_invocations_total\{buffer="0"\} 1/,
      /mbs_http_requests_total\{status="200"\} 4/,
      /mbs_queue_depth\{buffer="0"\} 0/,
      /mbs_in_flight_requests 0/,
      /# TYPE mbs_cost_usd_total counter/,
      /# TYPE mbs_cold_starts_total counter/,
    ]) {
      expect(metrics.body).toMatch(line);
    }
    expect((await server.app.inject({ url: '/nowhere' })).statusCode).toBe(404);
  });

  it('drains on close: open batches leave at once, every request is answered, then it stops', async () => {
    const config = configurationOf(
      [100],
      [{ firstClass: 0, lastClass: 0, batchSize: 100, timeoutSeconds: 30, memoryMb: 1024 }],
    );
    const server = serve({ config, provider: doublingProvider(50) });
    const url = await server.listen();
    const sent = Array.from({ length: 5 }, (_, index) =>
      fetch(`${url}/v1/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ size: 5, input: index }),
      }),
    );
    // Every request reached its buffer: an idle keep-alive connection is closed at once.
    while (server.counts().inFlightRequests < 5)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const started = performance.now();
    await server.close();
    // T is 30 s: the batch left because of the drain, not its timeout.
    expect(performance.now() - started).toBeLessThan(5000);
    const answers = await Promise.all(sent);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(server.counts()).toMatchObject({ resolved: 5, inFlightRequests: 0, draining: true });
  });

  it('withdraws and counts a request whose client disconnects before its batch is sent', async () => {
    const config = configurationOf(
      [100],
      [{ firstClass: 0, lastClass: 0, batchSize: 10, timeoutSeconds: 0.3, memoryMb: 1024 }],
    );
    const batches: BatchRecord[] = [];
    const server = serve({ config, onBatchRecord: (record) => batches.push(record) });
    const url = await server.listen();
    const controller = new AbortController();
    const gone = fetch(`${url}/v1/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ size: 5, input: 1 }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    const stays = fetch(`${url}/v1/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ size: 5, input: 2 }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await gone;
    expect((await stays).status).toBe(200);
    expect(batches.map((batch) => batch.size)).toEqual([1]);
    expect(server.counts().cancelled).toBe(1);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/mbs_client_disconnects_total\{withdrawn="true"\} 1/);
  });

  it('replaces the configuration through the admin endpoint only with the token', async () => {
    const off = serve();
    expect(
      (await off.app.inject({ method: 'PUT', url: '/admin/configuration', payload: {} }))
        .statusCode,
    ).toBe(404);
    const token = 'a-long-enough-test-token';
    const server = serve({ adminToken: token });
    const put = (payload: unknown, authorization?: string) =>
      server.app.inject({
        method: 'PUT',
        url: '/admin/configuration',
        payload: payload as object,
        headers: authorization === undefined ? {} : { authorization },
      });
    expect((await put(TWO_BUFFERS)).statusCode).toBe(401);
    expect((await put(TWO_BUFFERS, 'Bearer wrong-token-of-some-length')).statusCode).toBe(401);
    const bad = await put({ schema: 'mbs.configuration' }, `Bearer ${token}`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/version|classUpperEdges|windows/);
    const single = configurationOf(
      [100, 1000],
      [{ firstClass: 0, lastClass: 1, batchSize: 1, timeoutSeconds: 0.01, memoryMb: 512 }],
    );
    expect((await put(single, `Bearer ${token}`)).statusCode).toBe(200);
    const answer = (await infer(server, { size: 500, input: 1 })).json();
    expect(answer).toMatchObject({ buffer: 0, classId: 1, batchSize: 1 });
    expect(() =>
      createMbsServer({ config: TWO_BUFFERS, provider: doublingProvider(), adminToken: 'short' }),
    ).toThrow(/adminToken/);
  });

  it('serves only its own buffers when given a subset, and tells a balancer its size ranges', async () => {
    const server = serve({ ownedBuffers: [1] });
    const routes = (await server.app.inject({ url: '/v1/routes' })).json();
    expect(routes).toMatchObject({
      ownedBuffers: [1],
      ownsAll: false,
      sizeRanges: [{ above: 100, upTo: null, firstClass: 1, lastClass: 1 }],
    });
    const misrouted = await infer(server, { size: 5, input: 1 });
    expect(misrouted.statusCode).toBe(421);
    expect(misrouted.json().error.message).toMatch(/\(100, inf\)/);
    expect((await infer(server, { size: 500, input: 1 })).statusCode).toBe(200);
    const split = configurationOf(
      [100, 1000],
      [
        {
          firstClass: 0,
          lastClass: 1,
          lastClassShare: 0.5,
          batchSize: 2,
          timeoutSeconds: 0.05,
          memoryMb: 1024,
        },
        {
          firstClass: 1,
          lastClass: 1,
          firstClassShare: 0.5,
          batchSize: 2,
          timeoutSeconds: 0.05,
          memoryMb: 1024,
        },
      ],
    );
    expect(() =>
      createMbsServer({ config: split, provider: doublingProvider(), ownedBuffers: [0] }),
    ).toThrow(/class 1.*buffer 1/);
  });

  it("follows the configuration's window schedule", async () => {
    const window = (startSeconds: number, endSeconds: number, batchSize: number) => ({
      startSeconds,
      endSeconds,
      system: {
        buffers: [
          {
            firstClass: 0,
            lastClass: 0,
            firstClassShare: 1,
            lastClassShare: 1,
            batchSize,
            timeoutSeconds: 0.02,
            memoryMb: 1024,
          },
        ],
      },
    });
    const config = {
      schema: 'mbs.configuration' as const,
      version: 1 as const,
      classUpperEdges: [100],
      windows: [window(0, 0.3, 1), window(0.3, 3600, 2)],
    };
    const functions: string[] = [];
    const server = serve({
      config,
      provider: createFunctionProvider(async (inputs: readonly number[], { functionName }) => {
        functions.push(functionName);
        return inputs;
      }),
    });
    const early = (await infer(server, { size: 5, input: 1 })).json();
    await new Promise((resolve) => setTimeout(resolve, 350));
    const late = await Promise.all([
      infer(server, { size: 5, input: 2 }),
      infer(server, { size: 5, input: 3 }),
    ]);
    expect(early.batchSize).toBe(1);
    expect(late.map((answer) => answer.json().batchSize)).toEqual([2, 2]);
    expect(functions).toEqual(['mbs-w0-b0', 'mbs-w1-b0']);
  });
});
