import type {
  BatchEvent,
  DeployingProvider,
  FunctionSpec,
  InvocationRecord,
  InvocationResult,
  InvokeOptions,
  LogQuery,
} from '@mbs/core';
import { abortable, MbsError } from '@mbs/core';
import { mapBatchResponse } from './batch-response.js';
import { createEmulator, type Emulator } from './emulator.js';
import type { FunctionCode } from './function-code.js';
import type { InProcessCode } from './in-process-instance.js';
import { logGroupName } from './log-format.js';
import type { EmulatorOptions } from './options.js';
import { parseReportLine } from './report-line.js';

/** A function spec that may carry its code as a handler function instead of a zip. */
export interface LocalFunctionSpec extends FunctionSpec {
  /** Code run in this thread (tests, benchmarks); used when `zipFile` is absent. */
  readonly inProcess?: InProcessCode;
}

/** Options of {@link createLocalProvider}: emulator options, or an emulator to share. */
export interface LocalProviderOptions extends EmulatorOptions {
  /** An emulator to use (e.g. one an HTTP server also serves); the provider then does not own it. */
  readonly emulator?: Emulator;
}

/** The local provider: the Provider contract plus the emulator behind it. */
export interface LocalProvider extends DeployingProvider {
  readonly name: 'local';
  readonly emulator: Emulator;
  /** Invokes a batch; the record is the emulator's full REPORT line. */
  invoke(
    functionName: string,
    event: BatchEvent,
    options?: InvokeOptions,
  ): Promise<InvocationResult<InvocationRecord>>;
  deployFunction(spec: LocalFunctionSpec): Promise<void>;
}

/**
 * Creates the local provider: Lambda emulated on this machine. Refusals (throttling, unknown
 * function, payload too large) reject with MbsError `THROTTLED` / `PROVIDER_ERROR` and
 * `details.retryable`; function errors resolve with `record.error`.
 *
 * @example
 * ```ts
 * const provider = createLocalProvider();
 * await provider.deployFunction({ functionName: 'echo', memoryMb: 1769, timeoutSeconds: 3, zipFile });
 * const { results, record } = await provider.invoke('echo', { requests: [{ id: 'a', input: 1 }] });
 * await provider.dispose();
 * ```
 */
export function createLocalProvider(options: LocalProviderOptions = {}): LocalProvider {
  const { emulator: shared, ...emulatorOptions } = options;
  if (shared && Object.keys(emulatorOptions).length > 0) {
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/provider-local] option emulator: give either an emulator or emulator options, not both; got ${Object.keys(emulatorOptions).join(', ')}`,
    );
  }
  const emulator = shared ?? createEmulator(emulatorOptions);
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  return {
    specificationVersion: 'v1',
    name: 'local',
    description:
      'Lambda emulated on this machine (instances in child processes, Lambda timing and logs)',
    emulator,

    async invoke(
      functionName: string,
      event: BatchEvent,
      invokeOptions: InvokeOptions = {},
    ): Promise<InvocationResult<InvocationRecord>> {
      const payload = encoder.encode(JSON.stringify(event));
      const outcome = await abortable(emulator.invoke(functionName, payload), invokeOptions.signal);
      const record = outcome.record!;
      if (record.error) return { results: [], record };
      let response: unknown;
      try {
        response = JSON.parse(decoder.decode(outcome.payload));
      } catch {
        response = undefined;
      }
      const mapped = mapBatchResponse(event, response);
      if ('invalid' in mapped) {
        return {
          results: [],
          record: {
            ...record,
            error: { type: 'Function.InvalidResponse', message: mapped.invalid },
          },
        };
      }
      return { results: mapped.results, record };
    },

    async deployFunction(spec: LocalFunctionSpec): Promise<void> {
      const code: FunctionCode | undefined = spec.zipFile
        ? { zipFile: spec.zipFile }
        : spec.inProcess
          ? { inProcess: spec.inProcess }
          : undefined;
      if (emulator.hasFunction(spec.functionName)) {
        if (code) emulator.updateFunctionCode(spec.functionName, code);
        emulator.updateFunctionConfiguration(spec.functionName, {
          memoryMb: spec.memoryMb,
          timeoutSeconds: spec.timeoutSeconds,
          ...(spec.handler === undefined ? {} : { handler: spec.handler }),
          ...(spec.runtime === undefined ? {} : { runtime: spec.runtime }),
          ...(spec.environment === undefined ? {} : { environment: spec.environment }),
        });
        return;
      }
      if (!code) {
        throw new MbsError(
          'OPTION_INVALID',
          `[@mbs/provider-local] deployFunction ${spec.functionName}: a new function needs zipFile or inProcess code`,
          { details: { functionName: spec.functionName } },
        );
      }
      emulator.createFunction({
        functionName: spec.functionName,
        code,
        memoryMb: spec.memoryMb,
        timeoutSeconds: spec.timeoutSeconds,
        // A zip from `mbs package` exports its handler from index.js on a Node 20 runtime.
        handler: spec.handler ?? 'index.handler',
        runtime: spec.runtime ?? 'nodejs20.x',
        ...(spec.architecture === undefined ? {} : { architecture: spec.architecture }),
        ...(spec.environment === undefined ? {} : { environment: spec.environment }),
      });
    },

    async configureFunction(functionName, settings): Promise<void> {
      emulator.updateFunctionConfiguration(functionName, settings);
    },

    async readLogs(query: LogQuery): Promise<readonly InvocationRecord[]> {
      return emulator.logs
        .eventsBetween(logGroupName(query.functionName), query.startMs, query.endMs)
        .map((event) => parseReportLine(event.message, query.functionName))
        .filter((record): record is InvocationRecord => record !== undefined);
    },

    async dispose(): Promise<void> {
      if (!shared) await emulator.dispose();
    },
  };
}
