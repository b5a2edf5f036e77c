// The floor under the front door, for the bench (MBS_BENCH_FLOOR=1): the least an HTTP server in
// Node can do per request, a bare node:http server that reads the body, parses it, submits it to
// the same batcher (same configuration and function) and writes the answer's JSON, with none of
// the front door's framework, checks, limits, metrics or withdrawal. Measured beside the front
// door under the same load, it tells the framework's and handler's share of the overhead from
// what loopback HTTP and a second event loop cost whatever the server does. Not a server to use.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBatcher, createFunctionProvider } from '@mbs/batcher';
import { createIdTable } from '@mbs/core';
import { cpuMicros } from './bench-process.js';
import { BENCH_CONFIGURATION, benchFunction } from './bench-setup.js';
import { watchGcPauses } from './gc-pauses.js';

// As the front door keeps its waiters: a Map churned per request lengthens scavenges (createIdTable).
const latencySeconds = createIdTable<number>();
const batcher = createBatcher({
  config: BENCH_CONFIGURATION,
  provider: createFunctionProvider(benchFunction),
  limits: { maxPendingPerBuffer: 100_000 },
  onRequestRecord: (record) => {
    latencySeconds.set(record.requestId, record.latencySeconds);
  },
});
let sequence = 0;
const server = createServer((request, response) => {
  const receivedMs = performance.now();
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk: string) => {
    body += chunk;
  });
  request.on('end', () => {
    const { size, input } = JSON.parse(body) as { size: number; input: number };
    const id = `f${++sequence}`;
    batcher.submit({ id, size, input }).then(
      (output) => {
        const latency = latencySeconds.get(id)!;
        latencySeconds.delete(id);
        const serverSeconds = (performance.now() - receivedMs) / 1000;
        const answer = `{"id":"${id}","output":${JSON.stringify(output)},"timings":{"latencySeconds":${latency},"serverSeconds":${serverSeconds}}}`;
        response.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-length': Buffer.byteLength(answer),
        });
        response.end(answer);
      },
      () => {
        response.writeHead(500).end();
      },
    );
  });
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  const gc = watchGcPauses();
  process.on('message', (message: 'cpu' | 'gc' | 'gc-pauses') => {
    if (message === 'cpu') process.send!(cpuMicros());
    else if (message === 'gc') process.send!(gc.take());
    else process.send!(gc.takePauses());
  });
  process.once('disconnect', () => {
    server.close();
    server.closeAllConnections();
    void batcher.close().then(() => process.exit(0));
  });
  process.send!({ url: `http://127.0.0.1:${port}` });
});
