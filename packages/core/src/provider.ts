import type { PluginBase } from './plugin.js';
import type { Architecture } from './pricing.js';

/** One request inside a batch sent to a function. */
export interface BatchItem {
  /** Caller-chosen id, unique within the batch; results are matched back by it. */
  readonly id: string;
  /** The request's input; the handler defines its shape (e.g. a tensor with dims and data). */
  readonly input: unknown;
}

/** The event a batch invocation sends to the function. */
export interface BatchEvent {
  /** Id of the batch, for joining logs. */
  readonly batchId?: string;
  readonly requests: readonly BatchItem[];
}

/** The outcome of one request of a batch. */
export type ItemResult =
  | { readonly id: string; readonly ok: true; readonly output: unknown }
  | {
      readonly id: string;
      readonly ok: false;
      readonly error: { readonly code: string; readonly message: string };
    };

/**
 * What a provider reports of one invocation. Every provider measures the handler duration; the
 * fields only a serverless platform has (its request id, billed duration, memory size and memory
 * used) are optional, so that a provider that runs a plain function in process reports only what
 * it measured. {@link InvocationRecord} is the full record of a platform such as Lambda.
 */
export interface InvocationReport {
  /** The platform's request id (a UUID on Lambda), when the platform assigns one. */
  readonly requestId?: string;
  readonly functionName: string;
  /** Handler duration in milliseconds. */
  readonly durationMs: number;
  /** Billed duration in milliseconds, as the platform reports it; absent when nothing bills. */
  readonly billedDurationMs?: number;
  /** Init duration in milliseconds when the invocation started a new instance. */
  readonly initDurationMs?: number;
  /** Memory size of the function in MB, when the platform has one. */
  readonly memorySizeMb?: number;
  /** Peak memory in MB, when the platform measures it. */
  readonly maxMemoryUsedMb?: number;
  /** Present when the function failed: Lambda's errorType and errorMessage. */
  readonly error?: { readonly type: string; readonly message: string };
}

/** What a serverless platform reports of one invocation (Lambda's REPORT line): every field. */
export interface InvocationRecord extends InvocationReport {
  /** The platform's request id (a UUID on Lambda). */
  readonly requestId: string;
  /** Billed duration in milliseconds, as the platform reports it. */
  readonly billedDurationMs: number;
  readonly memorySizeMb: number;
  readonly maxMemoryUsedMb: number;
}

/**
 * Result of {@link Provider.invoke}. Function errors are reported here, not thrown. A platform
 * provider narrows `Report` to the full {@link InvocationRecord}.
 */
export interface InvocationResult<Report extends InvocationReport = InvocationReport> {
  /** One result per request of the batch, in the batch's order; empty when the function failed. */
  readonly results: readonly ItemResult[];
  /** A platform's full {@link InvocationRecord}, or what an in-process provider measured. */
  readonly record: Report;
}

/** Options of one invocation. */
export interface InvokeOptions {
  /** Aborts the wait for the result; the invocation may still run on the platform. */
  readonly signal?: AbortSignal;
}

/** What a function is deployed with. */
export interface FunctionSpec {
  readonly functionName: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  /** Deployment package: a zip's bytes (from `mbs package`). */
  readonly zipFile?: Uint8Array;
  /** Handler entry, Lambda style (`index.handler`). */
  readonly handler?: string;
  readonly runtime?: string;
  readonly architecture?: Architecture;
  readonly environment?: Readonly<Record<string, string>>;
}

/** A time range of logs to read. */
export interface LogQuery {
  readonly functionName: string;
  /** Start, in milliseconds since the epoch. */
  readonly startMs: number;
  /** End, in milliseconds since the epoch. */
  readonly endMs: number;
}

/**
 * A serverless provider: invokes a batch on a named function. Provider refusals (throttling,
 * unknown function, transport) reject with an `MbsError` (`THROTTLED` or `PROVIDER_ERROR`, with
 * `details.retryable`); function errors resolve with `record.error` set.
 *
 * @example
 * ```ts
 * const { results, record } = await provider.invoke('mbs-b0', { requests });
 * ```
 */
export interface Provider extends PluginBase {
  invoke(
    functionName: string,
    event: BatchEvent,
    options?: InvokeOptions,
  ): Promise<InvocationResult>;
  /** Create the function, or update its code and configuration when it exists. */
  deployFunction?(spec: FunctionSpec): Promise<void>;
  /** Change memory or timeout of an existing function. */
  configureFunction?(
    functionName: string,
    settings: { readonly memoryMb?: number; readonly timeoutSeconds?: number },
  ): Promise<void>;
  /** The platform's invocation records for a time range. */
  readLogs?(query: LogQuery): Promise<readonly InvocationRecord[]>;
  /** Release clients, instances and servers. */
  dispose?(): Promise<void>;
}

/**
 * A provider with every optional capability of {@link Provider}: it deploys and reconfigures
 * functions, reads their invocation records and releases what it holds. The built-in providers
 * (`local`, `aws-lambda`) are such providers; commands that deploy or read logs need one.
 *
 * @example
 * ```ts
 * async function redeploy(provider: DeployingProvider, spec: FunctionSpec) {
 *   await provider.deployFunction(spec);
 *   await provider.configureFunction(spec.functionName, { memoryMb: 2048 });
 * }
 * ```
 */
export type DeployingProvider = Provider &
  Required<Pick<Provider, 'deployFunction' | 'configureFunction' | 'readLogs' | 'dispose'>>;
