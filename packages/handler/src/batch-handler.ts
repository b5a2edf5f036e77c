import { performance } from 'node:perf_hooks';
import { type ItemResult, isMbsError } from '@mbs/core';
import type { InferenceSession } from 'onnxruntime-node';
import { checkBatchEvent } from './batch-event.js';
import { type OutputValues, padBatch, trimOutput } from './batch-padding.js';
import { errors } from './errors.js';
import { lambdaError } from './lambda-error.js';
import { type ModelDescriptor, parseModelDescriptor } from './model-descriptor.js';
import { loadOnnxRuntime, type OnnxRuntimeModule } from './onnx-runtime.js';
import { parseRequestTensor, type RequestTensor } from './request-tensor.js';

/** A request's output tensor in the response. */
export interface TensorOutput {
  /** Dims without the batch axis, trimmed of padding. */
  readonly dims: readonly number[];
  /** Values as numbers, or base64 of little-endian bytes when the input came as base64. */
  readonly data: readonly number[] | string;
  readonly dtype: string;
}

/** Where the handler's time went, for profiles and logs. Times in milliseconds. */
export interface HandlerTimings {
  readonly model: string;
  /** Requests that ran (those whose input was valid). */
  readonly batchSize: number;
  /** Longest request along the padded axis (0 when none ran). */
  readonly paddedLength: number;
  /** Share of input elements that are padding: 1 - sum(lengths) / (batchSize x paddedLength). */
  readonly paddingShare: number;
  /** Loading the model into a session; non-zero only on the instance's first invocation. */
  readonly initMs: number;
  readonly coldStart: boolean;
  /** Checking the event and decoding inputs. */
  readonly parseMs: number;
  readonly padMs: number;
  /** The one `InferenceSession.run` call. */
  readonly inferenceMs: number;
  readonly trimMs: number;
  readonly totalMs: number;
}

/** What the handler returns: one result per request, in the event's order, and timings. */
export interface BatchResponse {
  readonly batchId?: string;
  readonly results: readonly ItemResult[];
  readonly timings: HandlerTimings;
}

/** Options of {@link createBatchHandler}. */
export interface BatchHandlerOptions {
  /** The ONNX model: a file path or its bytes. */
  readonly model: string | Uint8Array;
  readonly descriptor: ModelDescriptor;
  /** Most requests in one event. Default 256. */
  readonly maxBatchSize?: number;
  /** Most elements in the padded batch tensor (batch x padded item size). Default 2^25. */
  readonly maxPaddedElements?: number;
  /** Passed to `InferenceSession.create` (threads, optimization level...). */
  readonly sessionOptions?: InferenceSession.SessionOptions;
}

/** A loaded-on-demand model that serves batch events. */
export interface BatchHandler {
  /** Serves one batch event; whole-batch problems throw a Lambda-style error (name = code). */
  handle(event: unknown): Promise<BatchResponse>;
  /** Loads the model now instead of on the first event. */
  ready(): Promise<void>;
  /** Releases the session. */
  dispose(): Promise<void>;
}

const OPTION_KEYS = new Set([
  'model',
  'descriptor',
  'maxBatchSize',
  'maxPaddedElements',
  'sessionOptions',
]);

function checkOptions(
  options: BatchHandlerOptions,
): Required<Pick<BatchHandlerOptions, 'maxBatchSize' | 'maxPaddedElements'>> {
  const unknown = Object.keys(options).filter((key) => !OPTION_KEYS.has(key));
  if (unknown.length > 0) {
    throw errors.error(
      'OPTION_INVALID',
      `createBatchHandler: unknown option(s) ${unknown.join(', ')}; accepted: ${[...OPTION_KEYS].join(', ')}`,
    );
  }
  if (typeof options.model !== 'string' && !(options.model instanceof Uint8Array)) {
    throw errors.error(
      'OPTION_INVALID',
      'createBatchHandler: model must be a file path or the model bytes',
    );
  }
  parseModelDescriptor(options.descriptor, 'option descriptor');
  const { maxBatchSize = 256, maxPaddedElements = 2 ** 25 } = options;
  for (const [name, value] of Object.entries({ maxBatchSize, maxPaddedElements })) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw errors.error(
        'OPTION_INVALID',
        `createBatchHandler: ${name} must be a positive integer; got ${value}`,
      );
    }
  }
  return { maxBatchSize, maxPaddedElements };
}

async function createSession(
  runtime: OnnxRuntimeModule,
  options: BatchHandlerOptions,
): Promise<InferenceSession> {
  const where = typeof options.model === 'string' ? options.model : 'the given model bytes';
  let session: InferenceSession;
  try {
    session =
      typeof options.model === 'string'
        ? await runtime.InferenceSession.create(options.model, options.sessionOptions ?? {})
        : await runtime.InferenceSession.create(options.model, options.sessionOptions ?? {});
  } catch (error) {
    throw lambdaError(
      'FUNCTION_ERROR',
      errors.prefix(
        `model ${where}: cannot be loaded (${(error as Error).message}); set MBS_MODEL_PATH to an ONNX file`,
      ),
      { cause: error },
    );
  }
  const { descriptor } = options;
  if (
    !session.inputNames.includes(descriptor.inputName) ||
    !session.outputNames.includes(descriptor.outputName)
  ) {
    await session.release();
    throw lambdaError(
      'FUNCTION_ERROR',
      errors.prefix(
        `model ${where}: has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; descriptor ${descriptor.name} names input ${descriptor.inputName} and output ${descriptor.outputName}`,
      ),
    );
  }
  return session;
}

function encodeOutput(
  values: OutputValues,
  encoding: 'json' | 'base64',
): readonly number[] | string {
  if (encoding === 'base64') {
    return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
  }
  return values instanceof BigInt64Array ? Array.from(values, Number) : Array.from(values);
}

const DTYPE_OF: ReadonlyArray<[new (...args: never[]) => OutputValues, string]> = [
  [Float32Array, 'float32'],
  [BigInt64Array, 'int64'],
  [Int32Array, 'int32'],
  [Uint8Array, 'uint8'],
];

/**
 * Creates a handler for one model: each event's valid requests are padded to the longest along
 * the descriptor's dynamic axis and run in ONE `InferenceSession.run`; each output is cut back to
 * its request's length. The session is created on the first event (the cold start) and reused.
 *
 * Errors: a malformed event as a whole (not an object, no or empty `requests`, more than
 * `maxBatchSize`, an item without a unique string id, a padded batch over `maxPaddedElements`)
 * throws `EVENT_INVALID`; a model that fails to load or run throws `FUNCTION_ERROR`. A bad
 * `input` (dims, dtype, data, values) fails only its request: `{ ok: false, error: { code:
 * 'EVENT_INVALID', message } }`.
 *
 * @example
 * ```ts
 * const batchHandler = createBatchHandler({ model: buildDefaultModel(), descriptor: DEFAULT_MODEL_DESCRIPTOR });
 * const { results } = await batchHandler.handle({ requests: [{ id: 'a', input: { dims: [3], data: [5, 7, 9] } }] });
 * ```
 */
export function createBatchHandler(options: BatchHandlerOptions): BatchHandler {
  const { maxBatchSize, maxPaddedElements } = checkOptions(options);
  const { descriptor } = options;
  let sessionPromise: Promise<InferenceSession> | undefined;
  let runtime: OnnxRuntimeModule | undefined;

  const session = (): Promise<InferenceSession> => {
    sessionPromise ??= loadOnnxRuntime().then(
      (loaded) => {
        runtime = loaded;
        return createSession(loaded, options);
      },
      (error: unknown) => {
        throw lambdaError(
          'FUNCTION_ERROR',
          errors.prefix(
            `onnxruntime-node: cannot be loaded (${(error as Error).message}); the deployment package must hold node_modules/onnxruntime-node with its linux-x64 binaries`,
          ),
          { cause: error },
        );
      },
    );
    // A failed load is forgotten so the next event retries instead of failing forever.
    sessionPromise.catch(() => {
      sessionPromise = undefined;
    });
    return sessionPromise;
  };

  const handle = async (event: unknown): Promise<BatchResponse> => {
    const start = performance.now();
    const { batchId, requests } = checkBatchEvent(event, maxBatchSize);
    const parsed = requests.map((request) => parseRequestTensor(request.input, descriptor));
    const valid: { row: number; tensor: RequestTensor }[] = [];
    parsed.forEach((tensor, row) => {
      if ('values' in tensor) valid.push({ row, tensor });
    });
    const parseMs = performance.now() - start;
    const coldStart = sessionPromise === undefined;
    const initStart = performance.now();
    const loaded = await session();
    const initMs = coldStart ? performance.now() - initStart : 0;
    const padStart = performance.now();
    const results: ItemResult[] = requests.map((request, index) => {
      const tensor = parsed[index]!;
      return 'problem' in tensor
        ? {
            id: request.id,
            ok: false,
            error: {
              code: 'EVENT_INVALID',
              message: errors.prefix(`event.requests[${index}].input: ${tensor.problem}`),
            },
          }
        : { id: request.id, ok: true, output: null };
    });
    let padMs = 0;
    let inferenceMs = 0;
    let trimMs = 0;
    let paddedLength = 0;
    let paddingShare = 0;
    if (valid.length > 0) {
      const batch = padBatch(
        valid.map(({ tensor }) => tensor),
        descriptor,
      );
      const elements = batch.values.length;
      if (elements > maxPaddedElements) {
        throw lambdaError(
          'EVENT_INVALID',
          errors.prefix(
            `event.requests: the padded batch [${batch.dims.join(', ')}] holds ${elements} elements; at most ${maxPaddedElements} are accepted (send fewer or shorter requests)`,
          ),
          { details: { elements, maxPaddedElements } },
        );
      }
      paddedLength = batch.paddedLength;
      paddingShare = batch.paddingShare;
      const inferenceStart = performance.now();
      padMs = inferenceStart - padStart;
      let output: { data: unknown; dims: readonly number[] };
      try {
        const input = new runtime!.Tensor(descriptor.elementType, batch.values, batch.dims);
        const outputs = await loaded.run({ [descriptor.inputName]: input }, [
          descriptor.outputName,
        ]);
        output = outputs[descriptor.outputName]!;
      } catch (error) {
        throw lambdaError(
          'FUNCTION_ERROR',
          errors.prefix(
            `model ${descriptor.name}: inference failed on a batch [${batch.dims.join(', ')}] (${(error as Error).message})`,
          ),
          { cause: error },
        );
      }
      const trimStart = performance.now();
      inferenceMs = trimStart - inferenceStart;
      const outputValues = output.data as OutputValues;
      const dtype = DTYPE_OF.find(([type]) => outputValues instanceof type)?.[1];
      const expectedAxis =
        descriptor.outputTrim && paddedLength / descriptor.outputTrim.lengthDivisor;
      if (
        dtype === undefined ||
        output.dims[0] !== valid.length ||
        (descriptor.outputTrim !== undefined &&
          output.dims[descriptor.outputTrim.axis + 1] !== expectedAxis)
      ) {
        throw lambdaError(
          'FUNCTION_ERROR',
          errors.prefix(
            `model ${descriptor.name}: output ${descriptor.outputName} came back as [${output.dims.join(', ')}]; the descriptor expects ${valid.length} rows${expectedAxis === undefined ? '' : ` and ${expectedAxis} positions on axis ${descriptor.outputTrim!.axis + 1}`} of float32/int64/int32/uint8`,
          ),
        );
      }
      valid.forEach(({ row, tensor }, batchRow) => {
        const trimmed = trimOutput(outputValues, output.dims, batchRow, tensor.length, descriptor);
        results[row] = {
          id: requests[row]!.id,
          ok: true,
          output: {
            dims: trimmed.dims,
            data: encodeOutput(trimmed.values, tensor.encoding),
            dtype,
          } satisfies TensorOutput,
        };
      });
      trimMs = performance.now() - trimStart;
    }
    const timings: HandlerTimings = {
      model: descriptor.name,
      batchSize: valid.length,
      paddedLength,
      paddingShare,
      initMs,
      coldStart,
      parseMs,
      padMs,
      inferenceMs,
      trimMs,
      totalMs: performance.now() - start,
    };
    return batchId === undefined ? { results, timings } : { batchId, results, timings };
  };

  return {
    handle: async (event) => {
      try {
        return await handle(event);
      } catch (error) {
        if (isMbsError(error)) throw error;
        // Anything else is a bug here, reported as a function error rather than a crash.
        throw lambdaError(
          'INTERNAL',
          errors.prefix(`unexpected failure: ${(error as Error)?.message ?? String(error)}`),
          { cause: error },
        );
      }
    },
    ready: async () => {
      await session();
    },
    dispose: async () => {
      const current = sessionPromise;
      sessionPromise = undefined;
      if (current) await (await current).release();
    },
  };
}
