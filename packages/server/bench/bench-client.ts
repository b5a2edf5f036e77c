// The load generator, in its own process so that its work (pacing, two HTTP stacks' client side,
// JSON parsing) runs on its own event loop, not the server's. Each run names its client (else
// MBS_BENCH_CLIENT): `undici` (default: a pool of keep-alive connections, one request at a time
// on each, so no answer waits behind another's), `http` (node:http with a keep-alive Agent),
// `raw` (raw-http-sender.ts: keep-alive sockets and the least client-side work) or `kernel`
// (timestamping-client.c, run as a child: a C client that also stamps each answer's arrival in
// the kernel, so its own lateness can be told from the server's; `kernel-tick` releases its
// requests on a 1 ms tick as the Node clients do).
import { Agent, request } from 'node:http';
import { Pool } from 'undici';
import type { InferAnswer } from '../src/index.js';
import {
  type ClientKind,
  clientKind,
  isKernelClient,
  type KernelClientKind,
  serveRuns,
} from './bench-process.js';
import { epochMs, openLoop, sizeOf } from './open-loop.js';
import { rawHttpSender, type Send } from './raw-http-sender.js';
import { runTimestampingClient } from './timestamping-client.js';

function undiciSender(url: URL): { send: Send; close: () => Promise<void> } {
  // The handler is undici's plain one (what Pool.dispatch takes in 7.x), the cheapest way in.
  // 256 connections: plenty for the concurrency of these rates; with more, undici opened all of
  // them in the first burst (2,048 sockets held by the server). Pipelining 1: HTTP/1.1 answers
  // come in order, so a pipelined request would wait behind one of another buffer and that wait
  // would be billed to the front door.
  const pool = new Pool(url.origin, {
    connections: 256,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 60_000,
  });
  const headers = { 'content-type': 'application/json' };
  return {
    send(payload, answered) {
      let status = 0;
      let body = '';
      pool.dispatch(
        { origin: url.origin, path: '/v1/infer', method: 'POST', headers, body: payload },
        {
          onConnect() {},
          onHeaders(statusCode) {
            status = statusCode;
            return true;
          },
          onData(chunk) {
            body += chunk.toString('utf8');
            return true;
          },
          onComplete() {
            answered(status, body);
          },
          onError() {
            answered(0, '');
          },
        },
      );
    },
    close: () => pool.close(),
  };
}

function httpSender(url: URL): { send: Send; close: () => Promise<void> } {
  const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  return {
    send(payload, answered) {
      const sent = request(
        {
          hostname: url.hostname,
          port: url.port,
          path: '/v1/infer',
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(payload),
          },
        },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => answered(response.statusCode ?? 0, body));
        },
      );
      sent.on('error', () => answered(0, ''));
      sent.end(payload);
    },
    close: async () => agent.destroy(),
  };
}

const SENDERS: Record<Exclude<ClientKind, KernelClientKind>, (url: URL) => { send: Send }> = {
  undici: undiciSender,
  http: httpSender,
  raw: rawHttpSender,
};

/** One sender (and its kept-alive connections) per client and server. */
const senders = new Map<string, { send: Send }>();
const senderOf = (kind: Exclude<ClientKind, KernelClientKind>, origin: string) => {
  const key = `${kind} ${origin}`;
  let sender = senders.get(key);
  if (sender === undefined) {
    sender = SENDERS[kind](new URL(origin));
    senders.set(key, sender);
  }
  return sender;
};

serveRuns(async ({ rate, seconds, detail, url, client }) => {
  const kind = client ?? clientKind(process.env.MBS_BENCH_CLIENT ?? 'undici', 'MBS_BENCH_CLIENT');
  const origin = url ?? process.env.MBS_BENCH_URL ?? '';
  if (isKernelClient(kind)) {
    // With detail (the breakdown), each answer's end is its arrival in the client's kernel.
    const { ids, sentEpochMs, endEpochMs, ...run } = await runTimestampingClient(
      new URL(origin),
      rate,
      seconds,
      kind === 'kernel-tick' ? 1 : 0,
    );
    return detail ? { ...run, ids, sentEpochMs, endEpochMs } : run;
  }
  const sender = senderOf(kind, origin);
  const latencyMs: number[] = [];
  const batcherMs: number[] = [];
  const serverMs: number[] = [];
  const ids: string[] = [];
  const sentEpochMs: number[] = [];
  const endEpochMs: number[] = [];
  let failed = 0;
  const failedByStatus: Record<string, number> = {};
  const { sent, achievedRate } = await openLoop(rate, seconds, (index, done) => {
    const payload = `{"size":${sizeOf(index)},"input":${index}}`;
    const started = epochMs();
    sender.send(payload, (status, body) => {
      const ended = epochMs();
      if (status === 200) {
        const answer = JSON.parse(body) as InferAnswer;
        latencyMs.push(ended - started);
        batcherMs.push(answer.timings.latencySeconds * 1000);
        serverMs.push(answer.timings.serverSeconds * 1000);
        if (detail) {
          ids.push(answer.id);
          sentEpochMs.push(started);
          endEpochMs.push(ended);
        }
      } else {
        failed++;
        failedByStatus[status] = (failedByStatus[status] ?? 0) + 1;
      }
      done();
    });
  });
  return {
    sent,
    achievedRate,
    failed,
    failedByStatus,
    latencyMs,
    batcherMs,
    serverMs,
    ...(detail ? { ids, sentEpochMs, endEpochMs } : {}),
  };
});
