import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BatchRecord, RequestRecord } from '@mbs/core';
import { formatSeconds, formatUsd, type MbsError } from '@mbs/core';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult } from '../context.js';
import { errors } from '../errors.js';
import { EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { formatLatencyLine, formatMeasuredUsd } from '../figures.js';
import { createInvokingProvider } from '../invoking-provider.js';
import {
  type ConfigurationOption,
  configurationOptionBuilder,
  readConfigurationFile,
} from '../options/document-options.js';
import { checkCountOption, optionError } from '../options/option-error.js';
import { type ProviderOptions, providerOptionsBuilder } from '../options/provider-options.js';
import { configurationClasses } from '../resolvers/classes.js';
import { type PricingOption, pricingOptionBuilder, resolvePricing } from '../resolvers/pricing.js';
import {
  openClassedTrace,
  TRACE_SOURCE_HELP,
  type TraceReaderOptions,
  traceReaderOptionsBuilder,
  traceSource,
} from '../resolvers/trace.js';
import { RUN_DOCUMENT_FILE, type RunDocument } from '../run/run-document.js';
import { prepareRunFolder } from '../run/run-folder.js';
import {
  functionNamesByWindow,
  type RequestInputKind,
  requestInput,
  windowAtTraceTime,
} from '../run/run-inputs.js';
import { type ReplayOutcome, replayTrace } from '../run/run-replay.js';
import { createRunRecordAccumulator, formatBufferTable } from '../run/run-summary.js';
import { runAgainstTargets } from '../run/run-target.js';
import {
  createRefusalWatch,
  DEFAULT_REFUSED_BATCHES_TO_STOP,
  runFailure,
} from '../run/run-verdict.js';

/** Arguments of `mbs run`. */
export interface RunArguments
  extends GlobalOptions,
    ConfigurationOption,
    ProviderOptions,
    TraceReaderOptions,
    PricingOption {
  readonly trace: string;
  readonly classShares?: string;
  readonly speed: number;
  readonly limit?: number;
  readonly seed: number;
  readonly input: RequestInputKind;
  readonly 'max-length': number;
  readonly out: string;
  /** `mbs serve` URLs to replay through over HTTP instead of the batcher in this process. */
  readonly target?: string;
  /** Remove the results of an earlier run from --out first. */
  readonly force: boolean;
  /** Longest wait for one invocation, in seconds. */
  readonly 'invocation-timeout': number;
  /** Largest share of failed requests for which the run still exits 0. */
  readonly 'max-failed': number;
  /** Batches refused in a row (none succeeding) after which the run stops. */
  readonly 'stop-after-refused': number;
}

function checkOptions(argv: RunArguments): void {
  if (!(Number.isFinite(argv.speed) && argv.speed > 0)) {
    throw optionError(
      '--speed',
      `is ${argv.speed}; give a finite number > 0 (1 = real time, 60 = a minute per second)`,
      argv.speed,
    );
  }
  checkCountOption(argv.limit, '--limit');
  checkCountOption(argv['max-length'], '--max-length');
  if (!Number.isInteger(argv.seed)) {
    throw optionError('--seed', `is ${argv.seed}; give an integer`, argv.seed);
  }
  const timeout = argv['invocation-timeout'];
  if (!(timeout > 0 && timeout <= 86_400)) {
    throw optionError(
      '--invocation-timeout',
      `is ${timeout}; give seconds in (0, 86400] (Lambda's longest function timeout is 900)`,
      timeout,
    );
  }
  const maxFailed = argv['max-failed'];
  if (!(maxFailed >= 0 && maxFailed <= 1)) {
    throw optionError(
      '--max-failed',
      `is ${maxFailed}; give the largest share of failed requests in [0, 1] (0: any failure fails the run)`,
      maxFailed,
    );
  }
  checkCountOption(argv['stop-after-refused'], '--stop-after-refused');
}

/** A progress reporter on stderr: redrawn in place on a terminal, a line every 5 s otherwise. */
function progressReporter(context: CommandContext, describe: () => string) {
  const intervalMs = context.io.stderrIsTty ? 500 : 5000;
  const timer = setInterval(() => {
    context.io.stderr(context.io.stderrIsTty ? `\r${describe()}\u001b[K` : `${describe()}\n`);
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      context.io.stderr(context.io.stderrIsTty ? `\r${describe()}\u001b[K\n` : `${describe()}\n`);
    },
  };
}

function formatRunText(document: RunDocument, directory: string): string {
  const { counts, summary } = document;
  const seconds = (document.endEpochMs - document.startEpochMs) / 1000;
  const rejectedCodes = Object.entries(counts.rejectedByCode)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  const names = document.functionNames[0] ?? [];
  const lines = [
    `Ran ${document.configPath} on ${document.trace.source} (${document.trace.format}) at speed ${document.speed}: ${counts.submitted} requests in ${formatSeconds(seconds)}`,
    `  resolved ${counts.resolved}, rejected ${counts.rejected}${rejectedCodes ? ` (${rejectedCodes})` : ''}, retries ${counts.retries}`,
    `  latency of resolved requests: ${formatLatencyLine(summary.latencySeconds)}`,
    `  cost ${formatUsd(summary.costUsd)} in ${summary.batches} batches (${summary.coldStarts} cold), ${formatMeasuredUsd(summary.costPerRequestUsd)} per request`,
    `  replay: ${formatSeconds(document.replay.traceSpanSeconds)} of trace, at most ${formatSeconds(document.replay.maxLagSeconds)} behind schedule${document.replay.interrupted ? ' (interrupted)' : ''}`,
    ...(document.verdict.failure === undefined ? [] : [`  FAILED: ${document.verdict.failure}`]),
    '',
    formatBufferTable(summary, (buffer) => names[buffer] ?? `buffer ${buffer}`),
    `Wrote ${join(directory, 'requests.jsonl')} (${counts.requestRecords} records), batches.jsonl (${counts.batchRecords}), ${RUN_DOCUMENT_FILE}`,
    '',
  ];
  return lines.join('\n');
}

/**
 * `mbs run`: replays a trace through the multi-buffer batcher against the deployed functions and
 * writes the run directory (request and batch records, run.json).
 */
export function runCommand(context: CommandContext): CommandModule<GlobalOptions, RunArguments> {
  return {
    command: 'run',
    describe:
      'Replay a trace through the batcher against the deployed functions and record every request and batch',
    builder: (yargs: Argv<GlobalOptions>) => {
      const traceOptions = traceReaderOptionsBuilder(
        configurationOptionBuilder(
          yargs,
          'Configuration document (mbs solve --out), as deployed with mbs deploy',
        )
          .option('trace', {
            type: 'string',
            demandOption: true,
            describe: `Trace to replay: ${TRACE_SOURCE_HELP}`,
          })
          .option('class-shares', {
            type: 'string',
            describe:
              'With a MAP trace (D0.csv,D1.csv): comma-separated share per class of the configuration (default equal)',
          }),
        context.plugins,
      )
        .option('speed', {
          type: 'number',
          default: 1,
          describe: 'Replay speed: 1 = real time, 60 = one trace minute per second',
        })
        .option('limit', { type: 'number', describe: 'Replay only the first N requests' });
      return pricingOptionBuilder(
        providerOptionsBuilder(traceOptions, 'Lambda', context.plugins),
        context.plugins,
        "the configuration's, else aws-x86; prices the batch records",
      )
        .option('seed', {
          type: 'number',
          default: 1,
          describe: 'Seed for routing split classes and retry jitter',
        })
        .option('input', {
          choices: ['tokens', 'size'] as const,
          default: 'tokens' as const,
          describe:
            "Request input: tokens = the packaged handler's int64 tensor of the request's length; size = { size }",
        })
        .option('max-length', {
          type: 'number',
          default: 4096,
          describe: 'Longest token tensor sent with --input tokens (the model maxLength)',
        })
        .option('out', {
          type: 'string',
          demandOption: true,
          describe:
            'Run directory to write (requests.jsonl, batches.jsonl, run.json; with --target: answers.jsonl, target-run.json)',
        })
        .option('force', {
          type: 'boolean',
          default: false,
          describe:
            'Remove the results of an earlier run from --out first (without it, a folder holding results is refused)',
        })
        .option('invocation-timeout', {
          type: 'number',
          default: 960,
          describe:
            "Longest wait for one invocation's answer, in seconds; its requests then fail (Lambda's longest timeout is 900)",
        })
        .option('max-failed', {
          type: 'number',
          default: 0,
          describe:
            'Largest share of failed requests (0..1) for which the run exits 0; default 0: any failed request exits 1',
        })
        .option('stop-after-refused', {
          type: 'number',
          default: DEFAULT_REFUSED_BATCHES_TO_STOP,
          describe:
            'Stop when this many batches in a row were refused by the provider (missing function, refusing endpoint) and none succeeded',
        })
        .option('target', {
          type: 'string',
          describe:
            'Replay open-loop over HTTP through mbs serve at these URLs (comma-separated; routed by their /v1/routes: by size when they own different buffers, round robin otherwise)',
        }) as unknown as Argv<RunArguments>;
    },
    handler: async (argv) => {
      checkOptions(argv);
      await prepareRunFolder(argv.out, { force: argv.force });
      if (argv.target !== undefined) {
        await runAgainstTargets(context, argv);
        return;
      }
      const { provider, connection } = await createInvokingProvider(
        context.plugins,
        argv,
        'mbs run',
      );
      const config = await readConfigurationFile(argv.config);
      const functionNames = await functionNamesByWindow(config, argv.prefix);
      const pricing = await resolvePricing(context.plugins, argv.pricing, [
        { name: config.pricing, from: argv.config },
      ]);
      // A MAP trace's requests fall into the configuration's classes, as in mbs simulate.
      const trace = await openClassedTrace(
        context.plugins,
        traceSource(argv.trace, argv, false),
        configurationClasses(config),
        argv.classShares,
        argv.seed,
      );
      const { createBatcher, createJsonLinesWriter, createSystemClock } = await import(
        '@mbs/batcher'
      );

      // Record times are seconds after the run's start, as the replay in @mbs/sim writes them.
      const systemClock = createSystemClock();
      const originSeconds = systemClock.now();
      // Wall-clock instants, as CloudWatch Logs stamps events: the window for mbs logs collect.
      const startEpochMs = Date.now();
      const clock = {
        now: () => systemClock.now() - originSeconds,
        setTimer: (atSeconds: number, callback: () => void, options?: { keepAlive?: boolean }) =>
          systemClock.setTimer(atSeconds + originSeconds, callback, options),
        clearTimer: (handle: unknown) => systemClock.clearTimer(handle),
      };
      const requestsWriter = createJsonLinesWriter(join(argv.out, 'requests.jsonl'));
      const batchesWriter = createJsonLinesWriter(join(argv.out, 'batches.jsonl'));
      const accumulator = createRunRecordAccumulator();
      // Ctrl-C, or every batch refused, stops submitting; what was submitted still settles and
      // run.json is written.
      const interruption = new AbortController();
      let stoppedBecause: string | undefined;
      const refusals = createRefusalWatch(
        argv['stop-after-refused'],
        (record) => functionNames[currentWindow]?.[record.buffer] ?? `buffer ${record.buffer}`,
      );

      const windows = config.windows;
      let currentWindow = windowAtTraceTime(windows, 0);
      const windowSwitches = [{ traceSeconds: 0, window: currentWindow }];
      const systemOf = (index: number) => ({
        classUpperEdges: config.classUpperEdges,
        system: windows[index]!.system,
      });
      const batcher = createBatcher({
        config: systemOf(currentWindow),
        provider,
        pricing,
        clock,
        seed: argv.seed,
        functionNames: (_buffer, index) => functionNames[currentWindow]![index]!,
        invocationTimeoutSeconds: argv['invocation-timeout'],
        onRequestRecord: (record: RequestRecord) => {
          requestsWriter.write(record);
          accumulator.addRequest(record);
        },
        onBatchRecord: (record: BatchRecord) => {
          batchesWriter.write(record);
          accumulator.addBatch(record);
          const stop = refusals.addBatch(record);
          if (stop !== undefined && !interruption.signal.aborted) {
            stoppedBecause = stop;
            context.io.stderr(`mbs run: stopping: ${stop}\n`);
            interruption.abort();
          }
        },
      });

      let outcome: ReplayOutcome | undefined;
      let failure: unknown;
      const progress = progressReporter(context, () => {
        const stats = batcher.stats();
        return `mbs run: ${stats.submitted} submitted, ${stats.resolved} resolved, ${stats.rejected} rejected, ${stats.inFlightInvocations} invocations in flight, ${formatSeconds(clock.now())} elapsed`;
      });
      const interrupt = () => {
        context.io.stderr('mbs run: stopping; waiting for requests in flight\n');
        interruption.abort();
      };
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      try {
        outcome = await replayTrace({
          signal: interruption.signal,
          arrivals: trace,
          now: clock.now,
          speed: argv.speed,
          ...(argv.limit === undefined ? {} : { limit: argv.limit }),
          beforeSubmit: (traceSeconds) => {
            const next = windowAtTraceTime(windows, traceSeconds);
            if (next === currentWindow) return;
            currentWindow = next;
            windowSwitches.push({ traceSeconds, window: next });
            batcher.reconfigure(systemOf(next));
          },
          submit: (arrival) =>
            batcher.submit({
              size: arrival.size,
              input: requestInput(argv.input, arrival.size, argv['max-length']),
            }),
        });
      } catch (error) {
        failure = error;
      } finally {
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
      await batcher.close();
      await outcome?.allSettled;
      progress.stop();
      const endEpochMs = Date.now();
      await provider.dispose?.();
      await Promise.all([requestsWriter.close(), batchesWriter.close()]);

      const stats = batcher.stats();
      const counts = outcome?.counts() ?? {
        submitted: stats.submitted,
        resolved: stats.resolved,
        rejected: stats.rejected,
        rejectedByCode: {},
        settledTwice: 0,
      };
      const document: RunDocument = {
        schema: 'mbs.run',
        version: 1,
        startEpochMs,
        endEpochMs,
        configPath: argv.config,
        configuration: config,
        trace: {
          source: trace.metadata.source,
          format: trace.metadata.format,
          ...(trace.metadata.sizeUnit === undefined ? {} : { sizeUnit: trace.metadata.sizeUnit }),
          ...(failure === undefined ? { report: trace.report() } : {}),
        },
        provider: argv.provider,
        ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
        ...(connection.region === undefined ? {} : { region: connection.region }),
        prefix: argv.prefix,
        pricing: pricing.name,
        functionNames,
        speed: argv.speed,
        ...(argv.limit === undefined ? {} : { limit: argv.limit }),
        seed: argv.seed,
        input: argv.input,
        windowSwitches,
        counts: {
          ...counts,
          requestRecords: requestsWriter.linesWritten(),
          batchRecords: batchesWriter.linesWritten(),
          retries: stats.retries,
          doubleSettlements: stats.doubleSettlements,
          callbackErrors: stats.callbackErrors,
        },
        replay: {
          traceSpanSeconds: outcome?.traceSpanSeconds ?? 0,
          maxLagSeconds: outcome?.maxLagSeconds ?? 0,
          interrupted: outcome?.interrupted ?? false,
        },
        summary: accumulator.summary(),
        verdict: {
          maxFailedShare: argv['max-failed'],
          ...(stoppedBecause === undefined ? {} : { stoppedBecause }),
          ...(() => {
            const failure = runFailure(counts, argv['max-failed'], stoppedBecause);
            return failure === undefined ? {} : { failure };
          })(),
        },
        ...(failure === undefined
          ? {}
          : {
              error: {
                code: (failure as MbsError).code ?? 'ERROR',
                message: String((failure as Error).message ?? failure),
              },
            }),
      };
      await writeFile(
        join(argv.out, RUN_DOCUMENT_FILE),
        `${JSON.stringify(document, null, 2)}\n`,
        'utf8',
      );
      if (failure !== undefined) throw failure;
      if (counts.submitted !== counts.resolved + counts.rejected) {
        throw errors.error(
          'INTERNAL',
          `mbs run: ${counts.submitted} requests submitted but ${counts.resolved} resolved and ${counts.rejected} rejected`,
          { details: { ...counts } },
        );
      }
      printResult(context, argv, document, () => formatRunText(document, argv.out));
      if (document.verdict.failure !== undefined) {
        context.io.stderr(`mbs: run failed: ${document.verdict.failure}\n`);
        context.exitCode = EXIT_RUNTIME_ERROR;
      }
    },
  };
}
