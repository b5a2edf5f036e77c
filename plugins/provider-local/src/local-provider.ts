import type {
  BatchEvent,
  DeployingProvider,
  FunctionSpec,
  InvocationRecord,
  InvocationResult,
  InvokeOptions,
  LogQuery,
} from '@mbs/core';
import { abortable, packageErrors } from '@mbs/core';
import {
  createEmulator,
  type Emulator,
  type EmulatorOptions,
  type FunctionCode,
  type InProcessCode,
  logGroupName,
  resolveEmulatorOptions,
} from '@mbs/lambda-emulator';
import { mapBatchResponse } from './batch-response.js';
import { invocationRecordOfReportLine } from './invocation-record.js';

const errors = packageErrors('@mbs/provider-local');

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
  /**
   * The emulator behind the provider. Reading it creates the provider's own emulator (a temporary
   * directory) if no call has yet; a shared emulator is returned as given.
   */
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
 * Creates the local provider: Lambda emulated on this machine. Options are checked now; the
 * emulator (its temporary directory, later its instances) is made on first use, so creating a
 * provider leaves nothing behind. Refusals (throttling, unknown function, payload too large)
 * reject with MbsError `THROTTLED` / `PROVIDER_ERROR` and `details.retryable`; function errors
 * resolve with `record.error`; bad options throw `OPTION_INVALID`, use after `dispose()` `CLOSED`.
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
    throw errors.error(
      'OPTION_INVALID',
      `option emulator: give either an emulator or emulator options, not both; got ${Object.keys(emulatorOptions).join(', ')}`,
    );
  }
  // Checked now so a bad option fails at creation, although the emulator comes later.
  if (!shared) resolveEmulatorOptions(emulatorOptions);
  let owned: Emulator | undefined;
  let disposed = false;
  const emulatorInUse = (): Emulator => {
    if (shared) return shared;
    if (owned) return owned;
    if (disposed) throw errors.error('CLOSED', 'the provider was disposed; create a new one');
    owned = createEmulator(emulatorOptions);
    return owned;
  };
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  return {
    specificationVersion: 'v1',
    name: 'local',
    // The words `mbs plugins` has always listed for the local provider.
    description: 'Lambda emulated on this machine (child process per instance, Lambda logs)',
    get emulator() {
      return emulatorInUse();
    },

    async invoke(
      functionName: string,
      event: BatchEvent,
      invokeOptions: InvokeOptions = {},
    ): Promise<InvocationResult<InvocationRecord>> {
      const payload = encoder.encode(JSON.stringify(event));
      const emulator = emulatorInUse();
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
      const emulator = emulatorInUse();
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
        throw errors.error(
          'OPTION_INVALID',
          `deployFunction ${spec.functionName}: a new function needs zipFile or inProcess code`,
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
      emulatorInUse().updateFunctionConfiguration(functionName, settings);
    },

    async readLogs(query: LogQuery): Promise<readonly InvocationRecord[]> {
      return emulatorInUse()
        .logs.eventsBetween(logGroupName(query.functionName), query.startMs, query.endMs)
        .map((event) => invocationRecordOfReportLine(event.message, query.functionName))
        .filter((record): record is InvocationRecord => record !== undefined);
    },

    async dispose(): Promise<void> {
      disposed = true;
      // A shared emulator belongs to whoever made it; one never created needs no cleanup.
      await owned?.dispose();
    },
  };
}
