import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BufferConfiguration, ConfigurationWindow } from '@mbs/core';
import { classSchemeFromEdges, formatSeconds, formatUsd } from '@mbs/core';
import type { ReplayOptions, ReplayStatistics, ReplaySummary } from '@mbs/sim';
import type { Argv, CommandModule } from 'yargs';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult, warn } from '../context.js';
import { errors } from '../errors.js';
import {
  type ConfigurationOption,
  configurationOptionBuilder,
  readConfigurationFile,
} from '../options/document-options.js';
import { checkCountOption, optionError } from '../options/option-error.js';
import { checkSameClassEdges, configurationClasses } from '../resolvers/classes.js';
import { type PricingOption, pricingOptionBuilder, resolvePricing } from '../resolvers/pricing.js';
import {
  configurationProfile,
  type ProfileOption,
  profileOptionBuilder,
  resolveProfile,
} from '../resolvers/profile.js';
import {
  openClassedTrace,
  TRACE_SOURCE_HELP,
  type TraceReaderOptions,
  traceReaderOptionsBuilder,
  traceSource,
} from '../resolvers/trace.js';
import { resolveWorkload, type WorkloadOptions } from '../resolvers/workload.js';
import { formatTable } from '../table.js';

/** Arguments of `mbs simulate`. */
export interface SimulateArguments
  extends GlobalOptions,
    ConfigurationOption,
    TraceReaderOptions,
    WorkloadOptions,
    ProfileOption,
    PricingOption {
  readonly trace?: string;
  readonly requests?: number;
  readonly seed: number;
  readonly window: number;
  readonly records?: string;
  readonly 'cold-start-ms'?: number;
  readonly 'keep-warm': number;
  readonly percentile?: number;
}

/** Requests sampled from a workload's MAP when `--requests` is not given. */
export const DEFAULT_SIMULATED_REQUESTS = 100_000;

/** A JSON Lines file written synchronously in large chunks, so millions of records stay cheap. */
function openJsonLinesFile(path: string) {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'w');
  } catch (error) {
    throw errors.error('IO', `--records: cannot write ${path} (${(error as Error).message})`, {
      cause: error,
    });
  }
  let pending: string[] = [];
  let pendingLength = 0;
  let lines = 0;
  const drain = () => {
    if (pending.length > 0) writeSync(descriptor, pending.join(''));
    pending = [];
    pendingLength = 0;
  };
  return {
    write(value: unknown) {
      const line = `${JSON.stringify(value)}\n`;
      pending.push(line);
      pendingLength += line.length;
      lines++;
      if (pendingLength > 1 << 20) drain();
    },
    close(): number {
      drain();
      closeSync(descriptor);
      return lines;
    },
  };
}

function classRange(buffer: BufferConfiguration): string {
  const share = (value: number) => (value < 1 ? `(${Math.round(value * 100)}%)` : '');
  return buffer.firstClass === buffer.lastClass
    ? `${buffer.firstClass}${share(buffer.firstClassShare)}`
    : `${buffer.firstClass}${share(buffer.firstClassShare)}-${buffer.lastClass}${share(buffer.lastClassShare)}`;
}

function summaryTable(window: ConfigurationWindow, summary: ReplaySummary): string {
  const rows: { label: string; buffer?: BufferConfiguration; statistics: ReplayStatistics }[] = [
    ...summary.buffers.map((statistics, index) => ({
      label: String(index),
      buffer: window.system.buffers[index]!,
      statistics,
    })),
    { label: 'all', statistics: summary.overall },
  ];
  const seconds = (value: number) => (Number.isFinite(value) ? formatSeconds(value) : '-');
  const figure = (value: number, digits = 3) =>
    Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : '-';
  return formatTable(rows, [
    { header: 'buffer', value: (row) => row.label },
    { header: 'classes', value: (row) => (row.buffer ? classRange(row.buffer) : '') },
    {
      header: 'B',
      value: (row) => (row.buffer ? String(row.buffer.batchSize) : ''),
      align: 'right',
    },
    {
      header: 'T',
      value: (row) => (row.buffer ? seconds(row.buffer.timeoutSeconds) : ''),
      align: 'right',
    },
    {
      header: 'M MB',
      value: (row) => (row.buffer ? String(row.buffer.memoryMb) : ''),
      align: 'right',
    },
    { header: 'requests', value: (row) => String(row.statistics.requests), align: 'right' },
    { header: 'mean batch', value: (row) => figure(row.statistics.meanBatchSize), align: 'right' },
    { header: 'p50', value: (row) => seconds(row.statistics.p50LatencySeconds), align: 'right' },
    { header: 'p95', value: (row) => seconds(row.statistics.p95LatencySeconds), align: 'right' },
    { header: 'p99', value: (row) => seconds(row.statistics.p99LatencySeconds), align: 'right' },
    { header: 'mean', value: (row) => seconds(row.statistics.meanLatencySeconds), align: 'right' },
    {
      header: '$/request',
      value: (row) => formatUsd(row.statistics.costPerRequestUsd),
      align: 'right',
    },
    {
      header: 'inv/s',
      value: (row) => figure(row.statistics.invocationsPerSecond),
      align: 'right',
    },
    {
      header: 'padding',
      value: (row) => `${(row.statistics.paddingShare * 100).toFixed(1)}%`,
      align: 'right',
    },
    { header: 'cold', value: (row) => String(row.statistics.coldStarts), align: 'right' },
  ]);
}

function predictionLines(window: ConfigurationWindow, summary: ReplaySummary): string {
  const prediction = window.prediction;
  if (!prediction) return '';
  const simulated = summary.overall.latencyPercentilesSeconds[String(prediction.percentile)];
  const percent = `p${Number((prediction.percentile * 100).toPrecision(4))}`;
  return [
    `model vs replay: ${percent} ${formatSeconds(prediction.latencyPercentileSeconds)} vs ${simulated === undefined ? '-' : formatSeconds(simulated)}`,
    `mean ${formatSeconds(prediction.meanLatencySeconds)} vs ${formatSeconds(summary.overall.meanLatencySeconds)}`,
    `$/request ${formatUsd(prediction.costPerRequestUsd)} vs ${formatUsd(summary.overall.costPerRequestUsd)}`,
    `inv/s ${Number(prediction.invocationsPerSecond.toPrecision(3))} vs ${Number(summary.overall.invocationsPerSecond.toPrecision(3))}\n`,
  ].join(', ');
}

/** `mbs simulate`: replays a trace or samples of a fitted workload through a configuration. */
export function simulateCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, SimulateArguments> {
  return {
    command: 'simulate',
    describe:
      'Replay a trace or a fitted workload through a configuration (discrete-event, seeded): latency percentiles, cost, invocations',
    builder: (yargs: Argv<GlobalOptions>) =>
      pricingOptionBuilder(
        profileOptionBuilder(
          traceReaderOptionsBuilder(
            configurationOptionBuilder(yargs)
              .option('trace', {
                type: 'string',
                describe: `Trace to replay: ${TRACE_SOURCE_HELP}`,
              })
              .option('workload', {
                type: 'string',
                describe:
                  'Workload to sample: a workload document (mbs fit --out), or a MAP as D0.csv,D1.csv',
              })
              .option('class-shares', {
                type: 'string',
                describe:
                  'With a MAP (--workload or --trace D0.csv,D1.csv): comma-separated share per class of the configuration (default equal)',
              }),
            context.plugins,
          ),
          context.plugins,
          'the one the configuration was solved with (recorded by mbs solve), else parametric',
        ),
        context.plugins,
        "the configuration's, else aws-x86",
      )
        .option('requests', {
          type: 'number',
          describe: `Requests to replay: at most this many of the trace, or MAP samples (default ${DEFAULT_SIMULATED_REQUESTS})`,
        })
        .option('seed', {
          type: 'number',
          default: 1,
          describe: 'Seed of sampling and split-class routing',
        })
        .option('window', {
          type: 'number',
          default: 0,
          describe: 'Window of the configuration (and workload) to simulate',
        })
        .option('records', {
          type: 'string',
          describe: 'Write requests.jsonl and batches.jsonl to this directory',
        })
        .option('cold-start-ms', {
          type: 'number',
          describe: 'Model cold starts with this init duration (ms)',
        })
        .option('keep-warm', {
          type: 'number',
          default: 600,
          describe: 'With --cold-start-ms: seconds an idle instance stays warm',
        })
        .option('percentile', {
          type: 'number',
          describe: 'Also report this latency percentile, in (0, 1)',
        }) as unknown as Argv<SimulateArguments>,
    handler: async (argv) => {
      if ((argv.trace === undefined) === (argv.workload === undefined)) {
        throw optionError(
          '--trace/--workload',
          'give exactly one: a trace to replay or a workload to sample',
        );
      }
      checkCountOption(argv.requests, '--requests');
      if (!Number.isFinite(argv.seed)) {
        throw optionError('--seed', `is ${argv.seed}; give a number`, argv.seed);
      }
      const coldStartMs = argv['cold-start-ms'];
      if (coldStartMs !== undefined && !(coldStartMs >= 0 && Number.isFinite(coldStartMs))) {
        throw optionError(
          '--cold-start-ms',
          `is ${coldStartMs}; give milliseconds >= 0`,
          coldStartMs,
        );
      }
      if (!(argv['keep-warm'] >= 0)) {
        throw optionError(
          '--keep-warm',
          `is ${argv['keep-warm']}; give seconds >= 0`,
          argv['keep-warm'],
        );
      }
      if (argv.percentile !== undefined && !(argv.percentile > 0 && argv.percentile < 1)) {
        throw optionError(
          '--percentile',
          `is ${argv.percentile}; give a number in (0, 1), e.g. 0.95`,
          argv.percentile,
        );
      }
      const config = await readConfigurationFile(argv.config);
      const windowIndex = argv.window;
      const window = config.windows[windowIndex];
      if (!Number.isInteger(windowIndex) || window === undefined) {
        throw optionError(
          '--window',
          `is ${windowIndex}; ${argv.config} has windows 0..${config.windows.length - 1}`,
          windowIndex,
        );
      }
      // A MAP's requests fall into the configuration's classes, each padded to its upper edge.
      const classes = configurationClasses(config);
      const workload =
        argv.workload === undefined
          ? undefined
          : await resolveWorkload(argv.workload, classes, argv.classShares);
      const workloadWindow =
        workload?.windows[Math.min(windowIndex, (workload?.windows.length ?? 1) - 1)];
      if (workload && workload.classUpperEdges.length !== config.classUpperEdges.length) {
        throw errors.error(
          'CONFIG_INVALID',
          `--workload ${argv.workload} has ${workload.classUpperEdges.length} classes but --config ${argv.config} has ${config.classUpperEdges.length}; simulate the configuration solved for this workload`,
        );
      }
      const representativeSizes = workload?.classRepresentativeSizes ?? config.classUpperEdges;
      if (workload)
        checkSameClassEdges(workload.classUpperEdges, argv.workload!, config, argv.config);
      const onWarning = (message: string) => warn(context, message);
      const profileChoice =
        argv.profile === undefined
          ? await configurationProfile(context.plugins, config, argv.config, onWarning)
          : await resolveProfile(context.plugins, argv.profile, '--profile', onWarning);
      const profile = await profileChoice.forClasses(representativeSizes);
      const pricing = await resolvePricing(context.plugins, argv.pricing, [
        { name: config.pricing, from: argv.config },
      ]);
      const percentiles = [
        ...(argv.percentile === undefined ? [] : [argv.percentile]),
        ...(window.prediction && window.prediction.percentile !== argv.percentile
          ? [window.prediction.percentile]
          : []),
      ];
      let requestFile: ReturnType<typeof openJsonLinesFile> | undefined;
      let batchFile: ReturnType<typeof openJsonLinesFile> | undefined;
      if (argv.records !== undefined) {
        await mkdir(argv.records, { recursive: true });
        requestFile = openJsonLinesFile(join(argv.records, 'requests.jsonl'));
        batchFile = openJsonLinesFile(join(argv.records, 'batches.jsonl'));
      }
      const options: ReplayOptions = {
        system: window.system,
        profile,
        pricing,
        classScheme: classSchemeFromEdges(config.classUpperEdges, representativeSizes),
        seed: argv.seed,
        percentiles,
        ...(coldStartMs === undefined
          ? {}
          : { coldStart: { initDurationMs: coldStartMs, keepWarmSeconds: argv['keep-warm'] } }),
        ...(requestFile ? { onRequest: requestFile.write } : {}),
        ...(batchFile ? { onBatch: batchFile.write } : {}),
      };
      const { replayTrace, simulateMap } = await import('@mbs/sim');
      let summary: ReplaySummary;
      let source: string;
      try {
        if (workloadWindow) {
          const requests = argv.requests ?? DEFAULT_SIMULATED_REQUESTS;
          source = `${argv.workload} window ${workload!.windows.indexOf(workloadWindow)} (${requests} MAP samples)`;
          summary = simulateMap(
            {
              map: workloadWindow.map,
              classShares: workloadWindow.classShares,
              representativeSizes,
            },
            options,
            requests,
          );
        } else {
          // --seed seeds the replay; a MAP trace is sampled with it too, as --workload is.
          const trace = await openClassedTrace(
            context.plugins,
            traceSource(argv.trace!, argv, false),
            classes,
            argv.classShares,
            argv.seed,
          );
          source = `${argv.trace} (${trace.metadata.format})`;
          summary = await replayTrace(trace, {
            ...options,
            ...(argv.requests === undefined ? {} : { maxRequests: argv.requests }),
          });
        }
      } finally {
        const requestRecords = requestFile?.close();
        const batchRecords = batchFile?.close();
        if (argv.records !== undefined) {
          context.io.stderr(
            `wrote ${join(argv.records, 'requests.jsonl')} (${requestRecords} records), batches.jsonl (${batchRecords})\n`,
          );
        }
      }
      const result = {
        config: argv.config,
        window: windowIndex,
        source,
        profile: profile.name,
        pricing: pricing.name,
        seed: argv.seed,
        coldStart:
          coldStartMs === undefined
            ? null
            : { initDurationMs: coldStartMs, keepWarmSeconds: argv['keep-warm'] },
        summary,
      };
      printResult(context, argv, result, () => {
        const header = `${source}: ${summary.overall.requests} requests over ${formatSeconds(summary.spanSeconds)}; profile ${profile.name}, pricing ${pricing.name}, seed ${argv.seed}\n`;
        const extra = percentiles
          .map((percentile) => {
            const value = summary.overall.latencyPercentilesSeconds[String(percentile)];
            return `p${Number((percentile * 100).toPrecision(4))} ${value === undefined || Number.isNaN(value) ? '-' : formatSeconds(value)}`;
          })
          .join(', ');
        return `${header}${summaryTable(window, summary)}${extra ? `latency ${extra}\n` : ''}${predictionLines(window, summary)}`;
      });
    },
  };
}
