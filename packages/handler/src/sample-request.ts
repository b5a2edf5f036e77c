import { errors } from './errors.js';
import { dynamicAxisOf, type ModelDescriptor, parseModelDescriptor } from './model-descriptor.js';
import { PACKAGED_DESCRIPTOR_FILE } from './model-location.js';

/** How a request's `data` is written: a JSON array of numbers, or base64 of its bytes. */
export type RequestDataEncoding = 'numbers' | 'base64';

/**
 * The length a request of `size` is sent with: rounded up to the model's `lengthMultiple`, then
 * kept within `minLength..maxLength` (the largest multiple at most maxLength), as a model cannot
 * take more.
 *
 * @example
 * ```ts
 * requestLength(PPOCR_REC_DESCRIPTOR, 317); // 320
 * requestLength(DEFAULT_MODEL_DESCRIPTOR, 32768); // 4096
 * ```
 */
export function requestLength(descriptor: ModelDescriptor, size: number): number {
  const { minLength, maxLength, lengthMultiple } = descriptor;
  const rounded = Math.ceil(Math.max(size, 1) / lengthMultiple) * lengthMultiple;
  const largest = Math.floor(maxLength / lengthMultiple) * lengthMultiple;
  const smallest = Math.ceil(minLength / lengthMultiple) * lengthMultiple;
  return Math.min(largest, Math.max(smallest, rounded));
}

/**
 * A valid request input of `length` along the model's padded axis, every value the same: the
 * smallest of `valueRange` (token id 1 for the default model, as `mbs run --input tokens` sends),
 * else 1 for int64 and 0.5 for float32. The work of the models served here does not depend on
 * the values, only on the shape, which makes this a faithful load for timing.
 *
 * @example
 * ```ts
 * sampleRequestInput(DEFAULT_MODEL_DESCRIPTOR, 3, 'numbers'); // { dims: [3], data: [1, 1, 1], dtype: 'int64' }
 * ```
 */
export function sampleRequestInput(
  descriptor: ModelDescriptor,
  length: number,
  encoding: RequestDataEncoding,
): { readonly dims: number[]; readonly data: number[] | string; readonly dtype: string } {
  const dims = descriptor.itemShape.map((dim) => dim ?? length);
  if (requestLength(descriptor, length) !== length) {
    throw errors.error(
      'OPTION_INVALID',
      `length ${length} on axis ${dynamicAxisOf(descriptor)} does not fit model ${descriptor.name} (${descriptor.minLength}..${descriptor.maxLength}, a multiple of ${descriptor.lengthMultiple})`,
      { details: { length } },
    );
  }
  const count = dims.reduce((product, dim) => product * dim, 1);
  const value = descriptor.valueRange?.min ?? (descriptor.elementType === 'int64' ? 1 : 0.5);
  if (encoding === 'numbers') {
    return { dims, data: new Array<number>(count).fill(value), dtype: descriptor.elementType };
  }
  const values =
    descriptor.elementType === 'int64'
      ? new BigInt64Array(count).fill(BigInt(Math.round(value)))
      : new Float32Array(count).fill(value);
  return {
    dims,
    data: Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64'),
    dtype: descriptor.elementType,
  };
}

/**
 * The model descriptor inside a deployment zip (`model-descriptor.json`, as `mbs package`
 * writes it). CONFIG_INVALID names the zip when it is not a zip or holds no descriptor.
 *
 * @param source the zip's name, for messages
 * @example
 * ```ts
 * const descriptor = await readPackagedDescriptor(await readFile('mbs-lambda.zip'), 'mbs-lambda.zip');
 * ```
 */
export async function readPackagedDescriptor(
  zip: Uint8Array,
  source: string,
): Promise<ModelDescriptor> {
  const { unzipSync } = await import('fflate');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, { filter: (file) => file.name === PACKAGED_DESCRIPTOR_FILE });
  } catch (cause) {
    throw errors.error(
      'CONFIG_INVALID',
      `${source}: not a readable zip (${(cause as Error).message}); give a deployment package from mbs package`,
      { cause, details: { source } },
    );
  }
  const bytes = files[PACKAGED_DESCRIPTOR_FILE];
  if (bytes === undefined) {
    throw errors.error(
      'CONFIG_INVALID',
      `${source}: the zip holds no ${PACKAGED_DESCRIPTOR_FILE}, so the model's input is unknown; build the zip with mbs package, or name the descriptor (default, ppocr or a JSON file)`,
      { details: { source } },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw errors.error(
      'CONFIG_INVALID',
      `${source}: ${PACKAGED_DESCRIPTOR_FILE} is not valid JSON (${(cause as Error).message})`,
      { cause, details: { source } },
    );
  }
  return parseModelDescriptor(value, `${source}:${PACKAGED_DESCRIPTOR_FILE}`);
}
