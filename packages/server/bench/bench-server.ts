// The front door the benchmark measures, in its own process: `mbs serve`'s server over an
// in-process function (so only the front door and the batcher run here), the built package as
// `mbs serve` runs it (tsx would add a wrapper to every function). Tells the orchestrator
// its URL over IPC. With MBS_BENCH_TIMINGS=1 it also stamps each request at fastify's hooks and
// at the batcher's record, and hands the stamps over when asked (the breakdown; the hooks cost a
// few microseconds, so the headline bench runs without them).
import { createFunctionProvider } from '@mbs/batcher';
import { createIdTable, type RequestRecord } from '@mbs/core';
// Types from the source (typecheck runs before this package's own build); the module itself is
// loaded from the build below.
import type * as ServerModule from '../src/index.js';
import { cpuMicros } from './bench-process.js';
import { BENCH_CONFIGURATION, benchFunction } from './bench-setup.js';
import { watchGcPauses } from './gc-pauses.js';
import { epochMs } from './open-loop.js';

/** Epoch ms at each stage of one answered request, by the id in its answer. */
export interface ServerStamps {
  readonly id: string;
  /** Headers read and routed. */
  readonly onRequest: number;
  /** Body read and parsed as JSON. */
  readonly preValidation: number;
  /** Body checked against the schema. */
  readonly preHandler: number;
  /** Submitted to the batcher (its record's arrival). */
  readonly batcherArrival: number;
  /** The batcher's result (its record's completion). */
  readonly batcherCompletion: number;
  /** Answer built and serialised. */
  readonly onSend: number;
  /** Answer written to the socket ('finish'). */
  readonly onResponse: number;
}

const timings = process.env.MBS_BENCH_TIMINGS === '1';
// Not a Map or a WeakMap: churned per request, V8 keeps their old tables' entries alive through
// scavenges (see createIdTable), which would lengthen the server's GC pauses the breakdown measures.
const completions = createIdTable<{ arrival: number; completion: number }>();
const onRequestRecord = (record: RequestRecord) => {
  const completion = epochMs();
  completions.set(record.requestId, {
    arrival: completion - record.latencySeconds * 1000,
    completion,
  });
};
// MBS_BENCH_SERVER_MODULE: another build of @mbs/server to measure (an A/B of two versions).
const { createMbsServer } = (await import(
  process.env.MBS_BENCH_SERVER_MODULE ?? '@mbs/server'
)) as typeof ServerModule;
const server = createMbsServer({
  config: BENCH_CONFIGURATION,
  provider: createFunctionProvider(benchFunction),
  limits: { maxQueuedPerBuffer: 100_000, maxInFlightRequests: 100_000 },
  ...(timings ? { onRequestRecord } : {}),
});

let stamps: ServerStamps[] = [];
if (timings) {
  type Partial = { -readonly [K in keyof ServerStamps]?: ServerStamps[K] };
  const STAMPS = Symbol('stamps');
  type Stamped = { [STAMPS]?: Partial };
  const partial = {
    get: (request: object) => (request as Stamped)[STAMPS],
    set: (request: object, entry: Partial) => {
      (request as Stamped)[STAMPS] = entry;
    },
  };
  const stamp = (request: object, key: keyof Omit<ServerStamps, 'id'>) => {
    const entry = partial.get(request);
    if (entry) entry[key] = epochMs();
    else partial.set(request, { [key]: epochMs() });
  };
  const { app } = server;
  app.addHook('onRequest', (request, _reply, done) => {
    stamp(request, 'onRequest');
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    stamp(request, 'preValidation');
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    stamp(request, 'preHandler');
    done();
  });
  app.addHook('onSend', (request, _reply, payload, done) => {
    stamp(request, 'onSend');
    const id = typeof payload === 'string' ? /"id":"([^"]+)"/.exec(payload)?.[1] : undefined;
    if (id !== undefined) partial.get(request)!.id = id;
    done(null, payload);
  });
  app.addHook('onResponse', (request, _reply, done) => {
    stamp(request, 'onResponse');
    const entry = partial.get(request)!;
    const batcher = entry.id === undefined ? undefined : completions.get(entry.id);
    if (batcher !== undefined) {
      completions.delete(entry.id!);
      entry.batcherArrival = batcher.arrival;
      entry.batcherCompletion = batcher.completion;
      stamps.push(entry as ServerStamps);
    }
    done();
  });
}

// MBS_BENCH_ALLOCATIONS=file: a sampling profile of everything the server allocates (collected
// objects included, which is what drives the young generation's scavenges), written at the end.
// MBS_BENCH_ALLOCATIONS_PROMOTED=1 leaves out what scavenges collected: what is left survived the
// young generation, which is what each scavenge copies and so what makes its pause long.
const allocations = process.env.MBS_BENCH_ALLOCATIONS;
const promotedOnly = process.env.MBS_BENCH_ALLOCATIONS_PROMOTED === '1';
let writeAllocations = async () => {};
if (allocations !== undefined) {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: !promotedOnly,
  });
  writeAllocations = async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    await writeFile(allocations, JSON.stringify(profile));
  };
}

const url = await server.listen({ port: 0 });
const gc = watchGcPauses();
// 'stamps': the stamps since the last ask; 'cpu': CPU time used so far (microseconds); 'gc': the
// GC pauses since the last ask; 'gc-pauses': each of them.
process.on('message', (message: 'stamps' | 'cpu' | 'gc' | 'gc-pauses') => {
  if (message === 'cpu') {
    process.send!(cpuMicros());
    return;
  }
  if (message === 'gc') {
    process.send!(gc.take());
    return;
  }
  if (message === 'gc-pauses') {
    process.send!(gc.takePauses());
    return;
  }
  process.send!(stamps);
  stamps = [];
});
process.once('disconnect', () => {
  void server
    .close()
    .then(writeAllocations)
    .then(() => process.exit(0));
});
process.send!({ url });
