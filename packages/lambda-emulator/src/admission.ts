import type {
  EmulatorState,
  FunctionState,
  InvocationRequest,
  QueuedEvent,
} from './emulator-state.js';
import { throttleReason } from './function-concurrency.js';
import { type RunResult, runInvocation } from './run-invocation.js';

/**
 * Runs an invocation counted in flight for concurrency; when it ends, queued Event invocations
 * that now fit are started.
 */
export async function runAdmitted(
  emulator: EmulatorState,
  state: FunctionState,
  request: InvocationRequest,
): Promise<RunResult> {
  // Counted before any await, so concurrent admissions see this invocation.
  state.inflight += 1;
  try {
    return await runInvocation(emulator, state, request);
  } finally {
    state.inflight -= 1;
    drainEvents(emulator);
  }
}

/** Queues an Event invocation; it starts as soon as its function's concurrency allows. */
export function enqueueEvent(emulator: EmulatorState, event: QueuedEvent): void {
  emulator.queuedEvents.push(event);
  drainEvents(emulator);
}

/**
 * Starts every queued event whose function has concurrency free, in queue order; events of
 * deleted functions are dropped, throttled ones wait.
 */
function drainEvents(emulator: EmulatorState): void {
  const { queuedEvents, functions } = emulator;
  for (let index = 0; index < queuedEvents.length && !emulator.disposed; ) {
    const event = queuedEvents[index]!;
    const state = functions.get(event.functionName);
    if (!state) {
      queuedEvents.splice(index, 1);
      continue;
    }
    if (throttleReason(emulator, state) !== undefined) {
      index++;
      continue;
    }
    queuedEvents.splice(index, 1);
    runAdmitted(emulator, state, event).catch(() => {
      // An event's failure is in its logs; nobody waits for its answer.
    });
  }
}
