import type {
  BatchEvent,
  BufferConfiguration,
  InvocationResult,
  ItemResult,
  PricingModel,
  Provider,
  SystemConfiguration,
} from '@mbs/core';
import { MbsError } from '@mbs/core';
import type { BatcherClock } from '../clock.js';
import type { SystemWithClasses } from '../configuration-input.js';

// Test doubles shared by this package's tests (not exported from the package).

/** What one scripted invocation does. */
export type ScriptedOutcome =
  | { readonly kind: 'ok'; readonly latencySeconds?: number; readonly initDurationMs?: number }
  | { readonly kind: 'reorder'; readonly latencySeconds?: number }
  | { readonly kind: 'throttle'; readonly latencySeconds?: number }
  | { readonly kind: 'transient'; readonly latencySeconds?: number }
  | { readonly kind: 'function-error'; readonly latencySeconds?: number }
  | {
      readonly kind: 'item-error';
      readonly failIds: readonly string[];
      readonly latencySeconds?: number;
    }
  | {
      readonly kind: 'missing';
      readonly dropIds: readonly string[];
      readonly latencySeconds?: number;
    }
  | { readonly kind: 'extra'; readonly latencySeconds?: number }
  | { readonly kind: 'transport'; readonly latencySeconds?: number }
  | { readonly kind: 'crash'; readonly latencySeconds?: number }
  | { readonly kind: 'sync-throw' }
  | { readonly kind: 'malformed'; readonly latencySeconds?: number };

/** One call the scripted provider received. */
export interface ScriptedCall {
  readonly functionName: string;
  readonly event: BatchEvent;
  readonly atSeconds: number;
  readonly outcome: ScriptedOutcome;
}

/** A provider whose invocations follow a script, timed on the given clock. */
export interface ScriptedProvider extends Provider {
  readonly calls: ScriptedCall[];
  /** Invocations started and not yet answered. */
  inFlight(): number;
  maxInFlight(): number;
}

/** The output the scripted provider gives a successful request: its input, tagged. */
export const echoOutput = (functionName: string, input: unknown) => ({ functionName, input });

/**
 * A provider double: `script` picks each call's outcome (by call number and event), and the
 * answer arrives `latencySeconds` later on `clock` (10 ms by default).
 */
export function createScriptedProvider(
  clock: BatcherClock,
  script: (call: {
    index: number;
    functionName: string;
    event: BatchEvent;
  }) => ScriptedOutcome = () => ({
    kind: 'ok',
  }),
): ScriptedProvider {
  const calls: ScriptedCall[] = [];
  let running = 0;
  let peak = 0;
  const record = (functionName: string, durationMs: number, extra: object = {}) => ({
    requestId: `inv-${calls.length}`,
    functionName,
    durationMs,
    billedDurationMs: Math.ceil(durationMs),
    memorySizeMb: 1024,
    maxMemoryUsedMb: 100,
    ...extra,
  });
  const provider: ScriptedProvider = {
    specificationVersion: 'v1',
    name: 'scripted',
    calls,
    inFlight: () => running,
    maxInFlight: () => peak,
    invoke(functionName, event) {
      const outcome = script({ index: calls.length, functionName, event });
      calls.push({ functionName, event, atSeconds: clock.now(), outcome });
      if (outcome.kind === 'sync-throw') {
        throw new Error('provider threw synchronously');
      }
      running++;
      peak = Math.max(peak, running);
      const latency = outcome.latencySeconds ?? 0.01;
      const durationMs = latency * 1000;
      return new Promise<InvocationResult>((resolve, reject) => {
        clock.setTimer(clock.now() + latency, () => {
          running--;
          const ok = (item: { id: string; input: unknown }): ItemResult => ({
            id: item.id,
            ok: true,
            output: echoOutput(functionName, item.input),
          });
          switch (outcome.kind) {
            case 'ok':
              resolve({
                results: event.requests.map(ok),
                record: record(
                  functionName,
                  durationMs,
                  outcome.initDurationMs === undefined
                    ? {}
                    : { initDurationMs: outcome.initDurationMs },
                ),
              });
              return;
            case 'reorder':
              resolve({
                results: event.requests.map(ok).reverse(),
                record: record(functionName, durationMs),
              });
              return;
            case 'extra':
              resolve({
                results: [...event.requests.map(ok), { id: 'not-a-request', ok: true, output: 1 }],
                record: record(functionName, durationMs),
              });
              return;
            case 'throttle':
              reject(
                new MbsError('THROTTLED', `[test] ${functionName} throttled`, {
                  details: { retryable: true },
                }),
              );
              return;
            case 'transient':
              reject(
                new MbsError('PROVIDER_ERROR', `[test] ${functionName} connection reset`, {
                  details: { retryable: true },
                }),
              );
              return;
            case 'function-error':
              resolve({
                results: [],
                record: record(functionName, durationMs, {
                  error: { type: 'Runtime.ExitError', message: 'boom' },
                }),
              });
              return;
            case 'item-error':
              resolve({
                results: event.requests.map((item) =>
                  outcome.failIds.includes(item.id)
                    ? {
                        id: item.id,
                        ok: false,
                        error: { code: 'EVENT_INVALID', message: 'bad input' },
                      }
                    : ok(item),
                ),
                record: record(functionName, durationMs),
              });
              return;
            case 'missing':
              resolve({
                results: event.requests
                  .filter((item) => !outcome.dropIds.includes(item.id))
                  .map(ok),
                record: record(functionName, durationMs),
              });
              return;
            case 'transport':
              reject(new TypeError('fetch failed'));
              return;
            case 'crash':
              reject(undefined);
              return;
            case 'malformed':
              resolve({ results: undefined } as unknown as InvocationResult);
              return;
          }
        });
      });
    },
  };
  return provider;
}

/** A pricing double: 1 USD per billed second per GB plus 0.5 USD per request. */
export const testPricing: PricingModel = {
  specificationVersion: 'v1',
  name: 'test-pricing',
  architecture: 'x86_64',
  requestFeeUsd: 0.5,
  priceUsdPerGbSecond: 1,
  billingGranularityMs: 1,
  billsInitPhase: false,
  billedDurationMs: (usage) => Math.ceil(usage.durationMs),
  invocationCostUsd: (usage) =>
    (Math.ceil(usage.durationMs) / 1000) * (usage.memoryMb / 1024) + 0.5,
};

/** A buffer configuration with test defaults. */
export function bufferConfiguration(
  firstClass: number,
  lastClass: number,
  settings: Partial<BufferConfiguration> = {},
): BufferConfiguration {
  return {
    firstClass,
    lastClass,
    firstClassShare: 1,
    lastClassShare: 1,
    batchSize: 4,
    timeoutSeconds: 0.1,
    memoryMb: 1024,
    ...settings,
  };
}

/** Three classes (sizes up to 10, 100, 1000) in two buffers: classes 0..1 and class 2. */
export function twoBufferConfiguration(
  settings: Partial<BufferConfiguration> = {},
): SystemWithClasses & { readonly system: SystemConfiguration } {
  return {
    classUpperEdges: [10, 100, 1000],
    system: {
      buffers: [bufferConfiguration(0, 1, settings), bufferConfiguration(2, 2, settings)],
    },
  };
}

/** A promise's state, observed without leaving a rejection unhandled. */
export interface Tracked {
  status: 'pending' | 'fulfilled' | 'rejected';
  value?: unknown;
  error?: unknown;
  /** Times a settlement handler ran; a promise settles once, so anything but 0 or 1 is a bug. */
  settlements: number;
}

/** Observes a promise's outcome. */
export function track(promise: Promise<unknown>): Tracked {
  const state: Tracked = { status: 'pending', settlements: 0 };
  promise.then(
    (value) => {
      state.status = 'fulfilled';
      state.value = value;
      state.settlements++;
    },
    (error: unknown) => {
      state.status = 'rejected';
      state.error = error;
      state.settlements++;
    },
  );
  return state;
}
