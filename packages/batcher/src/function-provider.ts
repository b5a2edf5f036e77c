import type {
  BatchEvent,
  InvocationReport,
  InvocationResult,
  InvokeOptions,
  Provider,
} from '@mbs/core';
import { abortable, rejectUnknownOptions, SPECIFICATION_VERSION } from '@mbs/core';
import { errors } from './errors.js';

/**
 * A provider whose functions take `Input` and answer `Output` for each request. The types are a
 * compile-time promise only (nothing checks them at run time); `createBatcher` reads them so that
 * `submit` takes `Input` and resolves with `Output`.
 */
export interface TypedProvider<Input, Output> extends Provider {
  /** Type-level marker; never set at run time. */
  readonly '~types'?: { readonly input: Input; readonly output: Output };
}

/** What a batch function learns of the batch besides its inputs. */
export interface BatchFunctionContext {
  /** The buffer's function name, e.g. `mbs-b0`. */
  readonly functionName: string;
  /** The batch id the batcher gives it (also in the batch and request records). */
  readonly batchId: string | undefined;
  /** Aborted when the caller of `invoke` stops waiting. */
  readonly signal: AbortSignal | undefined;
}

/**
 * A plain function that serves one batch: one output per input, in the same order. Throwing (or
 * rejecting) fails every request of the batch with `FUNCTION_ERROR`.
 */
export type BatchFunction<Input, Output> = (
  inputs: readonly Input[],
  context: BatchFunctionContext,
) => readonly Output[] | Promise<readonly Output[]>;

/** Options of {@link createFunctionProvider}. */
export interface FunctionProviderOptions {
  /** The provider's plugin name (in error messages and `mbs plugins`). Default `function`. */
  readonly name?: string;
}

const ACCEPTED_OPTIONS: readonly (keyof FunctionProviderOptions)[] = ['name'];

function errorOf(thrown: unknown): { type: string; message: string } {
  if (thrown instanceof Error) return { type: thrown.name || 'Error', message: thrown.message };
  return { type: 'NonErrorThrown', message: `the function threw ${String(thrown)}` };
}

function checkFunctions<Input, Output>(
  functions: BatchFunction<Input, Output> | Readonly<Record<string, BatchFunction<Input, Output>>>,
): void {
  if (typeof functions === 'function') return;
  const entries =
    typeof functions === 'object' && functions !== null ? Object.entries(functions) : [];
  const bad = entries.find(([, value]) => typeof value !== 'function');
  const problem =
    bad !== undefined
      ? `.${bad[0]} is not a function`
      : entries.length === 0 && typeof functions === 'object' && functions !== null
        ? 'is an empty object'
        : entries.length === 0
          ? `is ${String(functions)}`
          : undefined;
  if (problem !== undefined) {
    throw errors.option(
      'functions',
      `${problem}; give an async function (inputs) => outputs, or an object of them by function name`,
    );
  }
}

/**
 * Turns a plain (async) function into a provider for `createBatcher`, to batch calls to code in
 * the same process (a model in onnxruntime-node, a GPU server's client, a test double) instead of
 * a serverless function. Give one function for every buffer, or an object of functions by
 * function name (`mbs-b0`, `mbs-b1`, ...); an unknown name rejects with `PROVIDER_ERROR`.
 *
 * The invocation record holds only what is measured here: `functionName`, `durationMs` (the
 * wall-clock time of the call, `performance.now()`), and `error` when the function threw or
 * returned the wrong number of outputs. It has no request id, billed duration, memory size or
 * init duration, since no platform assigned or billed any. In batch records, `billedDurationMs`
 * is therefore absent, `memoryMb` is the buffer's configured memory, `cold` is false, and
 * `costUsd` (with a `pricing` plugin) is what the measured duration would cost at that memory.
 *
 * @example
 * ```ts
 * const provider = createFunctionProvider(async (texts: readonly string[]) =>
 *   texts.map((text) => text.length),
 * );
 * const batcher = createBatcher({ config, provider });
 * const length: number = await batcher.submit({ size: 5, input: 'hello' });
 * ```
 */
export function createFunctionProvider<Input, Output>(
  functions: BatchFunction<Input, Output> | Readonly<Record<string, BatchFunction<Input, Output>>>,
  options: FunctionProviderOptions = {},
): TypedProvider<Input, Output> {
  checkFunctions(functions);
  if (typeof options !== 'object' || options === null) {
    throw errors.option('options', `is ${String(options)}; give an object`);
  }
  rejectUnknownOptions(options, ACCEPTED_OPTIONS, errors.prefix('createFunctionProvider'));
  const name = options.name ?? 'function';
  if (typeof name !== 'string' || name.length === 0) {
    throw errors.option('name', `is ${JSON.stringify(name)}; give a non-empty string`, name);
  }
  const functionFor = (functionName: string): BatchFunction<Input, Output> => {
    if (typeof functions === 'function') return functions;
    const found = Object.hasOwn(functions, functionName) ? functions[functionName] : undefined;
    if (found !== undefined) return found;
    throw errors.error(
      'PROVIDER_ERROR',
      `provider ${name} has no function ${functionName}; it has ${Object.keys(functions).join(', ')}`,
      { details: { functionName, retryable: false } },
    );
  };

  async function invoke(
    functionName: string,
    event: BatchEvent,
    invokeOptions: InvokeOptions = {},
  ): Promise<InvocationResult> {
    const run = functionFor(functionName);
    const { signal } = invokeOptions;
    // Nothing runs for a caller that already stopped waiting.
    if (signal?.aborted) throw signal.reason;
    const inputs = event.requests.map((request) => request.input as Input);
    const started = performance.now();
    const report = (extra: Partial<InvocationReport> = {}): InvocationReport => ({
      functionName,
      durationMs: performance.now() - started,
      ...extra,
    });
    let outputs: unknown;
    try {
      outputs = await abortable(
        Promise.resolve().then(() => run(inputs, { functionName, batchId: event.batchId, signal })),
        signal,
      );
    } catch (thrown) {
      if (signal?.aborted && thrown === signal.reason) throw thrown;
      return { results: [], record: report({ error: errorOf(thrown) }) };
    }
    const record = report();
    if (!Array.isArray(outputs) || outputs.length !== inputs.length) {
      const got = Array.isArray(outputs) ? `${outputs.length} outputs` : typeof outputs;
      return {
        results: [],
        record: {
          ...record,
          error: {
            type: 'InvalidOutput',
            message: `function ${functionName} returned ${got} for ${inputs.length} inputs; return an array with one output per input, in order`,
          },
        },
      };
    }
    return {
      results: event.requests.map((request, index) => ({
        id: request.id,
        ok: true,
        output: outputs[index],
      })),
      record,
    };
  }

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name,
    description: 'plain functions called in this process',
    invoke,
  };
}
