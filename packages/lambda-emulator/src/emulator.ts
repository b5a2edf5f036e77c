import { rmSync } from 'node:fs';
import { createEmulatorState } from './emulator-state.js';
import type { FunctionCode } from './function-code.js';
import {
  deleteFunctionConcurrency,
  getAccountSettings,
  getFunctionConcurrency,
  putFunctionConcurrency,
} from './function-concurrency.js';
import type { LambdaFunctionConfiguration } from './function-configuration.js';
import {
  type CreateFunctionInput,
  createFunction,
  deleteFunction,
  type FunctionConfigurationChanges,
  updateFunctionCode,
  updateFunctionConfiguration,
} from './function-operations.js';
import {
  codeZipPath,
  getFunction,
  getFunctionConfiguration,
  hasFunction,
  listFunctions,
} from './function-queries.js';
import { killAllInstances, releaseWaiting } from './instance-pool.js';
import type { EmulatorInvokeOptions, EmulatorInvokeOutcome } from './invoke.js';
import { invoke } from './invoke.js';
import type { LogStore } from './log-store.js';
import type { EmulatorOptions, ResolvedEmulatorOptions } from './options.js';

/**
 * The emulator: functions, instances, concurrency and logs behind Lambda's operations. The HTTP
 * server and the in-process provider are two faces of one emulator.
 */
export interface Emulator {
  readonly options: ResolvedEmulatorOptions;
  /** CloudWatch Logs of every function. */
  readonly logs: LogStore;
  createFunction(input: CreateFunctionInput): LambdaFunctionConfiguration;
  updateFunctionCode(
    reference: string,
    code: FunctionCode,
    revisionId?: string,
  ): LambdaFunctionConfiguration;
  updateFunctionConfiguration(
    reference: string,
    changes: FunctionConfigurationChanges,
  ): LambdaFunctionConfiguration;
  getFunctionConfiguration(reference: string, qualifier?: string): LambdaFunctionConfiguration;
  /** GetFunction; `codeLocation` is where the zip can be downloaded. */
  getFunction(
    reference: string,
    codeLocation?: (sha256Hex: string) => string,
  ): Readonly<Record<string, unknown>>;
  /** Whether a function of that name exists. */
  hasFunction(reference: string): boolean;
  deleteFunction(reference: string, qualifier?: string): void;
  listFunctions(marker?: string, maxItems?: number): Readonly<Record<string, unknown>>;
  putFunctionConcurrency(reference: string, reserved: unknown): Readonly<Record<string, unknown>>;
  getFunctionConcurrency(reference: string): Readonly<Record<string, unknown>>;
  deleteFunctionConcurrency(reference: string): void;
  getAccountSettings(): Readonly<Record<string, unknown>>;
  invoke(
    reference: string,
    payload: Uint8Array,
    options?: EmulatorInvokeOptions,
  ): Promise<EmulatorInvokeOutcome>;
  /** The path of a stored deployment zip by its SHA-256 (hex), if the emulator holds it. */
  codeZipPath(sha256Hex: string): string | undefined;
  /** Instances alive per function (warm and busy), for tests and monitoring. */
  instanceCount(functionName: string): number;
  /** Kills every instance and removes the emulator's temporary files. */
  dispose(): Promise<void>;
}

/**
 * Creates an emulator. Call `dispose()` when done: it kills instances (child processes) and
 * removes the temporary directory holding unzipped code.
 *
 * @example
 * ```ts
 * const emulator = createEmulator({ warmSeconds: 60 });
 * emulator.createFunction({ functionName: 'echo', code: { inProcess: { handler: async (event) => event } } });
 * const outcome = await emulator.invoke('echo', new TextEncoder().encode('{"a":1}'));
 * await emulator.dispose();
 * ```
 */
export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const emulator = createEmulatorState(options);
  return {
    options: emulator.options,
    logs: emulator.logs,
    createFunction: (input) => createFunction(emulator, input),
    updateFunctionCode: (reference, code, revisionId) =>
      updateFunctionCode(emulator, reference, code, revisionId),
    updateFunctionConfiguration: (reference, changes) =>
      updateFunctionConfiguration(emulator, reference, changes),
    getFunctionConfiguration: (reference, qualifier) =>
      getFunctionConfiguration(emulator, reference, qualifier),
    getFunction: (reference, codeLocation) => getFunction(emulator, reference, codeLocation),
    hasFunction: (reference) => hasFunction(emulator, reference),
    deleteFunction: (reference, qualifier) => deleteFunction(emulator, reference, qualifier),
    listFunctions: (marker, maxItems) => listFunctions(emulator, marker, maxItems),
    putFunctionConcurrency: (reference, reserved) =>
      putFunctionConcurrency(emulator, reference, reserved),
    getFunctionConcurrency: (reference) => getFunctionConcurrency(emulator, reference),
    deleteFunctionConcurrency: (reference) => deleteFunctionConcurrency(emulator, reference),
    getAccountSettings: () => getAccountSettings(emulator),
    invoke: (reference, payload, invokeOptions) =>
      invoke(emulator, reference, payload, invokeOptions),
    codeZipPath: (sha256Hex) => codeZipPath(emulator, sha256Hex),
    instanceCount: (functionName) => emulator.functions.get(functionName)?.live.size ?? 0,
    async dispose() {
      if (emulator.disposed) return;
      emulator.disposed = true;
      emulator.queuedEvents.length = 0;
      releaseWaiting(emulator);
      for (const state of emulator.functions.values()) killAllInstances(emulator, state);
      emulator.functions.clear();
      rmSync(emulator.root, { recursive: true, force: true });
      emulator.reaper?.close();
    },
  };
}
