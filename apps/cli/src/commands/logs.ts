import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfigurationDocument, ConfigurationPrediction } from '@mbs/core';
import { formatSeconds, formatUsd } from '@mbs/core';
import type { RunSummary } from '@mbs/logs';
import type { Argv, CommandModule } from 'yargs';
import { costSplitLines, signedPercent } from '../compare/cost-split.js';
import { recordsOrigin } from '../compare/records-origin.js';
import { readServeDocument } from '../compare/serve-facts.js';
import { type SummaryPrediction, summaryPrediction } from '../compare/summary-prediction.js';
import type { CommandContext, GlobalOptions } from '../context.js';
import { printResult, warn } from '../context.js';
import { errors } from '../errors.js';
import { formatLatencyLine } from '../figures.js';
import {
  type ConfigurationOption,
  configurationOptionBuilder,
  readConfigurationFile,
} from '../options/document-options.js';
import { optionError } from '../options/option-error.js';
import {
  connectionSettings,
  lambdaApiProvider,
  type ProviderOptions,
  providerOptionsBuilder,
} from '../options/provider-options.js';
import { type PricingOption, pricingOptionBuilder, resolvePricing } from '../resolvers/pricing.js';
import { RUN_DOCUMENT_FILE, type RunDocument, readRunDocument } from '../run/run-document.js';
import { configurationFunctionNames, parseTimeOption } from '../run/run-inputs.js';
import { formatTable } from '../table.js';

/** Arguments of `mbs logs collect`. */
export interface LogsCollectArguments extends GlobalOptions, ConfigurationOption, ProviderOptions {
  readonly since: string;
  readonly until: string;
  readonly out: string;
}

/** Arguments of `mbs logs summarize`. */
export interface LogsSummarizeArguments extends GlobalOptions, PricingOption {
  readonly directory: string;
  readonly config?: string;
  readonly window?: number;
  readonly 'check-deployment': boolean;
}

/** Unmatched record ids listed in `--json` output, at most this many per side. */
const UNMATCHED_SAMPLES = 20;

function collectCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, LogsCollectArguments> {
  return {
    command: 'collect',
    describe:
      "Read the functions' invocation records (REPORT lines) from CloudWatch Logs into DIR/invocations.jsonl",
    builder: (yargs: Argv<GlobalOptions>) => {
      const timeOptions = configurationOptionBuilder(
        yargs,
        'Configuration document whose functions are read',
      )
        .option('since', {
          type: 'string',
          demandOption: true,
          describe: 'Start: ISO-8601 date-time or epoch milliseconds (run.json startEpochMs)',
        })
        .option('until', {
          type: 'string',
          demandOption: true,
          describe: 'End: ISO-8601 date-time or epoch milliseconds (run.json endEpochMs)',
        })
        .option('out', {
          type: 'string',
          demandOption: true,
          describe: 'Run directory to write invocations.jsonl into',
        });
      return providerOptionsBuilder(
        timeOptions,
        'CloudWatch Logs',
        context.plugins,
      ) as unknown as Argv<LogsCollectArguments>;
    },
    handler: async (argv) => {
      const startMs = parseTimeOption(argv.since, '--since');
      const endMs = parseTimeOption(argv.until, '--until');
      if (endMs < startMs) {
        throw optionError(
          '--until',
          `(${new Date(endMs).toISOString()}) is before --since (${new Date(startMs).toISOString()})`,
        );
      }
      const provider = lambdaApiProvider(context.plugins, argv.provider, 'mbs logs collect');
      const connection = connectionSettings({ ...argv, provider });
      const config = await readConfigurationFile(argv.config);
      const functionNames = await configurationFunctionNames(config, argv.prefix);
      const { collectInvocationRecords, RUN_LOG_FILES, writeJsonLines } = await import('@mbs/logs');
      let lastProgressMs = 0;
      const collection = await collectInvocationRecords({
        ...connection,
        functionNames,
        startMs,
        endMs,
        onProgress: ({ functionName, pages, events }) => {
          const now = Date.now();
          if (now - lastProgressMs < 2000) return;
          lastProgressMs = now;
          context.io.stderr(
            `mbs logs collect: ${functionName}: ${pages} pages, ${events} events\n`,
          );
        },
      });
      const path = join(argv.out, RUN_LOG_FILES.invocations);
      await writeJsonLines(path, collection.invocations);
      const functions = collection.functions.map((summary) => ({
        functionName: summary.functionName,
        logGroupFound: summary.logGroupFound,
        pages: summary.pages,
        events: summary.events,
        invocations: summary.invocations,
        incomplete: summary.incompleteRequestIds.length,
        unknownLines: summary.lineCounts.unknown,
      }));
      const result = {
        path,
        startMs,
        endMs,
        invocations: collection.invocations.length,
        throttledRetries: collection.throttledRetries,
        lineCounts: collection.lineCounts,
        functions,
      };
      printResult(context, argv, result, () =>
        [
          `Collected ${result.invocations} invocation records from ${functions.length} functions (${new Date(startMs).toISOString()} .. ${new Date(endMs).toISOString()})`,
          '',
          formatTable(functions, [
            { header: 'function', value: (row) => row.functionName },
            { header: 'log group', value: (row) => (row.logGroupFound ? 'found' : 'missing') },
            { header: 'pages', value: (row) => String(row.pages), align: 'right' },
            { header: 'events', value: (row) => String(row.events), align: 'right' },
            { header: 'invocations', value: (row) => String(row.invocations), align: 'right' },
            { header: 'incomplete', value: (row) => String(row.incomplete), align: 'right' },
            { header: 'unknown lines', value: (row) => String(row.unknownLines), align: 'right' },
          ]),
          `Wrote ${path}`,
          '',
        ].join('\n'),
      );
    },
  };
}

/** The window to compare with: the given one, else the window the run started in. */
function windowOf(
  config: ConfigurationDocument | undefined,
  window: number | undefined,
  run: RunDocument | undefined,
): number {
  const index = window ?? run?.windowSwitches[0]?.window ?? 0;
  if (config !== undefined && (index < 0 || index >= config.windows.length)) {
    throw optionError(
      '--window',
      `${index}: the configuration has windows 0..${config.windows.length - 1}`,
      index,
    );
  }
  return index;
}

const percent = (share: number) =>
  Number.isFinite(share) ? `${(share * 100).toFixed(1)} %` : 'n/a';

const METRIC_LABELS: Record<string, { label: string; format: (value: number) => string }> = {
  latencyPercentileSeconds: { label: 'latency percentile', format: formatSeconds },
  meanLatencySeconds: { label: 'mean latency', format: formatSeconds },
  costPerRequestUsd: { label: 'cost per request', format: (value) => formatUsd(value) },
  invocationsPerSecond: { label: 'invocations / s', format: (value) => value.toFixed(2) },
  paddingShare: { label: 'padding share (by class)', format: percent },
};

/** The padding line: by real request sizes, and by class as the model pads when measured. */
function formatPaddingLine(padding: RunSummary['padding']): string {
  const bySizes = `${percent(padding.byRequestSizesShare)} of batch input by request sizes`;
  return padding.byClass === undefined
    ? `  padding: ${bySizes}`
    : `  padding: ${bySizes}, ${percent(padding.byClass.share)} by class (padded to class sizes, as the model pads)`;
}

/** The lines that say what the prediction is and whether its profile is the deployed one's. */
function formatPredictionBasis(basis: SummaryPrediction): string[] {
  const lines = [basis.label];
  if (basis.notReevaluated !== undefined) {
    lines.push(
      `warning: the prediction is the one stored for the load the window was solved for, not the load this run offered: ${basis.notReevaluated}`,
    );
  }
  if (basis.profile.matches) lines.push(basis.profile.message);
  else lines.push(`warning: ${basis.profile.message}`, `  fix: ${basis.profile.fix}`);
  if (basis.deploymentProblem !== undefined) {
    lines.push(
      `  (the deployed functions could not be read: ${basis.deploymentProblem}; the profile was checked from the configuration only)`,
    );
  }
  return lines;
}

function formatSummaryText(
  directory: string,
  summary: RunSummary,
  prediction: ConfigurationPrediction | undefined,
  window: number,
  basis: SummaryPrediction | undefined,
): string {
  const lines = [
    `Run ${directory}: ${summary.requests.total} requests (${summary.requests.succeeded} succeeded, ${summary.requests.failed} failed), ${summary.invocations.batches} batches, ${summary.invocations.total} invocation records (${summary.invocations.coldStarts} cold, ${summary.invocations.errors} errors)`,
    `  latency: ${formatLatencyLine(summary.latencySeconds)}  mean ${formatSeconds(summary.latencySeconds.mean)}`,
    `  cost: ${formatUsd(summary.cost.fromBilledDurationsUsd)} from billed durations, ${formatUsd(summary.cost.fromBatchRecordsUsd)} from batch records (matched difference ${(summary.cost.matchedRelativeDifference * 100).toFixed(3)} %${summary.cost.withinTolerance ? ', within tolerance' : ', OUTSIDE tolerance'}); ${formatUsd(summary.cost.perRequestUsd)} per request, ${summary.cost.gbSeconds.toFixed(3)} GB-s`,
    `  invocations: ${Number.isFinite(summary.invocations.perSecond) ? summary.invocations.perSecond.toFixed(2) : 'n/a'} per second over ${formatSeconds(summary.runSeconds)}`,
    formatPaddingLine(summary.padding),
    `  join: ${summary.join.matched} batches matched to invocations; unmatched: ${summary.join.unmatchedBatches} batches, ${summary.join.unmatchedInvocations} invocations, ${summary.join.unmatchedRequests} requests`,
    '',
  ];
  if (prediction === undefined || summary.comparison === undefined) {
    lines.push(
      `No prediction in window ${window} of the configuration (mbs solve stores one); nothing to compare.`,
      '',
    );
    return lines.join('\n');
  }
  lines.push(
    ...(basis === undefined ? [] : formatPredictionBasis(basis)),
    `Against the model's prediction (window ${window}, p${prediction.percentile > 1 ? prediction.percentile : prediction.percentile * 100} latency):`,
    formatTable(summary.comparison, [
      { header: 'metric', value: (row) => METRIC_LABELS[row.metric]?.label ?? row.metric },
      {
        header: 'measured',
        value: (row) => METRIC_LABELS[row.metric]?.format(row.measured) ?? String(row.measured),
        align: 'right',
      },
      {
        header: 'predicted',
        value: (row) => METRIC_LABELS[row.metric]?.format(row.predicted) ?? String(row.predicted),
        align: 'right',
      },
      { header: 'error', value: (row) => signedPercent(row.relativeError), align: 'right' },
    ]),
  );
  const cost = summary.comparison.find((row) => row.metric === 'costPerRequestUsd');
  if (summary.serviceTime !== undefined && cost !== undefined) {
    lines.push(...costSplitLines(summary.serviceTime, cost.predicted, cost.measured));
  }
  return lines.join('\n');
}

/**
 * Refuses run logs that cannot be summarised truthfully: no request records (every figure would
 * be NaN), duplicated invocation or batch records (they would count a cost twice), or no batch
 * matched to any invocation record (the invocations are of another run, e.g. an old file left in
 * the folder). Unmatched records beside matched ones are a warning: the join line shows them.
 */
function checkRunLogs(
  directory: string,
  logs: { readonly batches: readonly unknown[]; readonly requests: readonly unknown[] },
  joined: {
    readonly joined: readonly unknown[];
    readonly unmatchedBatches: readonly unknown[];
    readonly unmatchedInvocations: readonly unknown[];
    readonly duplicateInvocationIds: readonly string[];
    readonly duplicateBatchIds: readonly string[];
  },
  onWarning: (message: string) => void,
): void {
  const file = (name: string) => join(directory, name);
  if (logs.requests.length === 0) {
    throw errors.error(
      'IO',
      `${file('requests.jsonl')} holds no request records; there is nothing to summarize (did the run submit any request?)`,
      { details: { path: file('requests.jsonl') } },
    );
  }
  for (const [ids, name, what] of [
    [joined.duplicateInvocationIds, 'invocations.jsonl', 'invocation records (requestId)'],
    [joined.duplicateBatchIds, 'batches.jsonl', 'batch records (batchId)'],
  ] as const) {
    if (ids.length === 0) continue;
    throw errors.error(
      'IO',
      `${file(name)} holds duplicated ${what}: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}; each would be counted twice in the cost. Collect again into a fresh folder (mbs logs collect overwrites ${name})`,
      { details: { path: file(name), duplicates: ids.length } },
    );
  }
  if (logs.batches.length > 0 && joined.joined.length === 0) {
    throw errors.error(
      'IO',
      `${directory}: none of the ${logs.batches.length} batch records matches an invocation record of ${file('invocations.jsonl')} (by invocation id); the invocation records are of another run or window. Collect them with mbs logs collect --since/--until from this run's run.json`,
      { details: { directory, batches: logs.batches.length } },
    );
  }
  if (joined.unmatchedBatches.length > 0 || joined.unmatchedInvocations.length > 0) {
    onWarning(
      `${directory}: ${joined.unmatchedBatches.length} batch records and ${joined.unmatchedInvocations.length} invocation records are unmatched; the cost from billed durations counts unmatched invocations, the matched difference does not`,
    );
  }
}

function summarizeCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, LogsSummarizeArguments> {
  return {
    command: 'summarize <directory>',
    describe:
      "Summarize a run directory: latency quantiles, cost from billed durations, padding, against the model's prediction",
    builder: (yargs: Argv<GlobalOptions>) =>
      pricingOptionBuilder(
        yargs
          .positional('directory', {
            type: 'string',
            demandOption: true,
            describe: 'Run directory (mbs run --out, then mbs logs collect --out)',
          })
          .option('config', {
            type: 'string',
            describe: "Configuration with the prediction (default: the run's, from run.json)",
          }),
        context.plugins,
        "the run's, else the configuration's, else aws-x86",
      )
        .option('window', {
          type: 'number',
          describe: 'Window whose prediction to compare with (default: the one the run started in)',
        })
        .option('check-deployment', {
          type: 'boolean',
          default: true,
          describe:
            "Read the functions' environment (mbs deploy records the package there) to check that the profile was measured for the package they run",
        }) as unknown as Argv<LogsSummarizeArguments>,
    handler: async (argv) => {
      const run = await readRunDocument(argv.directory);
      const config =
        argv.config === undefined ? run?.configuration : await readConfigurationFile(argv.config);
      const { RUN_LOG_FILES, readRunDirectory, summarizeRun, joinRecords } = await import(
        '@mbs/logs'
      );
      const invocationsPath = join(argv.directory, RUN_LOG_FILES.invocations);
      try {
        await access(invocationsPath);
      } catch {
        throw errors.error(
          'IO',
          `${invocationsPath} is missing; collect the invocation records first with mbs logs collect --out ${argv.directory}`,
          { details: { path: invocationsPath } },
        );
      }
      const pricing = await resolvePricing(context.plugins, argv.pricing, [
        { name: run?.pricing, from: join(argv.directory, RUN_DOCUMENT_FILE) },
        { name: config?.pricing, from: argv.config ?? join(argv.directory, RUN_DOCUMENT_FILE) },
      ]);
      const logs = await readRunDirectory(argv.directory);
      const joined = joinRecords(logs.invocations, logs.batches, logs.requests);
      checkRunLogs(argv.directory, logs, joined, (message) => warn(context, message));
      const window = windowOf(config, argv.window, run);
      const serve = run === undefined ? await readServeDocument(argv.directory) : undefined;
      const origin = config === undefined ? undefined : await recordsOrigin(config, run, serve);
      const basis =
        config === undefined
          ? undefined
          : await summaryPrediction({
              plugins: context.plugins,
              config,
              configPath: argv.config ?? join(argv.directory, RUN_DOCUMENT_FILE),
              window,
              requests: logs.requests,
              pricing,
              readDeployment: argv['check-deployment'],
              ...(origin === undefined ? {} : { origin }),
            });
      const prediction = basis?.prediction;
      const summary = summarizeRun({
        ...logs,
        pricing,
        ...(prediction === undefined ? {} : { prediction }),
        ...(basis?.profileModel === undefined ? {} : { profile: basis.profileModel }),
        // The sizes the prediction padded to: recorded by mbs solve; older documents keep only
        // the upper edges, to which the workloads mbs fit writes pad each class.
        ...(config === undefined
          ? {}
          : {
              classRepresentativeSizes: config.classRepresentativeSizes ?? config.classUpperEdges,
            }),
      });
      const result = {
        directory: argv.directory,
        pricing: pricing.name,
        window,
        prediction: prediction ?? null,
        predictionBasis:
          basis === undefined
            ? null
            : {
                label: basis.label,
                offered: basis.offered ?? null,
                reevaluated: basis.reevaluated ?? null,
                storedPrediction: config?.windows[window]?.prediction ?? null,
                notReevaluated: basis.notReevaluated ?? null,
                profile: basis.profile,
                deploymentProblem: basis.deploymentProblem ?? null,
              },
        ...summary,
        unmatched: {
          batchIds: joined.unmatchedBatches
            .slice(0, UNMATCHED_SAMPLES)
            .map((batch) => batch.batchId),
          invocationIds: joined.unmatchedInvocations
            .slice(0, UNMATCHED_SAMPLES)
            .map((invocation) => invocation.requestId),
          requestIds: joined.unmatchedRequests
            .slice(0, UNMATCHED_SAMPLES)
            .map((request) => request.requestId),
          duplicateInvocationIds: joined.duplicateInvocationIds.slice(0, UNMATCHED_SAMPLES),
          duplicateBatchIds: joined.duplicateBatchIds.slice(0, UNMATCHED_SAMPLES),
        },
      };
      printResult(context, argv, result, () =>
        formatSummaryText(argv.directory, summary, prediction, window, basis),
      );
    },
  };
}

/** `mbs logs collect|summarize`: the platform's invocation records, joined with a run's records. */
export function logsCommand(context: CommandContext): CommandModule<GlobalOptions, GlobalOptions> {
  return {
    command: 'logs',
    describe: 'Collect Lambda invocation records from CloudWatch Logs and summarize a run',
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .command(collectCommand(context))
        .command(summarizeCommand(context))
        .demandCommand(1, 'Name an action: collect or summarize.'),
    handler: () => {
      // The subcommands do the work; yargs only lands here for an unknown action, which
      // strict mode has already refused.
    },
  };
}
