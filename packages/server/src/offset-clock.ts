import type { BatcherClock } from '@mbs/batcher';
import { createSystemClock } from '@mbs/batcher';

/**
 * The system clock shifted so that time 0 is now: record times are then seconds after the
 * server started, as `mbs run` writes them, and window start times count from the start too.
 */
export function createOffsetClock(): BatcherClock {
  const system = createSystemClock();
  const originSeconds = system.now();
  return {
    now: () => system.now() - originSeconds,
    setTimer: (atSeconds, callback, options) =>
      system.setTimer(atSeconds + originSeconds, callback, options),
    clearTimer: (handle) => system.clearTimer(handle),
  };
}
