import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { BatchEvent } from '@mbs/core';
import {
  DEFAULT_PARAMETRIC_PROFILE,
  DEFAULT_PROFILE_GRID,
  LAMBDA_MEMORY_RANGE_MB,
} from '@mbs/profiles';
import { errors } from '../errors.js';
import { type HandlerPackage, importHandlerPackage } from '../optional-package.js';
import { readWorkloadFile } from '../options/document-options.js';
import { optionError } from '../options/option-error.js';

// What `mbs profile` measures with: the model's descriptor (from the zip or --descriptor), the
// classes and the size each is sent with, and the batch events built from them.

/** The model descriptor, as the handler package types it. */
export type Descriptor = Awaited<ReturnType<HandlerPackage['readPackagedDescriptor']>>;

/** The code the functions run: a package to deploy, or a deployed function to reconfigure. */
export type FunctionCode =
  | {
      readonly kind: 'zip';
      readonly path: string;
      readonly zip: Uint8Array;
      readonly sha256: string;
    }
  | { readonly kind: 'function'; readonly functionName: string };

/**
 * A comma-separated list of numbers for `option`; OPTION_INVALID names the option and the part
 * that is not a number.
 */
export function parseNumberList(option: string, text: string): number[] {
  const parts = String(text)
    .split(',')
    .map((part) => part.trim());
  const values = parts.map(Number);
  const bad = parts.findIndex((part, index) => part === '' || !Number.isFinite(values[index]));
  if (bad >= 0) {
    throw optionError(
      option,
      `${JSON.stringify(text)}: "${parts[bad]}" is not a number; give comma-separated numbers`,
      text,
    );
  }
  return values;
}

/** Memories of `--memories`: whole MB within Lambda's 128..10,240. */
export function parseMemories(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_PROFILE_GRID.memoriesMb];
  const { min, max } = LAMBDA_MEMORY_RANGE_MB;
  const memories = parseNumberList('--memories', text);
  for (const memoryMb of memories) {
    if (!Number.isInteger(memoryMb) || memoryMb < min || memoryMb > max) {
      throw optionError(
        '--memories',
        `holds ${memoryMb}; Lambda memory is a whole number of MB from ${min} to ${max}`,
        memoryMb,
      );
    }
  }
  return memories;
}

/** Batch sizes of `--batch-sizes`: whole numbers from 1 to 256 (the handler's largest batch). */
export function parseBatchSizes(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_PROFILE_GRID.batchSizes];
  const sizes = parseNumberList('--batch-sizes', text);
  for (const size of sizes) {
    if (!Number.isSafeInteger(size) || size < 1 || size > 256) {
      throw optionError('--batch-sizes', `holds ${size}; give whole numbers from 1 to 256`, size);
    }
  }
  return sizes;
}

/** Where the classes come from, as the options give them. */
export interface ClassSource {
  readonly edges?: string;
  readonly sizes?: string;
  readonly workload?: string;
}

/** The classes: upper edges and the representative size (what a batch of the class pads to). */
export interface ProfileClasses {
  readonly upperEdges: readonly number[];
  readonly representativeSizes: readonly number[];
  /** Where they came from, for the report. */
  readonly source: string;
}

/**
 * The classes of `--workload` (a workload of mbs fit), `--edges` (upper edges; `--sizes` gives
 * other representative sizes), or the built-in workload's 8 classes.
 */
export async function resolveClasses(source: ClassSource): Promise<ProfileClasses> {
  if (source.workload !== undefined && (source.edges !== undefined || source.sizes !== undefined)) {
    throw optionError(
      '--workload',
      'takes its classes from the workload; give it without --edges and --sizes',
    );
  }
  if (source.workload !== undefined) {
    const workload = await readWorkloadFile(source.workload);
    return {
      upperEdges: workload.classUpperEdges,
      representativeSizes: workload.classRepresentativeSizes,
      source: source.workload,
    };
  }
  if (source.edges === undefined && source.sizes !== undefined) {
    throw optionError('--sizes', 'needs --edges: one representative size per class edge');
  }
  const upperEdges =
    source.edges === undefined
      ? [...DEFAULT_PARAMETRIC_PROFILE.representativeSizes]
      : parseNumberList('--edges', source.edges);
  const representativeSizes =
    source.sizes === undefined ? upperEdges : parseNumberList('--sizes', source.sizes);
  if (representativeSizes.length !== upperEdges.length) {
    throw optionError(
      '--sizes',
      `lists ${representativeSizes.length} sizes for ${upperEdges.length} classes; give one per --edges entry`,
    );
  }
  upperEdges.forEach((edge, index) => {
    if (!(edge > 0) || (index > 0 && edge <= upperEdges[index - 1]!)) {
      throw optionError(
        '--edges',
        `holds ${edge} at class ${index}; give sizes > 0, strictly ascending`,
        edge,
      );
    }
  });
  representativeSizes.forEach((size, index) => {
    if (!(size > 0) || (index > 0 && size < representativeSizes[index - 1]!)) {
      throw optionError(
        '--sizes',
        `holds ${size} at class ${index}; give sizes > 0, ascending`,
        size,
      );
    }
  });
  return {
    upperEdges,
    representativeSizes,
    source: source.edges === undefined ? 'the built-in workload (8 classes)' : '--edges',
  };
}

/** The code option: `--zip` (default mbs-lambda.zip) or `--function`, not both. */
export async function resolveFunctionCode(options: {
  readonly zip?: string;
  readonly function?: string;
}): Promise<FunctionCode> {
  if (options.zip !== undefined && options.function !== undefined) {
    throw optionError(
      '--function',
      'reuses a deployed function; give --zip or --function, not both',
    );
  }
  if (options.function !== undefined) {
    if (options.function.trim() === '')
      throw optionError('--function', 'is empty; give a function name');
    return { kind: 'function', functionName: options.function };
  }
  const path = options.zip ?? 'mbs-lambda.zip';
  let zip: Uint8Array;
  try {
    zip = new Uint8Array(await readFile(path));
  } catch (error) {
    throw errors.error(
      'IO',
      `--zip ${path}: cannot be read (${(error as Error).message}); build it with mbs package, or reuse a deployed function with --function`,
      { cause: error, details: { option: '--zip', path } },
    );
  }
  return { kind: 'zip', path, zip, sha256: createHash('sha256').update(zip).digest('hex') };
}

/**
 * The model descriptor: `--descriptor` (default, ppocr or a JSON file) when given, else the one
 * inside the zip; a reused function without --descriptor is taken to serve the default model.
 */
export async function resolveDescriptor(
  handler: HandlerPackage,
  code: FunctionCode,
  descriptorOption: string | undefined,
): Promise<Descriptor> {
  if (descriptorOption !== undefined) return handler.readModelDescriptor(descriptorOption);
  if (code.kind === 'zip') return handler.readPackagedDescriptor(code.zip, code.path);
  return handler.builtinModelDescriptor('default');
}

/** How request data are written: numbers for int64 (as `mbs run` sends tokens), base64 otherwise. */
export function defaultEncoding(descriptor: Descriptor): 'numbers' | 'base64' {
  return descriptor.elementType === 'int64' ? 'numbers' : 'base64';
}

/**
 * A builder of each point's batch event: `batchSize` copies of the class's sample input, built
 * once per class (the batch reuses the same input object; JSON sends each copy).
 */
export function batchEventBuilder(
  handler: HandlerPackage,
  descriptor: Descriptor,
  lengths: readonly number[],
  encoding: 'numbers' | 'base64',
): (classIndex: number, batchSize: number) => BatchEvent {
  const inputs = lengths.map((length) => handler.sampleRequestInput(descriptor, length, encoding));
  return (classIndex, batchSize) => ({
    batchId: `profile-c${classIndex}-b${batchSize}`,
    requests: Array.from({ length: batchSize }, (_, index) => ({
      id: `r${index}`,
      input: inputs[classIndex]!,
    })),
  });
}

/** Loads @mbs/handler for mbs profile, with the install hint when it is missing. */
export function loadHandlerPackage(): Promise<HandlerPackage> {
  return importHandlerPackage('mbs profile');
}
