import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { ProfileInterpolation, ServiceTimeProfile } from '@mbs/core';
import { lambdaMemoryProblem } from '@mbs/core';
import { BATCH_SIZE_DIP_TOLERANCE, raiseToBatchSizeEnvelope } from './batch-size-envelope.js';
import { errors } from './errors.js';
import { inverseMemoryNeighbours } from './memory-interpolation.js';
import { checkServiceTimeArguments } from './profile-arguments.js';

/** Options of {@link parseMbsProfile} and {@link readMbsProfile}. */
export interface MbsProfileOptions {
  /**
   * `inverse-memory` (default): memories between measured ones are interpolated linearly in
   * 1/memory; `exact`: only measured memories are answered.
   */
  readonly interpolation?: ProfileInterpolation;
  /**
   * Memory range answered with `inverse-memory`, in MB; defaults to the measured range. Memories
   * outside the measured range but inside this one take the nearest measured memory's times.
   */
  readonly memoryRangeMb?: { readonly min: number; readonly max: number };
  /** Plugin name (kebab-case); defaults to the source's file name without extension. */
  readonly name?: string;
  /**
   * Told when the profile was made monotone in batch size: dips within
   * {@link BATCH_SIZE_DIP_TOLERANCE} are raised to the time of the smaller batch (larger dips are
   * refused). Default: the note goes only into the profile's description.
   */
  readonly onWarning?: (message: string) => void;
}

const OPTION_KEYS = ['interpolation', 'memoryRangeMb', 'name', 'onWarning'];

function fail(source: string, path: string, problem: string): never {
  throw errors.error('PROFILE_INVALID', `${source}: ${path} ${problem}`, {
    details: { source, path },
  });
}

function checkOptions(options: MbsProfileOptions, source: string) {
  for (const key of Object.keys(options)) {
    if (!OPTION_KEYS.includes(key)) {
      throw errors.error(
        'OPTION_INVALID',
        `unknown option "${key}" for ${source}; accepted: ${OPTION_KEYS.join(', ')}`,
        { details: { option: key } },
      );
    }
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw errors.error('OPTION_INVALID', `onWarning for ${source} must be a function`, {
      details: { option: 'onWarning' },
    });
  }
  const interpolation = options.interpolation ?? 'inverse-memory';
  if (interpolation !== 'inverse-memory' && interpolation !== 'exact') {
    throw errors.error(
      'OPTION_INVALID',
      `interpolation "${String(interpolation)}" for ${source}; accepted: inverse-memory, exact`,
      { details: { option: 'interpolation', value: interpolation } },
    );
  }
  const fallback = basename(source, extname(source))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const name = options.name ?? (fallback.length > 0 ? fallback : 'mbs-profile');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw errors.error(
      'OPTION_INVALID',
      `name "${name}" for ${source}; accepted: kebab-case letters, digits and dashes`,
      { details: { option: 'name', value: name } },
    );
  }
  return { interpolation, name };
}

/**
 * A service-time profile from the MBS paper's published JSON format:
 * `{"service_time": {"<MB>": [[ms for batch 1..Bmax] for class 0..C-1]}}`. Every memory must list
 * the same number of classes and every class the same number of batch sizes; each entry is a
 * positive time in milliseconds; memories are Lambda's (128..10240 MB). Times must not fall as the
 * batch grows: dips within 5 % (measurement noise) are raised to the monotone envelope, with a
 * warning; larger dips are refused. Errors name the memory, class and batch size of a bad entry.
 *
 * @param value the parsed JSON
 * @param source file name for messages and the default plugin name
 * @example
 * ```ts
 * const profile = parseMbsProfile(JSON.parse(text), 'deepspeech.json');
 * profile.serviceTimeSeconds(2048, 5, 8); // seconds for a batch of 8 padded to class 5
 * ```
 */
export function parseMbsProfile(
  value: unknown,
  source: string,
  options: MbsProfileOptions = {},
): ServiceTimeProfile {
  const { interpolation, name } = checkOptions(options, source);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(source, '(root)', 'must be a JSON object with a "service_time" object');
  }
  const table = (value as Record<string, unknown>).service_time;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    fail(source, 'service_time', 'must be an object keyed by memory size in MB');
  }
  const entries = Object.entries(table as Record<string, unknown>);
  if (entries.length === 0) fail(source, 'service_time', 'lists no memory size');
  const memories = entries.map(([key]) => {
    const memoryMb = Number(key);
    if (!/^\d+$/.test(key) || !(memoryMb >= 1)) {
      fail(source, `service_time["${key}"]`, 'has a key that is not a memory size in whole MB');
    }
    const problem = lambdaMemoryProblem(memoryMb);
    if (problem !== undefined)
      fail(source, `service_time["${key}"]`, `is ${key} MB; memories ${problem}`);
    return memoryMb;
  });
  const order = memories.map((_, index) => index).sort((a, b) => memories[a]! - memories[b]!);
  let classCount = -1;
  let maxBatchSize = -1;
  // One row-major table per memory: times[class * maxBatchSize + batch - 1], in seconds.
  const times: Float64Array[] = [];
  let raisedEntries = 0;
  let largestDip = 0;
  for (const index of order) {
    const [key, classes] = entries[index]!;
    const path = `service_time["${key}"]`;
    if (!Array.isArray(classes) || classes.length === 0) {
      fail(source, path, `(memory ${key} MB) must be a non-empty array of classes`);
    }
    if (classCount < 0) classCount = classes.length;
    if (classes.length !== classCount) {
      fail(
        source,
        path,
        `(memory ${key} MB) lists ${classes.length} classes; the smallest memory lists ${classCount}`,
      );
    }
    if (maxBatchSize < 0 && Array.isArray(classes[0])) maxBatchSize = classes[0].length;
    const table = new Float64Array(classCount * Math.max(maxBatchSize, 0));
    classes.forEach((batches: unknown, classId) => {
      const classPath = `${path}[${classId}]`;
      if (!Array.isArray(batches) || batches.length === 0 || batches.length !== maxBatchSize) {
        fail(
          source,
          classPath,
          `(memory ${key} MB, class ${classId}) must be an array of ${maxBatchSize > 0 ? maxBatchSize : 'one or more'} times, one per batch size; got ${Array.isArray(batches) ? `${batches.length} entries` : JSON.stringify(batches)}`,
        );
      }
      batches.forEach((milliseconds: unknown, batchIndex) => {
        if (
          typeof milliseconds !== 'number' ||
          !Number.isFinite(milliseconds) ||
          milliseconds <= 0
        ) {
          fail(
            source,
            `${classPath}[${batchIndex}]`,
            `(memory ${key} MB, class ${classId}, batch ${batchIndex + 1}) must be a time in ms > 0; got ${JSON.stringify(milliseconds)}`,
          );
        }
        table[classId * maxBatchSize + batchIndex] = milliseconds / 1000;
      });
      const envelope = raiseToBatchSizeEnvelope(
        table,
        classId * maxBatchSize,
        maxBatchSize,
        { source, memoryMb: Number(key), classId },
        { toMilliseconds: 1000 },
      );
      raisedEntries += envelope.raised;
      largestDip = Math.max(largestDip, envelope.largestDip);
    });
    times.push(table);
  }
  const memorySizesMb = order.map((index) => memories[index]!);
  const measuredRange = { min: memorySizesMb[0]!, max: memorySizesMb[memorySizesMb.length - 1]! };
  const memoryRangeMb =
    interpolation === 'exact' ? measuredRange : (options.memoryRangeMb ?? measuredRange);
  if (!(memoryRangeMb.min > 0 && memoryRangeMb.min <= memoryRangeMb.max)) {
    throw errors.error(
      'OPTION_INVALID',
      `memoryRangeMb ${JSON.stringify(memoryRangeMb)} for ${source}; accepted: 0 < min <= max`,
      { details: { option: 'memoryRangeMb' } },
    );
  }
  const coverage = { name, classCount, maxBatchSize, memoryRangeMb };
  const envelopeNote =
    raisedEntries === 0
      ? ''
      : `; ${raisedEntries} entries raised to be monotone in batch size (dips up to ${(largestDip * 100).toFixed(2)} %, within the ${BATCH_SIZE_DIP_TOLERANCE * 100} % noise tolerance)`;
  if (raisedEntries > 0) {
    options.onWarning?.(
      `${source}: ${raisedEntries} service times were lower than the time of the next smaller batch (by up to ${(largestDip * 100).toFixed(2)} %, within the ${BATCH_SIZE_DIP_TOLERANCE * 100} % noise tolerance) and were raised to it, so the profile is monotone in batch size`,
    );
  }
  return {
    specificationVersion: 'v1',
    name,
    description: `Measured service times from ${source} (${memorySizesMb.length} memories ${measuredRange.min}..${measuredRange.max} MB, ${classCount} classes, batch 1..${maxBatchSize}, ${interpolation}${envelopeNote})`,
    memorySizesMb,
    maxBatchSize,
    classCount,
    interpolation,
    memoryRangeMb: { ...memoryRangeMb },
    serviceTimeSeconds(memoryMb, largestClass, batchSize) {
      checkServiceTimeArguments(coverage, memoryMb, largestClass, batchSize);
      const offset = largestClass * maxBatchSize + batchSize - 1;
      if (interpolation === 'exact') {
        const index = memorySizesMb.indexOf(memoryMb);
        if (index < 0) {
          throw errors.error(
            'PROFILE_INVALID',
            `profile "${name}": memory ${memoryMb} MB was not measured and interpolation is exact; measured: ${memorySizesMb.join(', ')}`,
            { details: { profile: name, memoryMb } },
          );
        }
        return times[index]![offset]!;
      }
      const { lower, upper, lowerWeight } = inverseMemoryNeighbours(memorySizesMb, memoryMb);
      const low = times[lower]![offset]!;
      return lower === upper ? low : lowerWeight * low + (1 - lowerWeight) * times[upper]![offset]!;
    },
  };
}

/**
 * Reads a service-time profile in the MBS JSON format from a file (see {@link parseMbsProfile}).
 *
 * @example
 * ```ts
 * const profile = await readMbsProfile('deepspeech-lambda-service-time.json');
 * ```
 */
export async function readMbsProfile(
  path: string,
  options: MbsProfileOptions = {},
): Promise<ServiceTimeProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw errors.error('IO', `${path}: cannot read the profile file`, {
      cause,
      details: { path },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw errors.error(
      'PROFILE_INVALID',
      `${path}: not valid JSON (${(cause as Error).message}); expected {"service_time": {"<MB>": [[ms...]...]}}`,
      { cause, details: { path } },
    );
  }
  return parseMbsProfile(value, path, options);
}
