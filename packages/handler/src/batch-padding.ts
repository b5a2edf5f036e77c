import { dynamicAxisOf, type ModelDescriptor } from './model-descriptor.js';
import type { RequestTensor } from './request-tensor.js';

/** A batch tensor `[batch, ...item dims padded to the longest]` and how much of it is padding. */
export interface PaddedBatch {
  readonly values: Float32Array | BigInt64Array;
  readonly dims: readonly number[];
  /** Length of the longest request along the padded axis. */
  readonly paddedLength: number;
  /** Share of elements that are padding: 1 - sum of lengths / (batch size x padded length). */
  readonly paddingShare: number;
}

function product(values: readonly number[]): number {
  return values.reduce((total, value) => total * value, 1);
}

/**
 * Stacks requests into one batch tensor, padding each along the descriptor's dynamic axis to
 * the longest request with the descriptor's pad value.
 *
 * @example
 * ```ts
 * const batch = padBatch([tensorA, tensorB], DEFAULT_MODEL_DESCRIPTOR);
 * ```
 */
export function padBatch(
  tensors: readonly RequestTensor[],
  descriptor: ModelDescriptor,
): PaddedBatch {
  const axis = dynamicAxisOf(descriptor);
  const paddedLength = Math.max(...tensors.map((tensor) => tensor.length));
  const itemDims = descriptor.itemShape.map((dim) => dim ?? paddedLength);
  // Rows before the padded axis are copied one by one; everything after it moves as one run.
  const outer = product(itemDims.slice(0, axis));
  const inner = product(itemDims.slice(axis + 1));
  const itemSize = product(itemDims);
  const total = tensors.length * itemSize;
  const values =
    descriptor.elementType === 'float32'
      ? new Float32Array(total).fill(descriptor.padValue)
      : new BigInt64Array(total).fill(BigInt(descriptor.padValue));
  let lengthSum = 0;
  tensors.forEach((tensor, row) => {
    lengthSum += tensor.length;
    const run = tensor.length * inner;
    for (let block = 0; block < outer; block++) {
      const source = tensor.values.subarray(block * run, (block + 1) * run);
      const target = row * itemSize + block * paddedLength * inner;
      // Both arrays have the descriptor's element type, checked when the request was parsed.
      (values as Float32Array).set(source as Float32Array, target);
    }
  });
  return {
    values,
    dims: [tensors.length, ...itemDims],
    paddedLength,
    paddingShare: 1 - lengthSum / (tensors.length * paddedLength),
  };
}

/** A request's slice of the batch output: dims without the batch axis and the values. */
export interface TrimmedOutput {
  readonly dims: readonly number[];
  readonly values: Float32Array | BigInt64Array | Int32Array | Uint8Array;
}

/** Typed arrays an output tensor may come back as. */
export type OutputValues = Float32Array | BigInt64Array | Int32Array | Uint8Array;

/**
 * Cuts request `row` out of a batch output `[batch, ...]`, dropping the positions that came from
 * padding when the descriptor says the output has a padded axis.
 *
 * @example
 * ```ts
 * const { dims, values } = trimOutput(output.data, output.dims, 1, 24, PPOCR_REC_DESCRIPTOR);
 * ```
 */
export function trimOutput(
  batchValues: OutputValues,
  batchDims: readonly number[],
  row: number,
  length: number,
  descriptor: ModelDescriptor,
): TrimmedOutput {
  const itemDims = batchDims.slice(1);
  const itemSize = product(itemDims);
  const item = batchValues.subarray(row * itemSize, (row + 1) * itemSize) as OutputValues;
  const trim = descriptor.outputTrim;
  if (trim === undefined) return { dims: itemDims, values: item.slice() as OutputValues };
  const kept = length / trim.lengthDivisor;
  const outer = product(itemDims.slice(0, trim.axis));
  const inner = product(itemDims.slice(trim.axis + 1));
  const paddedAxisLength = itemDims[trim.axis]!;
  const values = new (item.constructor as new (size: number) => OutputValues)(outer * kept * inner);
  for (let block = 0; block < outer; block++) {
    const start = block * paddedAxisLength * inner;
    (values as Float32Array).set(
      item.subarray(start, start + kept * inner) as Float32Array,
      block * kept * inner,
    );
  }
  const dims = itemDims.map((dim, axis) => (axis === trim.axis ? kept : dim));
  return { dims, values };
}
