import type { DeployingProvider, ServiceTimeProfile } from '@mbs/core';
import { isMbsError, MbsError } from '@mbs/core';
import {
  buildMeasuredProfile,
  checkRepetitionRule,
  createParametricProfile,
  DEFAULT_PROFILE_RETRY,
  DEFAULT_REPETITION_RULE,
  estimatePlanCost,
  measureProfile,
  type PlannedPoint,
  type PointMeasurement,
  type ProfilePlan,
  planProfile,
  pointKey,
  type RepetitionRule,
  readMbsProfile,
  writeMeasuredProfile,
} from '@mbs/profiles';
import type { Argv, CommandModule } from 'yargs';
import { type CommandContext, type GlobalOptions, printResult } from '../context.js';
import { EXIT_RUNTIME_ERROR } from '../exit-codes.js';
import { optionError } from '../options/option-error.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../options/provider-options.js';
import { loadBuiltinPlugin } from '../plugins.js';
import { createProgress } from '../progress.js';
import {
  appendMeasurement,
  type MeasurementSetup,
  measurementLogPath,
  openMeasurementLog,
} from './profile-log.js';
import {
  describeRetries,
  formatPlan,
  formatProfile,
  type ProfilePlanSummary,
} from './profile-report.js';
import {
  batchEventBuilder,
  defaultEncoding,
  type FunctionCode,
  loadHandlerPackage,
  parseBatchSizes,
  parseMemories,
  resolveClasses,
  resolveDescriptor,
  resolveFunctionCode,
} from './profile-setup.js';

/** Arguments of `mbs profile`. */
export interface ProfileArguments extends GlobalOptions {
  readonly provider: 'aws' | 'local';
  readonly endpoint?: string;
  readonly region?: string;
  readonly prefix: string;
  readonly zip?: string;
  readonly function?: string;
  readonly descriptor?: string;
  readonly role?: string;
  readonly 'function-timeout': number;
  readonly memories?: string;
  readonly 'batch-sizes'?: string;
  readonly edges?: string;
  readonly sizes?: string;
  readonly workload?: string;
  readonly 'reference-memories'?: string;
  readonly full: boolean;
  readonly 'hold-out': boolean;
  readonly 'min-repetitions': number;
  readonly 'max-repetitions': number;
  readonly 'ci-width': number;
  readonly confidence: number;
  readonly 'warm-up': number;
  readonly 'gap-ms': number;
  readonly concurrency?: number;
  readonly 'max-attempts': number;
  readonly encoding?: 'numbers' | 'base64';
  readonly pricing: string;
  readonly prior?: string;
  readonly out: string;
  readonly restart: boolean;
  readonly 'dry-run': boolean;
  readonly seed: number;
}

// The emulator accepts any role; a recognisable fake keeps CreateFunction's shape.
const LOCAL_ROLE_ARN = 'arn:aws:iam::000000000000:role/mbs-local';

function repetitionRule(argv: ProfileArguments): RepetitionRule {
  const rule = {
    minRepetitions: argv['min-repetitions'],
    maxRepetitions: argv['max-repetitions'],
    relativeWidth: argv['ci-width'],
    confidence: argv.confidence,
  };
  try {
    return checkRepetitionRule(rule);
  } catch (error) {
    const flags: Record<string, string> = {
      minRepetitions: '--min-repetitions',
      maxRepetitions: '--max-repetitions',
      relativeWidth: '--ci-width',
      confidence: '--confidence',
    };
    const option = isMbsError(error) ? String(error.details.option) : '';
    if (flags[option] === undefined) throw error;
    throw optionError(
      flags[option],
      (error as Error).message.replace(/^\[@mbs\/profiles\] \w+ /, ''),
    );
  }
}

function checkCounts(argv: ProfileArguments): void {
  const counts: [string, number, number, number][] = [
    ['--warm-up', argv['warm-up'], 0, 100],
    ['--max-attempts', argv['max-attempts'], 1, 50],
    ['--function-timeout', argv['function-timeout'], 1, 900],
    ['--gap-ms', argv['gap-ms'], 0, 60_000],
  ];
  if (argv.concurrency !== undefined) counts.push(['--concurrency', argv.concurrency, 1, 64]);
  for (const [option, value, min, max] of counts) {
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw optionError(option, `is ${value}; give an integer from ${min} to ${max}`, value);
    }
  }
  if (argv['hold-out'] && !argv.full) {
    throw optionError(
      '--hold-out',
      'needs --full: it fits the designed subset and scores the other measured points',
    );
  }
  if (!/^[A-Za-z0-9-_]{1,50}$/.test(argv.prefix)) {
    throw optionError(
      '--prefix',
      `is ${JSON.stringify(argv.prefix)}; give 1-50 letters, digits, - or _`,
    );
  }
}

/** The provider the options name: the in-process emulator, the emulator at --endpoint, or AWS. */
async function openProvider(argv: ProfileArguments): Promise<DeployingProvider> {
  if (argv.provider === 'local' && argv.endpoint === undefined) {
    return (await loadBuiltinPlugin('provider', 'local', '--provider')) as DeployingProvider;
  }
  const { createAwsLambdaProvider } = await import('@mbs/provider-aws-lambda');
  const local = argv.provider === 'local';
  const region = argv.region ?? (local ? LOCAL_REGION : undefined);
  const role = argv.role ?? (local ? LOCAL_ROLE_ARN : undefined);
  return createAwsLambdaProvider({
    ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
    ...(region === undefined ? {} : { region }),
    ...(local ? { credentials: LOCAL_CREDENTIALS } : {}),
    ...(role === undefined ? {} : { roleArn: role }),
    // The profiler owns retries (with backoff, counted in the report); the SDK must not add its own.
    maxAttempts: 1,
  });
}

/** The profile whose times the price estimate assumes: --prior, else the parametric profile. */
async function priorProfile(argv: ProfileArguments, plan: ProfilePlan) {
  if (argv.prior !== undefined) {
    const profile = await readMbsProfile(argv.prior);
    return { profile, name: argv.prior };
  }
  // The parametric law wants distinct sizes; clamped classes share their size.
  const sizes = plan.grid.classSizes.map((size, index) => size + index * 1e-9);
  const profile = createParametricProfile({
    representativeSizes: sizes,
    maxBatchSize: plan.grid.batchSizes.at(-1)!,
  });
  return {
    profile,
    name: 'the parametric profile (give --prior profile.json for a better estimate)',
  };
}

function expectedDurationMs(profile: ServiceTimeProfile) {
  return (point: PlannedPoint) => {
    const classIndex = Math.min(point.classIndex, profile.classCount - 1);
    const batchSize = Math.min(point.batchSize, profile.maxBatchSize);
    const memoryMb = Math.min(
      Math.max(point.memoryMb, profile.memoryRangeMb.min),
      profile.memoryRangeMb.max,
    );
    return profile.serviceTimeSeconds(memoryMb, classIndex, batchSize) * 1000;
  };
}

function functionNameOf(argv: ProfileArguments, code: FunctionCode) {
  return (memoryMb: number) =>
    code.kind === 'function' ? code.functionName : `${argv.prefix}-m${memoryMb}`;
}

/** Deploys the zip at a memory, or reconfigures the reused function to it. */
function functionPreparer(provider: DeployingProvider, code: FunctionCode, argv: ProfileArguments) {
  return async (memoryMb: number, functionName: string) => {
    if (code.kind === 'function') {
      await provider.configureFunction(functionName, {
        memoryMb,
        timeoutSeconds: argv['function-timeout'],
      });
      return;
    }
    await provider.deployFunction({
      functionName,
      memoryMb,
      timeoutSeconds: argv['function-timeout'],
      zipFile: code.zip,
      handler: 'index.handler',
      runtime: 'nodejs20.x',
    });
  };
}

function progressLine(
  done: number,
  total: number,
  invocations: number,
  retries: number,
  memories: readonly number[],
) {
  const width = 24;
  const filled = total === 0 ? width : Math.round((done / total) * width);
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
    builder: (yargs: Argv<GlobalOptions>) =>
      yargs
        .option('provider', {
          choices: ['aws', 'local'] as const,
          default: 'aws' as const,
          describe:
            'aws: AWS Lambda (standard credential chain); local: the emulator (started here, or at --endpoint)',
        })
        .option('endpoint', {
          type: 'string',
          describe: 'Lambda endpoint URL (e.g. a running mbs emulator)',
        })
        .option('region', {
          type: 'string',
          describe: `AWS region (default: the SDK chain; ${LOCAL_REGION} for local)`,
        })
        .option('prefix', {
          type: 'string',
          default: 'mbs-profile',
          describe: 'Functions are named <prefix>-m<memory>',
        })
        .option('zip', {
          type: 'string',
          describe: 'Deployment package of mbs package (default mbs-lambda.zip)',
        })
        .option('function', {
          type: 'string',
          describe: 'Reuse this deployed function instead: reconfigured to each memory in turn',
        })
        .option('descriptor', {
          type: 'string',
          describe:
            "Model descriptor: default, ppocr or a JSON file (default: the zip's; default with --function)",
        })
        .option('role', {
          type: 'string',
          describe: 'Execution role ARN, needed to create functions on AWS',
        })
        .option('function-timeout', {
          type: 'number',
          default: 60,
          describe: 'Function timeout in seconds',
        })
        .option('memories', {
          type: 'string',
          describe: 'Memory sizes in MB [default: 128,256,512,1024,1769,3008,5308,10240]',
        })
        .option('batch-sizes', {
          type: 'string',
          describe: 'Batch sizes measured [default: 1,2,4,8,16,32]; the table covers 1..largest',
        })
        .option('edges', {
          type: 'string',
          describe: "Class upper edges (default: the built-in workload's 8 classes)",
        })
        .option('sizes', {
          type: 'string',
          describe: 'With --edges: the size sent per class (default: the edges)',
        })
        .option('workload', {
          type: 'string',
          describe: 'Take the classes of this workload (mbs fit --out)',
        })
        .option('reference-memories', {
          type: 'string',
          describe:
            'Memories measured at every batch size and class (default: the one nearest 1769 MB and the largest)',
        })
        .option('full', {
          type: 'boolean',
          default: false,
          describe: 'Measure every point of the grid',
        })
        .option('hold-out', {
          type: 'boolean',
          default: false,
          describe:
            'With --full: fit the designed subset only and report the error on the other points',
        })
        .option('min-repetitions', {
          type: 'number',
          default: DEFAULT_REPETITION_RULE.minRepetitions,
          describe: 'Fewest kept samples per point',
        })
        .option('max-repetitions', {
          type: 'number',
          default: DEFAULT_REPETITION_RULE.maxRepetitions,
          describe: 'Most kept samples per point',
        })
        .option('ci-width', {
          type: 'number',
          default: DEFAULT_REPETITION_RULE.relativeWidth,
          describe: 'Repeat until the confidence interval of the mean is this share of it wide',
        })
        .option('confidence', {
          type: 'number',
          default: DEFAULT_REPETITION_RULE.confidence,
          describe: 'Confidence of that interval',
        })
        .option('warm-up', {
          type: 'number',
          default: 1,
          describe: 'Invocations discarded at the start of each point',
        })
        .option('gap-ms', {
          type: 'number',
          default: 0,
          describe:
            'Pause before each invocation, in ms (in service an instance idles between batches)',
        })
        .option('concurrency', {
          type: 'number',
          describe:
            'Functions measured at once [default: 1 on the emulator, which shares this machine; 4 on AWS]',
        })
        .option('max-attempts', {
          type: 'number',
          default: DEFAULT_PROFILE_RETRY.maxAttempts,
          describe: 'Attempts per invocation while the provider refuses (throttling), with backoff',
        })
        .option('encoding', {
          choices: ['numbers', 'base64'] as const,
          describe:
            'Request data as JSON numbers or base64 [default: numbers for int64 models, as mbs run sends; base64 otherwise]',
        })
        .option('pricing', {
          choices: ['aws-x86', 'aws-arm64'],
          default: 'aws-x86',
          describe: 'Pricing of the estimate',
        })
        .option('prior', {
          type: 'string',
          describe: 'A profile whose times the price estimate assumes',
        })
        .option('out', {
          type: 'string',
          default: 'profile.json',
          describe: 'Profile to write (MBS JSON format)',
        })
        .option('restart', {
          type: 'boolean',
          default: false,
          describe: 'Discard the measurements of an earlier run instead of resuming',
        })
        .option('dry-run', {
          type: 'boolean',
          default: false,
          describe: 'Print the plan, invocation count and estimated price; measure nothing',
        })
        .option('seed', {
          type: 'number',
          default: 1,
          describe: 'Seed of the retry jitter',
        }) as unknown as Argv<ProfileArguments>,
    handler: async (argv) => {
      checkCounts(argv);
      const rule = repetitionRule(argv);
      const memoriesMb = parseMemories(argv.memories);
      const batchSizes = parseBatchSizes(argv['batch-sizes']);
      const references =
        argv['reference-memories'] === undefined
          ? undefined
          : parseMemories(argv['reference-memories']);
      for (const memoryMb of references ?? []) {
        if (!memoriesMb.includes(memoryMb)) {
          throw optionError(
            '--reference-memories',
            `holds ${memoryMb}, which is not in --memories (${memoriesMb.join(', ')})`,
            memoryMb,
          );
        }
      }
      if (argv.out.trim() === '') throw optionError('--out', 'is empty; give the profile path');
      const classes = await resolveClasses(argv);
      const code = await resolveFunctionCode(argv);
      const handler = await loadHandlerPackage();
      const descriptor = await resolveDescriptor(handler, code, argv.descriptor);
      const sentSizes = classes.representativeSizes.map((size) =>
        handler.requestLength(descriptor, size),
      );
      const encoding = argv.encoding ?? defaultEncoding(descriptor);
      const batchEvent = batchEventBuilder(handler, descriptor, sentSizes, encoding);
      const grid = { memoriesMb, batchSizes, classSizes: sentSizes };
      const plan = planProfile(grid, {
        full: argv.full,
        ...(references === undefined ? {} : { referenceMemoriesMb: references }),
      });
      const design = new Set(
        planProfile(
          grid,
          references === undefined ? {} : { referenceMemoriesMb: references },
        ).points.map(pointKey),
      );

      // Lambda refuses a request over 6 MB: say so before deploying anything.
      const { INVOKE_REQUEST_LIMIT_BYTES } = await import('@mbs/provider-aws-lambda');
      const largestBatch = plan.grid.batchSizes.at(-1)!;
      const payloadBytes = sentSizes.map(
        (_, classIndex) => JSON.stringify(batchEvent(classIndex, largestBatch)).length,
      );
      const tooLarge = payloadBytes.findIndex((bytes) => bytes > INVOKE_REQUEST_LIMIT_BYTES);
      if (tooLarge >= 0) {
        throw optionError(
          '--batch-sizes',
          `${largestBatch} with class ${tooLarge} (size ${sentSizes[tooLarge]}) makes a ${(payloadBytes[tooLarge]! / 1048576).toFixed(1)} MB request, over Lambda's ${INVOKE_REQUEST_LIMIT_BYTES} bytes; lower the largest batch size or the class sizes`,
          largestBatch,
        );
      }

      const functionName = functionNameOf(argv, code);
      const concurrency =
        code.kind === 'function' ? 1 : (argv.concurrency ?? (argv.provider === 'local' ? 1 : 4));
      const logPath = measurementLogPath(argv.out);
      const setup: MeasurementSetup = {
        provider: argv.provider,
        ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
        code: code.kind === 'zip' ? `sha256:${code.sha256}` : `function:${code.functionName}`,
        model: descriptor.name,
        classSizes: sentSizes,
        encoding,
      };
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
      const pricing = await loadBuiltinPlugin('pricing', argv.pricing, '--pricing');
      const prior = await priorProfile(argv, plan);
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
        functions: memoriesMb.map((memoryMb) => ({
          memoryMb,
          functionName: functionName(memoryMb),
        })),
        classes: { ...classes, sentSizes },
        plan,
        gridPoints: memoriesMb.length * batchSizes.length * sentSizes.length,
        alreadyMeasured: measured.length,
        rule,
        warmUpInvocations: argv['warm-up'],
        gapMs: argv['gap-ms'],
        concurrency,
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

      const provider = await openProvider(argv);
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
          onProgress: (state) =>
            progress.update(
              progressLine(
                state.pointsDone,
                state.pointsTotal,
                state.invocations,
                state.retries,
                state.activeMemoriesMb,
              ),
            ),
        });
      } catch (error) {
        progress.done();
        const kept = measured.length + written;
        const problem = isMbsError(error)
          ? error
          : new MbsError('PROVIDER_ERROR', `[@mbs/cli] ${(error as Error).message}`, {
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
