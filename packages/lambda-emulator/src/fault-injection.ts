import { createRandom } from '@mbs/core';
import type { LambdaErrorPayload } from './instance.js';
import type { ResolvedEmulatorOptions } from './options.js';

/**
 * Draws the faults of `faults` options from one seeded generator, so a run's faults repeat.
 * Each draw consumes a random number only when its rate is above zero, so turning one fault on
 * does not shift the draws of the others.
 */
export interface FaultInjector {
  /** Whether a synchronous invocation is refused with 429 before admission. */
  throttles(): boolean;
  /** Whether the instance is killed as the invocation starts. */
  crashes(): boolean;
  /** Whether a successful invocation is turned into a function error. */
  failsFunction(): boolean;
  /** Milliseconds of extra latency to add to the answer (0 when none is drawn). */
  extraLatencyMs(): number;
}

/** The error an invocation answers when `faults.errorRate` hits it. */
export const INJECTED_ERROR: LambdaErrorPayload = {
  errorType: 'Emulator.InjectedError',
  errorMessage: 'Injected function error (faults.errorRate)',
};

/** Creates the fault injector of resolved emulator options. */
export function createFaultInjector(faults: ResolvedEmulatorOptions['faults']): FaultInjector {
  const random = createRandom(faults.seed);
  const draw = (rate: number) => rate > 0 && random.next() < rate;
  return {
    throttles: () => draw(faults.throttleRate),
    crashes: () => draw(faults.crashRate),
    failsFunction: () => draw(faults.errorRate),
    extraLatencyMs: () =>
      faults.extraLatencyMs > 0 && draw(faults.latencyRate) ? faults.extraLatencyMs : 0,
  };
}
