import type { MbsError } from '@mbs/core';
import { errors } from './errors.js';
import { DEFAULT_MODEL_SHAPE } from './onnx/default-model.js';

/** Element types a request's tensor may have. */
export type TensorElementType = 'int64' | 'float32';

/**
 * How the handler feeds a model: its input, which axis of a request varies (the one padded), the
 * pad value, the limits checked per request, and how a request's output is cut from the batch's.
 */
export interface ModelDescriptor {
  /** Short name, reported in timings and errors. */
  readonly name: string;
  /** Name of the model's one input. */
  readonly inputName: string;
  readonly elementType: TensorElementType;
  /** Dims of one request without the batch axis; exactly one entry is `null`: the padded axis. */
  readonly itemShape: readonly (number | null)[];
  /** Value written into padded positions (the model's padding token or pad pixel). */
  readonly padValue: number;
  /** Smallest and largest accepted length along the padded axis. */
  readonly minLength: number;
  readonly maxLength: number;
  /** Lengths must be a multiple of this (a model's stride), so outputs trim exactly. */
  readonly lengthMultiple: number;
  /** Accepted value range (inclusive), checked per request; token ids must be in the vocabulary. */
  readonly valueRange?: { readonly min: number; readonly max: number };
  /** Name of the output returned per request. */
  readonly outputName: string;
  /**
   * Where a request's output has a padded axis: along `axis` of one request's output (batch axis
   * removed) keep `length / lengthDivisor` entries. Absent when the output has no such axis.
   */
  readonly outputTrim?: { readonly axis: number; readonly lengthDivisor: number };
}

/** Descriptor of the default model built by {@link buildDefaultModel}: token ids -> 16 logits. */
export const DEFAULT_MODEL_DESCRIPTOR: ModelDescriptor = {
  name: 'default',
  inputName: 'token_ids',
  elementType: 'int64',
  itemShape: [null],
  padValue: DEFAULT_MODEL_SHAPE.paddingTokenId,
  minLength: 1,
  maxLength: 4096,
  lengthMultiple: 1,
  valueRange: { min: 1, max: DEFAULT_MODEL_SHAPE.vocabularySize - 1 },
  outputName: 'logits',
};

/**
 * Descriptor of PaddleOCR's PP-OCRv4 text recognizer (`ch_PP-OCRv4_rec_infer.onnx`): a
 * normalized image `[3, 48, width]` (width a multiple of 8; pad 0, the normalized grey that
 * PaddleOCR itself pads with) -> character probabilities `[width / 8, 6625]`.
 */
export const PPOCR_REC_DESCRIPTOR: ModelDescriptor = {
  name: 'ppocr',
  inputName: 'x',
  elementType: 'float32',
  itemShape: [3, 48, null],
  padValue: 0,
  minLength: 8,
  maxLength: 3200,
  lengthMultiple: 8,
  outputName: 'softmax_11.tmp_0',
  outputTrim: { axis: 0, lengthDivisor: 8 },
};

const DESCRIPTOR_KEYS = new Set([
  'name',
  'inputName',
  'elementType',
  'itemShape',
  'padValue',
  'minLength',
  'maxLength',
  'lengthMultiple',
  'valueRange',
  'outputName',
  'outputTrim',
]);

function invalid(source: string, problem: string): MbsError {
  return errors.error(
    'CONFIG_INVALID',
    `model descriptor ${source}: ${problem}; see ModelDescriptor (name, inputName, elementType int64|float32, itemShape with one null, padValue, minLength, maxLength, lengthMultiple, outputName, optional valueRange and outputTrim)`,
    { details: { source } },
  );
}

function isPositiveInteger(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/**
 * Checks a descriptor read from JSON (or written in code) and returns it typed; unknown keys and
 * inconsistent limits are refused with a message naming the key.
 *
 * @example
 * ```ts
 * const descriptor = parseModelDescriptor(JSON.parse(text), 'model-descriptor.json');
 * ```
 */
export function parseModelDescriptor(value: unknown, source: string): ModelDescriptor {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(source, 'is not an object');
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !DESCRIPTOR_KEYS.has(key));
  if (unknown.length > 0) throw invalid(source, `unknown key(s) ${unknown.join(', ')}`);
  for (const key of ['name', 'inputName', 'outputName'] as const) {
    if (typeof record[key] !== 'string' || record[key] === '') {
      throw invalid(source, `${key} must be a non-empty string`);
    }
  }
  if (record.elementType !== 'int64' && record.elementType !== 'float32') {
    throw invalid(
      source,
      `elementType must be int64 or float32; got ${String(record.elementType)}`,
    );
  }
  const itemShape = record.itemShape;
  if (
    !Array.isArray(itemShape) ||
    !itemShape.every((dim) => dim === null || isPositiveInteger(dim)) ||
    itemShape.filter((dim) => dim === null).length !== 1
  ) {
    throw invalid(source, 'itemShape must list positive integers and exactly one null');
  }
  if (typeof record.padValue !== 'number' || !Number.isFinite(record.padValue)) {
    throw invalid(source, 'padValue must be a finite number');
  }
  for (const key of ['minLength', 'maxLength', 'lengthMultiple'] as const) {
    if (!isPositiveInteger(record[key])) throw invalid(source, `${key} must be a positive integer`);
  }
  if ((record.minLength as number) > (record.maxLength as number)) {
    throw invalid(source, 'minLength must not exceed maxLength');
  }
  const range = record.valueRange as { min?: unknown; max?: unknown } | undefined;
  if (
    range !== undefined &&
    (typeof range !== 'object' ||
      range === null ||
      typeof range.min !== 'number' ||
      typeof range.max !== 'number' ||
      range.min > range.max)
  ) {
    throw invalid(source, 'valueRange must be { min, max } with min <= max');
  }
  const trim = record.outputTrim as { axis?: unknown; lengthDivisor?: unknown } | undefined;
  if (
    trim !== undefined &&
    (typeof trim !== 'object' ||
      trim === null ||
      !Number.isSafeInteger(trim.axis) ||
      (trim.axis as number) < 0 ||
      !isPositiveInteger(trim.lengthDivisor))
  ) {
    throw invalid(source, 'outputTrim must be { axis >= 0, lengthDivisor >= 1 }');
  }
  if (
    trim !== undefined &&
    (record.lengthMultiple as number) % (trim.lengthDivisor as number) !== 0
  ) {
    throw invalid(source, 'lengthMultiple must be a multiple of outputTrim.lengthDivisor');
  }
  return value as ModelDescriptor;
}

/** The dynamic (padded) axis of one request's dims. */
export function dynamicAxisOf(descriptor: ModelDescriptor): number {
  return descriptor.itemShape.indexOf(null);
}
