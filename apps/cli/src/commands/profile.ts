import { isMbsError, MbsError } from '@mbs/core';
import {
  buildMeasuredProfile,
  DEFAULT_PROFILE_RETRY,
  estimatePlanCost,
  type MeasurementProgress,
  measureProfile,
  type PlannedPoint,
  type PointMeasurement,
  pointKey,
  writeMeasuredProfile,
} from '@mbs/profiles';
import type { CommandModule } from 'yargs';
import { type CommandContext, type GlobalOptions, printResult } from '../context.js';
import { errors } from '../errors.js';
import { EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { createProgress } from '../progress.js';
import { resolvePricing } from '../resolvers/pricing.js';
import { expectedDurationMs, priorProfile } from './profile-estimate.js';
import { appendMeasurement, openMeasurementLog } from './profile-log.js';
import { type ProfileArguments, profileOptionsBuilder } from './profile-options.js';
import { functionPreparer, openProvider } from './profile-provider.js';
import {
  describeRetries,
  formatPlan,
  formatProfile,
  type ProfilePlanSummary,
} from './profile-report.js';
import { resolveProfileRun } from './profile-run.js';

/**
 * The progress bar: filled by the share of the plan done, then the points done, invocations,
 * retries and the memories being measured.
 */
function progressLine({
  pointsDone: done,
  pointsTotal: total,
  share,
  invocations,
  retries,
  activeMemoriesMb: memories,
}: MeasurementProgress) {
  const width = 24;
  const filled = Math.round(Math.min(1, share) * width);
  return `profile [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} points, ${invocations} invocations, ${retries} retried${memories.length > 0 ? `, at ${memories.join(', ')} MB` : ''}`;
}

/**
 * `mbs profile`: measures the service time of the packaged handler over (memory, class, batch
 * size) on a provider and writes the profile `mbs solve --profile` reads.
 */
export function profileCommand(
  context: CommandContext,
): CommandModule<GlobalOptions, ProfileArguments> {
  return {
    command: 'profile',
    describe:
      'Measure service times of the packaged handler per memory, class and batch size, and write the profile mbs solve reads',
    builder: (yargs) => profileOptionsBuilder(yargs, context.plugins),
    handler: async (argv) => {
      const run = await resolveProfileRun(argv);
      const { rule, classes, code, descriptor, sentSizes, encoding, batchEvent, plan, design } =
        run;
      const { payloadBytes, functionName, concurrency, interleave, logPath, setup } = run;
      const log = argv['dry-run']
        ? { points: [] as PointMeasurement[], coldStarts: [], retries: [], tornLine: false }
        : await openMeasurementLog(logPath, setup, argv.restart);
      if (log.tornLine)
        context.io.stderr(
          `mbs profile: dropped a torn last line of ${logPath} (a run killed while writing)\n`,
        );
      const planned = new Set(plan.points.map(pointKey));
      const measured = log.points.filter((point) => planned.has(pointKey(point)));
      const measuredKeys = new Set(measured.map(pointKey));
      const pricing = await resolvePricing(context.plugins, argv.pricing);
      const prior = await priorProfile(argv.prior, plan);
      const cost = estimatePlanCost(plan, {
        pricing,
        rule,
        warmUpInvocations: argv['warm-up'],
        expectedDurationMs: expectedDurationMs(prior.profile),
        skip: (point) => measuredKeys.has(pointKey(point)),
      });
      const summary: ProfilePlanSummary = {
        provider:
          argv.provider === 'local'
            ? argv.endpoint === undefined
              ? 'the local emulator (in this process)'
              : `the emulator at ${argv.endpoint}`
            : `AWS Lambda${argv.endpoint === undefined ? '' : ` at ${argv.endpoint}`}`,
        model: descriptor.name,
        code:
          code.kind === 'zip'
            ? `${code.path}, sha256 ${code.sha256.slice(0, 12)}`
            : `function ${code.functionName}`,
        functions: plan.grid.memoriesMb.map((memoryMb) => ({
          memoryMb,
          functionName: functionName(memoryMb),
        })),
        classes: { ...classes, sentSizes },
        plan,
        gridPoints: plan.grid.memoriesMb.length * plan.grid.batchSizes.length * sentSizes.length,
        alreadyMeasured: measured.length,
        rule,
        warmUpInvocations: argv['warm-up'],
        gapMs: argv['gap-ms'],
        concurrency,
        interleave,
        largestPayloadBytes: Math.max(...payloadBytes),
        cost,
        pricing: pricing.name,
        prior: prior.name,
        out: argv.out,
        log: logPath,
      };
      const planJson = {
        provider: summary.provider,
        model: summary.model,
        code: setup.code,
        classes: summary.classes,
        memoriesMb: plan.grid.memoriesMb,
        batchSizes: plan.grid.batchSizes,
        referenceMemoriesMb: plan.referenceMemoriesMb,
        full: plan.full,
        points: plan.points.length,
        gridPoints: summary.gridPoints,
        alreadyMeasured: measured.length,
        rule,
        warmUpInvocations: argv['warm-up'],
        gapMs: argv['gap-ms'],
        concurrency,
        interleave,
        functions: summary.functions,
        invocations: cost.invocations,
        estimatedPriceUsd: cost.priceUsd,
        estimatedDurationSeconds: cost.durationSeconds,
        pricing: pricing.name,
        prior: prior.name,
      };
      if (argv['dry-run']) {
        printResult(
          context,
          argv,
          { dryRun: true, plan: planJson },
          () => `${formatPlan(summary)}Dry run: nothing was deployed or invoked.\n`,
        );
        return;
      }
      if (!argv.json) context.io.stderr(formatPlan(summary));

      const provider = await openProvider(argv, concurrency * interleave);
      const controller = new AbortController();
      const onSignal = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const progress = createProgress(context.io);
      const started = Date.now();
      let measurement: Awaited<ReturnType<typeof measureProfile>>;
      let written = 0;
      try {
        measurement = await measureProfile({
          provider,
          plan,
          classSizes: sentSizes,
          functionName,
          prepareFunction: functionPreparer(provider, code, argv),
          batchEvent,
          rule,
          warmUpInvocations: argv['warm-up'],
          gapMs: argv['gap-ms'],
          concurrency,
          interleave,
          retry: { ...DEFAULT_PROFILE_RETRY, maxAttempts: argv['max-attempts'] },
          seed: argv.seed,
          measured,
          signal: controller.signal,
          onPoint: async (point) => {
            await appendMeasurement(logPath, { kind: 'point', ...point });
            written++;
          },
          onColdStart: (coldStart) =>
            appendMeasurement(logPath, { kind: 'cold-start', ...coldStart }),
          onRetry: (retry) => {
            void appendMeasurement(logPath, { kind: 'retry', ...retry });
          },
          onProgress: (state) => progress.update(progressLine(state)),
        });
      } catch (error) {
        progress.done();
        const kept = measured.length + written;
        const problem = isMbsError(error)
          ? error
          : errors.error('PROVIDER_ERROR', `${(error as Error).message}`, {
              cause: error,
            });
        throw new MbsError(
          problem.code,
          `${problem.message}\n${kept} measured point(s) are kept in ${logPath}; fix the problem and run the same command to resume`,
          {
            cause: error,
            details: { ...problem.details, measurementLog: logPath, keptPoints: kept },
          },
        );
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await provider.dispose();
      }
      progress.done();
      const elapsedSeconds = (Date.now() - started) / 1000;
      if (measurement.interrupted) {
        context.io.stderr(
          `mbs profile: interrupted; ${measurement.points.length} of ${plan.points.length} points are measured and kept in ${logPath}; run the same command to resume (${describeRetries(measurement.retries)})\n`,
        );
        context.exitCode = EXIT_RUNTIME_ERROR;
        return;
      }
      const { document } = buildMeasuredProfile({
        plan,
        points: measurement.points,
        coldStarts: [...log.coldStarts, ...measurement.coldStarts],
        confidence: rule.confidence,
        ...(argv['hold-out']
          ? { fitOn: (point: PlannedPoint) => design.has(pointKey(point)) }
          : {}),
        classes: {
          upperEdges: classes.upperEdges,
          representativeSizes: classes.representativeSizes,
        },
        source: {
          provider: argv.provider,
          ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
          model: descriptor.name,
          code: setup.code,
          encoding,
          functions: summary.functions,
          measurementLog: logPath,
        },
      });
      await writeMeasuredProfile(argv.out, document);
      const result = {
        out: argv.out,
        measurementLog: logPath,
        elapsedSeconds,
        invocations: measurement.invocations,
        retries: { total: measurement.retries.length, records: measurement.retries },
        plan: planJson,
        measurement: document.measurement,
      };
      printResult(context, argv, result, () =>
        formatProfile(document, {
          out: argv.out,
          log: logPath,
          elapsedSeconds,
          invocations: measurement.invocations,
          retries: measurement.retries,
        }),
      );
    },
  };
}
