import type { BatchEvent, InvocationResult, Provider } from '@mbs/core';
import { createRandom, MbsError } from '@mbs/core';

// A provider double for this package's tests (not exported from the package): each function
// answers after no real time with a REPORT-like record whose Duration follows a given law, its
// first invocation cold, with seeded noise and refusals. The CLI tests run the real emulator.

/** What the law provider is told. */
export interface LawProviderOptions {
  /** Duration in ms of a batch of `batchSize` requests of size `size` at `memoryMb`. */
  readonly durationMs: (memoryMb: number, size: number, batchSize: number) => number;
  /** Memory of each function. */
  readonly memoryOf: (functionName: string) => number;
  /** Relative noise: each duration is multiplied by 1 + noise x U(-1, 1). Default 0. */
  readonly noise?: number;
  /** Share of invocations refused as THROTTLED. Default 0. */
  readonly throttleRate?: number;
  /** Invocation number (1-based, over all functions) that fails with a function error. */
  readonly failAt?: number;
  /** Error type of that failure. Default `Runtime.ExitError`. */
  readonly failWith?: string;
  /** Report no billed duration, as an in-process provider's own stopwatch would. */
  readonly unbilled?: boolean;
  /**
   * An instance that idled costs more: an invocation that starts at least `afterMs` (real time)
   * after its function's previous one returned, or any invocation at a memory of `idleAlwaysMb`
   * (the emulator idles an instance below one vCPU for the rest of its scaled Duration), takes
   * `extraMs` more.
   */
  readonly idleStart?: {
    readonly afterMs: number;
    readonly extraMs: (memoryMb: number, size: number, batchSize: number) => number;
    readonly idleAlwaysMb?: readonly number[];
  };
  /**
   * The machine's speed drifting over the run: each duration is multiplied by `drift(n)`, n the
   * invocation's number (1-based, over all functions). Default none.
   */
  readonly drift?: (invocation: number) => number;
  readonly seed?: number;
}

/** The law provider: the Provider contract plus what it saw. */
export interface LawProvider extends Provider {
  /** Invocations received, refused ones included. */
  readonly calls: { functionName: string; size: number; batchSize: number }[];
  /** Most invocations in flight on one function at once. */
  maxInFlightPerFunction(): number;
}

/** Creates the law provider; the size of a batch is its first request's `input.size`. */
export function createLawProvider(options: LawProviderOptions): LawProvider {
  const random = createRandom(options.seed ?? 1);
  const started = new Set<string>();
  const inFlight = new Map<string, number>();
  let maxInFlight = 0;
  const calls: LawProvider['calls'] = [];
  const returnedAt = new Map<string, number>();
  return {
    specificationVersion: 'v1',
    name: 'law',
    calls,
    maxInFlightPerFunction: () => maxInFlight,
    async invoke(functionName: string, event: BatchEvent): Promise<InvocationResult> {
      const size = (event.requests[0]!.input as { size: number }).size;
      calls.push({ functionName, size, batchSize: event.requests.length });
      const count = (inFlight.get(functionName) ?? 0) + 1;
      inFlight.set(functionName, count);
      maxInFlight = Math.max(maxInFlight, count);
      try {
        // Yield, so concurrent workers interleave as they would over a network.
        await new Promise((resolve) => setImmediate(resolve));
        if (options.throttleRate && random.next() < options.throttleRate) {
          throw new MbsError('THROTTLED', `[law] ${functionName}: Rate exceeded`, {
            details: { retryable: true, statusCode: 429 },
          });
        }
        const memorySizeMb = options.memoryOf(functionName);
        const noise = options.noise ?? 0;
        const { idleStart } = options;
        const previous = returnedAt.get(functionName);
        const idled =
          idleStart !== undefined &&
          ((idleStart.idleAlwaysMb ?? []).includes(memorySizeMb) ||
            (previous !== undefined && performance.now() - previous >= idleStart.afterMs));
        const durationMs =
          (options.durationMs(memorySizeMb, size, event.requests.length) +
            (idled ? idleStart.extraMs(memorySizeMb, size, event.requests.length) : 0)) *
          (1 + noise * (2 * random.next() - 1)) *
          (options.drift?.(calls.length) ?? 1);
        const cold = !started.has(functionName);
        started.add(functionName);
        const record = {
          requestId: `req-${calls.length}`,
          functionName,
          durationMs,
          ...(options.unbilled ? {} : { billedDurationMs: Math.ceil(durationMs) }),
          memorySizeMb,
          maxMemoryUsedMb: 64,
          ...(cold ? { initDurationMs: 250 } : {}),
        };
        if (calls.length === options.failAt) {
          return {
            results: [],
            record: {
              ...record,
              error: { type: options.failWith ?? 'Runtime.ExitError', message: 'signal: killed' },
            },
          };
        }
        return {
          results: event.requests.map((request) => ({ id: request.id, ok: true, output: 1 })),
          record,
        };
      } finally {
        returnedAt.set(functionName, performance.now());
        inFlight.set(functionName, inFlight.get(functionName)! - 1);
      }
    },
  };
}
