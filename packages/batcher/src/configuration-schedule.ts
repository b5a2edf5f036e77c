import type {
  BufferConfiguration,
  ConfigurationWindow,
  SystemConfiguration,
  SystemInput,
} from '@mbs/core';
import { createClassRouter } from '@mbs/policy';
import { applyDecision } from './batch-dispatch.js';
import type { BatcherState } from './batcher-state.js';
import type { BufferSlot } from './buffer-slot.js';
import { createBufferSlot, isIdle, stopSlotTimer } from './buffer-slot.js';
import type { BatcherConfiguration } from './configuration-input.js';
import { normalizeConfiguration } from './configuration-input.js';
import { errors } from './errors.js';

const isSystemInput = (value: unknown): value is SystemInput =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as { buffers?: unknown }).buffers) &&
  (value as { schema?: unknown }).schema === undefined;

const createSlot = (
  state: BatcherState,
  buffer: BufferConfiguration,
  index: number,
  functionName: string,
): BufferSlot =>
  createBufferSlot(buffer, index, functionName, (slot) =>
    applyDecision(state, slot, slot.policy.onTimer(state.clock.now())),
  );

const applySystem = (state: BatcherState, system: SystemConfiguration): void => {
  const nextRouter = createClassRouter(system, state.routingRandom);
  // Windows are named only when the document has several, as `mbs deploy` names them.
  const windowIndex = state.configuration.windows.length > 1 ? state.windowIndex : undefined;
  const names = system.buffers.map((buffer, index) =>
    state.functionNameOf(buffer, index, windowIndex),
  );
  const now = state.clock.now();
  if (state.slots.length === system.buffers.length) {
    // Same buffers: each open batch stays and the policy decides whether it leaves now.
    system.buffers.forEach((buffer, index) => {
      const slot = state.slots[index]!;
      slot.configuration = buffer;
      slot.functionName = names[index]!;
      applyDecision(
        state,
        slot,
        slot.policy.reconfigure(
          { batchSize: buffer.batchSize, timeoutSeconds: buffer.timeoutSeconds },
          now,
        ),
      );
    });
  } else {
    // Different buffers: open batches leave now under the old configuration.
    for (const slot of state.slots) {
      applyDecision(state, slot, slot.policy.flush(now));
      stopSlotTimer(state.clock, slot);
      slot.retired = true;
      if (!isIdle(slot)) state.retiredSlots.add(slot);
    }
    state.slots = system.buffers.map((buffer, index) =>
      createSlot(state, buffer, index, names[index]!),
    );
  }
  state.route = nextRouter.route;
  state.configurationChanges++;
};

const windowTimeSeconds = (state: BatcherState, now: number): number => {
  const elapsed = now - state.scheduleOriginSeconds;
  const period = state.schedulePeriodSeconds;
  if (period === undefined) return elapsed;
  return ((elapsed % period) + period) % period;
};

const activeWindowIndex = (
  state: BatcherState,
  windows: readonly ConfigurationWindow[],
  now: number,
): number => {
  const time = windowTimeSeconds(state, now);
  let index = 0;
  for (let candidate = 1; candidate < windows.length; candidate++) {
    if (windows[candidate]!.startSeconds <= time) index = candidate;
  }
  return index;
};

/** Clock time of the next window start after `now`, or undefined if none comes. */
const nextSwitchSeconds = (
  state: BatcherState,
  windows: readonly ConfigurationWindow[],
  now: number,
) => {
  const time = windowTimeSeconds(state, now);
  const base = now - time;
  const later = windows.find((window) => window.startSeconds > time);
  if (later !== undefined) return base + later.startSeconds;
  const period = state.schedulePeriodSeconds;
  if (period === undefined || windows.length < 2) return undefined;
  return base + period + windows[0]!.startSeconds;
};

/**
 * Applies the window of the configuration that is due (the first one unless `followSchedule`)
 * when it is not applied yet, and arms the timer of the next window switch.
 */
export function followWindows(state: BatcherState): void {
  stopSchedule(state);
  if (state.closing) return;
  const now = state.clock.now();
  const windows = state.configuration.windows;
  const index = state.followSchedule ? activeWindowIndex(state, windows, now) : 0;
  if (index !== state.windowIndex) {
    state.windowIndex = index;
    applySystem(state, windows[index]!.system);
  }
  if (!state.followSchedule) return;
  const next = nextSwitchSeconds(state, windows, now);
  if (next !== undefined) {
    // The schedule alone must not keep a process alive.
    state.scheduleTimer = state.clock.setTimer(next, () => followWindows(state), {
      keepAlive: false,
    });
  }
}

/** Cancels the timer of the next window switch, if one is armed. */
export function stopSchedule(state: BatcherState): void {
  if (state.scheduleTimer !== undefined) state.clock.clearTimer(state.scheduleTimer);
  state.scheduleTimer = undefined;
}

/**
 * Checks and applies a new configuration (see `Batcher.reconfigure`); a bare system keeps the
 * current class edges. Throws MbsError CLOSED after close(), or the configuration's error.
 */
export function reconfigureBatcher(
  state: BatcherState,
  config: BatcherConfiguration | SystemInput,
): void {
  if (state.closing) {
    throw errors.error('CLOSED', 'reconfigure after close(); the batcher no longer serves');
  }
  const next = isSystemInput(config)
    ? normalizeConfiguration(
        { classUpperEdges: state.scheme.upperEdges, system: config },
        'reconfigure(system)',
      )
    : normalizeConfiguration(config, 'reconfigure(config)');
  state.configuration = next;
  state.scheme = next.scheme;
  state.windowIndex = -1;
  followWindows(state);
}
