import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { formatSeconds, sortedQuantile } from '@mbs/core';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { readConfigurationFile } from '../options/document-options.js';
import { configurationClasses } from '../resolvers/classes.js';
import { openClassedTrace, type TraceReaderOptions, traceSource } from '../resolvers/trace.js';
import { type RequestInputKind, requestInput } from './run-inputs.js';
import { replayTrace } from './run-replay.js';
import { createTargetClient } from './target-client.js';

/** File name of the document `mbs run --target` writes (beside answers.jsonl). */
export const TARGET_RUN_DOCUMENT_FILE = 'target-run.json';

/** What `mbs run --target` needs of its arguments. */
export interface TargetRunArguments extends GlobalOptions, TraceReaderOptions {
  readonly config: string;
  readonly trace: string;
  readonly classShares?: string;
  readonly speed: number;
  readonly limit?: number;
  readonly seed: number;
  readonly input: RequestInputKind;
  readonly 'max-length': number;
  readonly out: string;
  readonly target?: string;
}

/** Latency quantiles in seconds (nearest rank); NaN without samples. */
interface LatencyQuantiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

const quantilesOf = (values: number[]): LatencyQuantiles => {
  values.sort((a, b) => a - b);
  return {
    p50: sortedQuantile(values, 0.5),
    p95: sortedQuantile(values, 0.95),
    p99: sortedQuantile(values, 0.99),
  };
};

/** The `target-run.json` document. */
export interface TargetRunDocument {
  readonly schema: 'mbs.target-run';
  readonly version: 1;
  readonly targets: readonly string[];
  readonly routing: 'size' | 'round-robin';
  readonly trace: { readonly source: string; readonly format: string };
  readonly speed: number;
  readonly limit?: number;
  readonly startEpochMs: number;
  readonly endEpochMs: number;
  readonly sent: number;
  /** Answers by HTTP status, or by transport error code when no status came. */
  readonly answersByStatus: Readonly<Record<string, number>>;
  /** Client-side latency of 200 answers (send to answer), seconds. */
  readonly clientLatencySeconds: LatencyQuantiles;
  /** The server's own latency of 200 answers (arrival to result in its batcher), seconds. */
  readonly serverLatencySeconds: LatencyQuantiles;
  readonly replay: {
    readonly traceSpanSeconds: number;
    readonly maxLagSeconds: number;
    readonly interrupted: boolean;
  };
}

/**
 * `mbs run --target`: replays the trace open-loop over HTTP through `mbs serve` front ends:
 * each request is sent at its trace time divided by the speed, never waiting for earlier answers,
 * so queueing in the server is measured, not hidden. Writes answers.jsonl (one line per request:
 * status, times, the server's batch and buffer) and target-run.json.
 */
export async function runAgainstTargets(
  context: CommandContext,
  argv: TargetRunArguments,
): Promise<void> {
  const config = await readConfigurationFile(argv.config);
  const trace = await openClassedTrace(
    context.plugins,
    traceSource(argv.trace, argv, false),
    configurationClasses(config),
    argv.classShares,
    argv.seed,
  );
  const client = await createTargetClient(argv.target!);
  try {
    await mkdir(argv.out, { recursive: true });
  } catch (error) {
    throw errors.error(
      'IO',
      `--out ${argv.out}: cannot create the directory (${(error as Error).message})`,
      { cause: error, details: { option: '--out' } },
    );
  }
  const { createJsonLinesWriter } = await import('@mbs/batcher');
  const answers = createJsonLinesWriter(join(argv.out, 'answers.jsonl'));
  const byStatus: Record<string, number> = {};
  const clientLatencies: number[] = [];
  const serverLatencies: number[] = [];
  const originMs = performance.now();
  const now = () => (performance.now() - originMs) / 1000;
  const startEpochMs = Date.now();
  let sent = 0;
  let answered = 0;
  const progress = setInterval(
    () =>
      context.io.stderr(
        `mbs run --target: ${sent} sent, ${answered} answered, ${formatSeconds(now())} elapsed\n`,
      ),
    5000,
  );
  progress.unref();
  const interruption = new AbortController();
  const interrupt = () => interruption.abort();
  process.once('SIGINT', interrupt);
  let outcome: Awaited<ReturnType<typeof replayTrace>>;
  try {
    outcome = await replayTrace({
      signal: interruption.signal,
      arrivals: trace,
      now,
      speed: argv.speed,
      ...(argv.limit === undefined ? {} : { limit: argv.limit }),
      submit: async (arrival, traceSeconds) => {
        const index = sent++;
        const sentSeconds = now();
        const answer = await client.send(
          arrival.size,
          requestInput(argv.input, arrival.size, argv['max-length']),
        );
        const latencySeconds = now() - sentSeconds;
        answered++;
        byStatus[answer.status] = (byStatus[answer.status] ?? 0) + 1;
        const body = answer.body as
          | {
              id?: string;
              buffer?: number;
              batchId?: string;
              timings?: { latencySeconds?: number };
              error?: { code?: string };
            }
          | undefined;
        if (answer.status === '200') {
          clientLatencies.push(latencySeconds);
          if (typeof body?.timings?.latencySeconds === 'number')
            serverLatencies.push(body.timings.latencySeconds);
        }
        answers.write({
          index,
          traceSeconds,
          size: arrival.size,
          target: answer.target,
          status: answer.status,
          sentSeconds,
          latencySeconds,
          ...(body?.id === undefined ? {} : { id: body.id }),
          ...(body?.buffer === undefined ? {} : { buffer: body.buffer, batchId: body.batchId }),
          ...(body?.timings?.latencySeconds === undefined
            ? {}
            : { serverLatencySeconds: body.timings.latencySeconds }),
          ...(body?.error?.code === undefined ? {} : { errorCode: body.error.code }),
        });
      },
    });
    await outcome.allSettled;
  } finally {
    process.off('SIGINT', interrupt);
    clearInterval(progress);
    client.close();
    await answers.close();
  }
  const document: TargetRunDocument = {
    schema: 'mbs.target-run',
    version: 1,
    targets: argv.target!.split(',').map((part) => part.trim()),
    routing: client.routing,
    trace: { source: trace.metadata.source, format: trace.metadata.format },
    speed: argv.speed,
    ...(argv.limit === undefined ? {} : { limit: argv.limit }),
    startEpochMs,
    endEpochMs: Date.now(),
    sent,
    answersByStatus: byStatus,
    clientLatencySeconds: quantilesOf(clientLatencies),
    serverLatencySeconds: quantilesOf(serverLatencies),
    replay: {
      traceSpanSeconds: outcome.traceSpanSeconds,
      maxLagSeconds: outcome.maxLagSeconds,
      interrupted: outcome.interrupted,
    },
  };
  await writeFile(
    join(argv.out, TARGET_RUN_DOCUMENT_FILE),
    `${JSON.stringify(document, null, 2)}\n`,
    'utf8',
  );
  const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
  if (total !== sent) {
    throw errors.error('INTERNAL', `mbs run --target: ${sent} requests sent but ${total} answered`);
  }
  printResult(context, argv, document, () =>
    [
      `Sent ${sent} requests of ${document.trace.source} at speed ${argv.speed} to ${document.targets.join(', ')} (${document.routing})`,
      `  answers: ${Object.entries(byStatus)
        .map(([status, count]) => `${status} ${count}`)
        .join(', ')}`,
      `  latency of 200s, client: p50 ${formatSeconds(document.clientLatencySeconds.p50)}  p95 ${formatSeconds(document.clientLatencySeconds.p95)}  p99 ${formatSeconds(document.clientLatencySeconds.p99)}`,
      `  latency of 200s, server: p50 ${formatSeconds(document.serverLatencySeconds.p50)}  p95 ${formatSeconds(document.serverLatencySeconds.p95)}  p99 ${formatSeconds(document.serverLatencySeconds.p99)}`,
      `  replay: ${formatSeconds(document.replay.traceSpanSeconds)} of trace, at most ${formatSeconds(document.replay.maxLagSeconds)} behind schedule${document.replay.interrupted ? ' (interrupted)' : ''}`,
      `Wrote ${join(argv.out, 'answers.jsonl')} and ${TARGET_RUN_DOCUMENT_FILE}`,
      '',
    ].join('\n'),
  );
  // Anything but 200 is a failed request; the run reports it and says so in its exit code.
  if ((byStatus['200'] ?? 0) !== sent) context.exitCode = 1;
}
