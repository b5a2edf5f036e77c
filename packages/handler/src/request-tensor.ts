import { dynamicAxisOf, type ModelDescriptor, type TensorElementType } from './model-descriptor.js';

/** A request's input tensor, checked against the model's descriptor. */
export interface RequestTensor {
  /** Dims without the batch axis. */
  readonly dims: readonly number[];
  /** Length along the padded axis. */
  readonly length: number;
  readonly values: Float32Array | BigInt64Array;
  /** How `data` came in; the output goes back the same way. */
  readonly encoding: 'json' | 'base64';
}

/** Why one request was refused; the rest of the batch still runs. */
export interface RequestProblem {
  readonly problem: string;
}

const INPUT_KEYS = new Set(['dims', 'data', 'dtype']);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BYTES_PER_ELEMENT: Record<TensorElementType, number> = { int64: 8, float32: 4 };

function describeShape(descriptor: ModelDescriptor): string {
  return `[${descriptor.itemShape.map((dim) => (dim === null ? 'length' : String(dim))).join(', ')}]`;
}

function checkDims(dims: unknown, descriptor: ModelDescriptor): string | readonly number[] {
  const shape = describeShape(descriptor);
  if (!Array.isArray(dims) || !dims.every((dim) => Number.isSafeInteger(dim) && dim > 0)) {
    return `dims must be an array of positive integers ${shape}`;
  }
  if (dims.length !== descriptor.itemShape.length) {
    return `dims ${JSON.stringify(dims)} have ${dims.length} axes; model ${descriptor.name} takes ${shape} (no batch axis)`;
  }
  for (const [axis, expected] of descriptor.itemShape.entries()) {
    if (expected !== null && dims[axis] !== expected) {
      return `dims ${JSON.stringify(dims)}: axis ${axis} must be ${expected}; model ${descriptor.name} takes ${shape}`;
    }
  }
  const length = dims[dynamicAxisOf(descriptor)] as number;
  if (length < descriptor.minLength || length > descriptor.maxLength) {
    return `length ${length} (axis ${dynamicAxisOf(descriptor)}) is outside [${descriptor.minLength}, ${descriptor.maxLength}]`;
  }
  if (length % descriptor.lengthMultiple !== 0) {
    return `length ${length} (axis ${dynamicAxisOf(descriptor)}) must be a multiple of ${descriptor.lengthMultiple}`;
  }
  return dims as number[];
}

function decodeBase64(
  data: string,
  count: number,
  elementType: TensorElementType,
): string | Float32Array | BigInt64Array {
  if (!BASE64.test(data)) return 'data is a string but not base64';
  const bytes = Buffer.from(data, 'base64');
  const expected = count * BYTES_PER_ELEMENT[elementType];
  if (bytes.length !== expected) {
    return `data holds ${bytes.length} bytes; dims need ${count} ${elementType} values (${expected} bytes, little-endian)`;
  }
  // Copied into a fresh buffer: typed arrays need aligned offsets and Buffer's pool gives none.
  const aligned = new Uint8Array(bytes).buffer;
  return elementType === 'float32' ? new Float32Array(aligned) : new BigInt64Array(aligned);
}

function fromNumbers(
  data: readonly unknown[],
  count: number,
  elementType: TensorElementType,
): string | Float32Array | BigInt64Array {
  if (data.length !== count) {
    return `data holds ${data.length} values; dims need ${count}`;
  }
  if (elementType === 'float32') {
    const values = new Float32Array(count);
    for (let index = 0; index < count; index++) {
      const value = data[index];
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return `data[${index}] is ${JSON.stringify(value)}; float32 data must be finite numbers`;
      }
      values[index] = value;
    }
    return values;
  }
  const values = new BigInt64Array(count);
  for (let index = 0; index < count; index++) {
    const value = data[index];
    if (!Number.isSafeInteger(value)) {
      return `data[${index}] is ${JSON.stringify(value)}; int64 data must be integers`;
    }
    values[index] = BigInt(value as number);
  }
  return values;
}

function checkRange(
  values: Float32Array | BigInt64Array,
  descriptor: ModelDescriptor,
): string | undefined {
  if (values instanceof Float32Array) {
    for (let index = 0; index < values.length; index++) {
      const value = values[index]!;
      if (!Number.isFinite(value)) return `data[${index}] is ${value}; data must be finite`;
    }
  }
  const range = descriptor.valueRange;
  if (range === undefined) return undefined;
  for (let index = 0; index < values.length; index++) {
    const value = Number(values[index]!);
    if (value < range.min || value > range.max) {
      return `data[${index}] is ${value}; model ${descriptor.name} accepts values in [${range.min}, ${range.max}]`;
    }
  }
  return undefined;
}

/**
 * Reads one request's `input` (`{ dims, data, dtype? }`, data a number array or base64 of
 * little-endian values) and checks it against the descriptor: rank, fixed axes, length limits,
 * element type, value count and range.
 *
 * @example
 * ```ts
 * const tensor = parseRequestTensor({ dims: [3], data: [5, 7, 9] }, DEFAULT_MODEL_DESCRIPTOR);
 * ```
 */
export function parseRequestTensor(
  input: unknown,
  descriptor: ModelDescriptor,
): RequestTensor | RequestProblem {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { problem: 'input must be an object { dims, data, dtype? }' };
  }
  const record = input as Record<string, unknown>;
  const unknown = Object.keys(record).filter((key) => !INPUT_KEYS.has(key));
  if (unknown.length > 0) {
    return {
      problem: `input has unknown key(s) ${unknown.join(', ')}; accepted: dims, data, dtype`,
    };
  }
  if (record.dtype !== undefined && record.dtype !== descriptor.elementType) {
    return {
      problem: `dtype ${JSON.stringify(record.dtype)} is not accepted; model ${descriptor.name} takes ${descriptor.elementType}`,
    };
  }
  const dims = checkDims(record.dims, descriptor);
  if (typeof dims === 'string') return { problem: dims };
  const count = dims.reduce((product, dim) => product * dim, 1);
  const data = record.data;
  let values: string | Float32Array | BigInt64Array;
  if (typeof data === 'string') values = decodeBase64(data, count, descriptor.elementType);
  else if (Array.isArray(data)) values = fromNumbers(data, count, descriptor.elementType);
  else values = 'data must be an array of numbers or a base64 string';
  if (typeof values === 'string') return { problem: values };
  const outOfRange = checkRange(values, descriptor);
  if (outOfRange !== undefined) return { problem: outOfRange };
  return {
    dims,
    length: dims[dynamicAxisOf(descriptor)]!,
    values,
    encoding: typeof data === 'string' ? 'base64' : 'json',
  };
}
