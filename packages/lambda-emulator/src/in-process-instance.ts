import { performance } from 'node:perf_hooks';
import {
  bytesToMegabytes,
  describeThrown,
  type FunctionInstance,
  type InstanceInvocation,
  type InstanceLogSink,
  type InstanceOutcome,
  invokeErrorMessage,
  type LambdaContext,
  type StartedInstance,
} from './instance.js';
import { applicationLine } from './log-format.js';

/** A handler function run in the emulator's own thread (tests and benchmarks). */
export type LocalHandler = (event: unknown, context: LambdaContext) => Promise<unknown> | unknown;

/** A function's code given as a function instead of a zip. */
export interface InProcessCode {
  readonly handler: LocalHandler;
  /** Runs once per new instance; its time is the instance's Init Duration. */
  readonly init?: () => Promise<void> | void;
}

function residentMemoryMb(): number {
  return bytesToMegabytes(process.memoryUsage.rss());
}

/**
 * Starts an instance that calls a handler function in this thread. It cannot be preempted: on a
 * timeout the invocation is reported as timed out and the instance retired, but a synchronous
 * loop in the handler still blocks this thread. Console output of the handler is not captured.
 */
export async function startInProcessInstance(
  code: InProcessCode,
  logStreamName: string,
  onLog: InstanceLogSink,
): Promise<StartedInstance> {
  let alive = true;
  const instance: FunctionInstance = {
    logStreamName,
    get alive() {
      return alive;
    },
    invoke(invocation: InstanceInvocation, realTimeoutMs: number, onStart: () => void) {
      if (!alive) {
        return Promise.resolve({
          kind: 'exit',
          reason: 'instance was shut down',
          maxMemoryUsedMb: residentMemoryMb(),
          unstarted: true,
        });
      }
      onStart();
      return new Promise<InstanceOutcome>((resolve) => {
        let settled = false;
        const settle = (outcome: InstanceOutcome) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(outcome);
        };
        const timer = setTimeout(() => {
          alive = false;
          settle({ kind: 'timeout', maxMemoryUsedMb: residentMemoryMb() });
        }, realTimeoutMs);
        const start = performance.now();
        const context: LambdaContext = {
          ...invocation.context,
          awsRequestId: invocation.requestId,
          callbackWaitsForEmptyEventLoop: true,
          getRemainingTimeInMillis: () =>
            Math.max(
              0,
              Math.round(invocation.timeoutMs - (performance.now() - start) * invocation.scale),
            ),
        };
        Promise.resolve()
          .then(() => code.handler(JSON.parse(invocation.payloadText), context))
          .then((result) => JSON.stringify(result) ?? 'null')
          .then(
            (payload) => {
              settle({
                kind: 'result',
                handlerMs: performance.now() - start,
                payload,
                maxMemoryUsedMb: residentMemoryMb(),
              });
            },
            (error: unknown) => {
              const described = describeThrown(error);
              const now = Date.now();
              onLog(
                now,
                applicationLine(now, invocation.requestId, 'ERROR', invokeErrorMessage(described)),
              );
              settle({
                kind: 'error',
                handlerMs: performance.now() - start,
                error: described,
                maxMemoryUsedMb: residentMemoryMb(),
              });
            },
          );
      });
    },
    kill() {
      alive = false;
    },
  };
  const start = performance.now();
  try {
    await code.init?.();
  } catch (error) {
    alive = false;
    return {
      instance,
      initDurationMs: performance.now() - start,
      initError: describeThrown(error),
    };
  }
  return { instance, initDurationMs: performance.now() - start };
}
