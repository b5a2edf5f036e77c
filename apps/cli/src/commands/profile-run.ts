import { LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES } from '@mbs/core';
import { planProfile, pointKey } from '@mbs/profiles';
import { optionError } from '../options/option-error.js';
import type { MeasurementSetup } from './profile-log.js';
import { measurementLogPath } from './profile-log.js';
import { checkProfileOptions, type ProfileArguments, repetitionRule } from './profile-options.js';
import { functionNameOf } from './profile-provider.js';
import {
  batchEventBuilder,
  defaultEncoding,
  loadHandlerPackage,
  parseBatchSizes,
  parseMemories,
  resolveClasses,
  resolveDescriptor,
  resolveFunctionCode,
} from './profile-setup.js';

/** Everything a `mbs profile` run needs, resolved from its options before anything is deployed. */
export type ProfileRun = Awaited<ReturnType<typeof resolveProfileRun>>;

/**
 * Checks the options and resolves the run: the repetition rule, the classes and the sizes sent,
 * the package and its model descriptor, the plan (and the designed subset, for --hold-out), the
 * batch events, the functions and the measurement log's setup. A batch over Lambda's request
 * limit is refused here, before anything is deployed.
 */
export async function resolveProfileRun(argv: ProfileArguments) {
  checkProfileOptions(argv);
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
  const largestBatch = plan.grid.batchSizes.at(-1)!;
  const payloadBytes = sentSizes.map(
    (_, classIndex) => JSON.stringify(batchEvent(classIndex, largestBatch)).length,
  );
  const tooLarge = payloadBytes.findIndex((bytes) => bytes > LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES);
  if (tooLarge >= 0) {
    throw optionError(
      '--batch-sizes',
      `${largestBatch} with class ${tooLarge} (size ${sentSizes[tooLarge]}) makes a ${(payloadBytes[tooLarge]! / 1048576).toFixed(1)} MB request, over Lambda's ${LAMBDA_REQUEST_PAYLOAD_LIMIT_BYTES} bytes; lower the largest batch size or the class sizes`,
      largestBatch,
    );
  }

  const functionName = functionNameOf(argv, code);
  const concurrency =
    code.kind === 'function' ? 1 : (argv.concurrency ?? (argv.provider === 'local' ? 1 : 4));
  // Every memory in turn on the emulator this process starts (shared among the measurers, and
  // the emulator is given room for an instance of each); elsewhere the provider's instance limit
  // is not known here, so one at a time.
  const interleave =
    code.kind === 'function'
      ? 1
      : (argv.interleave ??
        (argv.provider === 'local' && argv.endpoint === undefined
          ? Math.ceil(plan.grid.memoriesMb.length / concurrency)
          : 1));
  const logPath = measurementLogPath(argv.out);
  const setup: MeasurementSetup = {
    provider: argv.provider,
    ...(argv.endpoint === undefined ? {} : { endpoint: argv.endpoint }),
    code: code.kind === 'zip' ? `sha256:${code.sha256}` : `function:${code.functionName}`,
    model: descriptor.name,
    classSizes: sentSizes,
    encoding,
  };
  return {
    rule,
    classes,
    code,
    descriptor,
    sentSizes,
    encoding,
    batchEvent,
    plan,
    design,
    payloadBytes,
    functionName,
    concurrency,
    interleave,
    logPath,
    setup,
  };
}
