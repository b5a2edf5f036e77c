import { createBatcher } from '@mbs/batcher';
import { createIdTable, LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES } from '@mbs/core';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { registerAdminRoute } from './admin-route.js';
import { invalidRequest, payloadTooLarge, shuttingDown } from './answers.js';
import { registerInferRoute, sendError } from './infer-route.js';
import { observedProvider } from './observed-provider.js';
import { createOffsetClock } from './offset-clock.js';
import type { OwnedSizeRange } from './owned-buffers.js';
import { createServerMetrics } from './server-metrics.js';
import { type MbsServerOptions, resolveServerOptions } from './server-options.js';
import { type ServedConfiguration, type ServerState, serveConfiguration } from './server-state.js';

/** What `GET /v1/routes` answers: what a balancer routing by size sends to this front end. */
export interface RoutesAnswer {
  readonly classUpperEdges: readonly number[];
  readonly sizeUnit?: string;
  readonly ownedBuffers: readonly number[];
  readonly ownsAll: boolean;
  readonly sizeRanges: readonly OwnedSizeRange[];
}

/** Counts of a server, for tests and the CLI's closing line. */
export interface ServerCounts {
  /** Inference requests answered (`POST /v1/infer`), by HTTP status. */
  readonly answeredByStatus: Readonly<Record<string, number>>;
  readonly inFlightRequests: number;
  readonly submitted: number;
  readonly resolved: number;
  readonly rejected: number;
  readonly cancelled: number;
  readonly draining: boolean;
}

/** A running front door (see {@link createMbsServer}). */
export interface MbsServer {
  /** The fastify instance (routes registered); `inject` serves requests without a socket. */
  readonly app: FastifyInstance;
  /** The Prometheus registry behind `/metrics`. */
  readonly metrics: Registry;
  /** Listens (loopback by default) and resolves with the URL, e.g. `http://127.0.0.1:8080`. */
  listen(options?: { readonly host?: string; readonly port?: number }): Promise<string>;
  /**
   * Replaces the configuration without a restart (SIGHUP, the admin endpoint): open batches are
   * migrated or flushed by the batcher, in-flight invocations finish. Throws CONFIG_INVALID or
   * OPTION_INVALID naming the problem; the old configuration then stays.
   */
  reconfigure(document: unknown, source?: string): void;
  counts(): ServerCounts;
  /**
   * Drains and stops: refuses new connections (503 on open ones), flushes every buffer, waits for
   * every invocation in flight and for every answer to be sent. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Creates the HTTP front door of MBS: `POST /v1/infer` routes each request by size class into
 * the configuration's buffers (the batcher of `@mbs/batcher`) and answers with its own output,
 * class, buffer, batch and timings; `/healthz`, `/readyz`, `/metrics` (Prometheus text) and
 * `/v1/routes`; `PUT /admin/configuration` when an admin token is given. Bounded everywhere:
 * 429 with `Retry-After` beyond the queue and in-flight limits, 413 for an input that cannot fit
 * in a batch under Lambda's 6 MB payload limit, 504 past a request's `x-mbs-deadline-ms`.
 *
 * @example
 * ```ts
 * const server = createMbsServer({ config, provider: createAwsLambdaProvider(), pricing });
 * const url = await server.listen({ port: 8080 }); // http://127.0.0.1:8080
 * process.once('SIGTERM', () => void server.close());
 * ```
 */
export function createMbsServer(options: MbsServerOptions): MbsServer {
  const resolved = resolveServerOptions(options);
  const { limits } = resolved;
  const metrics = createServerMetrics();
  const clock = createOffsetClock();
  const ownedBuffers = options.ownedBuffers;
  const served = serveConfiguration(resolved.config, 'options.config', ownedBuffers);
  let state: ServerState;
  const batcher = createBatcher({
    config: served.document,
    provider: observedProvider(options.provider, metrics.throttled),
    clock,
    ...(options.pricing === undefined ? {} : { pricing: options.pricing }),
    ...(options.functionNamePrefix === undefined
      ? {}
      : { functionNamePrefix: options.functionNamePrefix }),
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    followSchedule: options.followSchedule ?? true,
    ...(options.schedulePeriodSeconds === undefined
      ? {}
      : { schedulePeriodSeconds: options.schedulePeriodSeconds }),
    limits: {
      maxPendingPerBuffer: limits.maxQueuedPerBuffer,
      maxInFlightTotal: limits.maxInFlightInvocations,
      maxInFlightPerBuffer: limits.maxInFlightInvocationsPerBuffer,
    },
    onRequestRecord: (record) => {
      metrics.request(record);
      const waiter = state.waiters.get(record.requestId);
      if (waiter !== undefined) waiter.record = record;
      options.onRequestRecord?.(record);
    },
    onBatchRecord: (record) => {
      metrics.batch(record);
      options.onBatchRecord?.(record);
    },
  });
  state = {
    batcher,
    metrics,
    limits,
    retryAfterSeconds: resolved.retryAfterSeconds,
    now: clock.now,
    ownedBuffers,
    served,
    waiters: createIdTable(),
    requestSequence: 0,
    inFlightRequests: 0,
    draining: false,
  };
  const app = Fastify({
    logger: options.logger ?? false,
    // An input that cannot fit alone in a Lambda payload cannot fit in a batch either.
    bodyLimit: LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES + 1024,
    // Fastify's own 503 while closing is written raw, past every hook, so nobody would count
    // it; the drain hook below answers instead, through the one place that counts answers.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  // JSON only: a text/plain body (which a page may send cross-site) gets 415.
  app.removeContentTypeParser('text/plain');
  // While draining, every answer closes its connection, so keep-alive clients let go and the
  // server can stop as soon as the last answer is sent.
  // Callback hooks: an async one costs a promise and a microtask turn on every request.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (state.draining) reply.header('connection', 'close');
    done(null, payload);
  });
  // A request read on a kept-alive connection after the drain began gets a counted 503.
  app.addHook('onRequest', (request, reply, done) => {
    if (state.draining && request.url.startsWith('/v1/infer')) {
      sendError(state, reply, shuttingDown(), 'closed');
      return;
    }
    done();
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation !== undefined) {
      return sendError(
        state,
        reply,
        invalidRequest(
          `${error.message}; send {"size": <number >= 0>, "input": <the handler's input>}`,
        ),
        'invalid',
      );
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(
        state,
        reply,
        payloadTooLarge(
          `the body is over ${LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES + 1024} bytes; a request must fit in a batch under Lambda's ${LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES}-byte Invoke payload`,
          { limitBytes: LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES },
        ),
        'payload-too-large',
      );
    }
    const status =
      error.statusCode !== undefined && error.statusCode < 500 ? error.statusCode : 500;
    state.metrics.answered(status);
    return reply.code(status).send({
      error: { code: status === 500 ? 'INTERNAL' : 'INVALID_REQUEST', message: error.message },
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: {
        code: 'NOT_FOUND',
        message: `${request.method} ${request.url} is not a route; POST /v1/infer serves requests`,
      },
    }),
  );
  registerInferRoute(app, state);
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) =>
    state.draining ? reply.code(503).send({ ready: false, reason: 'draining' }) : { ready: true },
  );
  app.get('/metrics', async (_request, reply) => {
    metrics.sample(batcher.stats(), state.inFlightRequests);
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  app.get('/v1/routes', async (): Promise<RoutesAnswer> => {
    const { document, ownership } = state.served;
    return {
      classUpperEdges: document.classUpperEdges,
      ...(document.sizeUnit === undefined ? {} : { sizeUnit: document.sizeUnit }),
      ownedBuffers: ownership.buffers,
      ownsAll: ownership.ownsAll,
      sizeRanges: ownership.sizeRanges,
    };
  });
  const reconfigure = (
    document: unknown,
    source = 'reconfigure(document)',
  ): ServedConfiguration => {
    const next = serveConfiguration(document, source, ownedBuffers);
    batcher.reconfigure(next.document);
    state.served = next;
    return next;
  };
  if (options.adminToken !== undefined) registerAdminRoute(app, options.adminToken, reconfigure);
  let closing: Promise<void> | undefined;
  return {
    app,
    metrics: metrics.registry,
    async listen(listenOptions = {}) {
      return app.listen({ host: listenOptions.host ?? '127.0.0.1', port: listenOptions.port ?? 0 });
    },
    reconfigure(document, source) {
      reconfigure(document, source);
    },
    counts() {
      const stats = batcher.stats();
      return {
        answeredByStatus: metrics.answeredByStatus(),
        inFlightRequests: state.inFlightRequests,
        submitted: stats.submitted,
        resolved: stats.resolved,
        rejected: stats.rejected,
        cancelled: stats.cancelled,
        draining: state.draining,
      };
    },
    close() {
      closing ??= (async () => {
        state.draining = true;
        // Stop accepting first; then the open batches leave at once and every answer is sent.
        const httpClosed = app.close();
        await batcher.close();
        await httpClosed;
      })();
      return closing;
    },
  };
}
