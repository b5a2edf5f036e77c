import type { BatcherClock } from './clock.js';
import { errors } from './errors.js';

/** A clock that moves only when told to, for tests and trace replay. */
export interface VirtualClock extends BatcherClock {
  /**
   * Moves time forward to `atSeconds`, firing due timers in time order (ties in the order they
   * were set) and letting promise callbacks settle after each one.
   */
  advanceTo(atSeconds: number): Promise<void>;
  /** Moves time forward by `seconds`; see {@link VirtualClock.advanceTo}. */
  advanceBy(seconds: number): Promise<void>;
  /** Fires timers in order until none are left; throws INTERNAL after `maxTimers` timers. */
  runUntilIdle(maxTimers?: number): Promise<void>;
  /** Lets pending promise callbacks settle without moving time. */
  settle(): Promise<void>;
  /** Timers set and not yet fired or cancelled. */
  pendingTimers(): number;
  /** Due time of the earliest pending timer, in seconds. */
  nextTimerSeconds(): number | undefined;
}

interface VirtualTimer {
  readonly atSeconds: number;
  readonly sequence: number;
  readonly callback: () => void;
  done: boolean;
}

const earlier = (a: VirtualTimer, b: VirtualTimer) =>
  a.atSeconds < b.atSeconds || (a.atSeconds === b.atSeconds && a.sequence < b.sequence);

/** A binary min-heap of timers by (due time, order set). */
class TimerHeap {
  private readonly items: VirtualTimer[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): VirtualTimer | undefined {
    return this.items[0];
  }

  push(timer: VirtualTimer): void {
    const items = this.items;
    items.push(timer);
    let index = items.length - 1;
    while (index > 0) {
      const parent = (index - 1) >>> 1;
      if (!earlier(items[index]!, items[parent]!)) break;
      [items[index], items[parent]] = [items[parent]!, items[index]!];
      index = parent;
    }
  }

  pop(): VirtualTimer | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < items.length && earlier(items[left]!, items[smallest]!)) smallest = left;
      if (right < items.length && earlier(items[right]!, items[smallest]!)) smallest = right;
      if (smallest === index) break;
      [items[index], items[smallest]] = [items[smallest]!, items[index]!];
      index = smallest;
    }
    return top;
  }
}

// A macrotask turn: every queued microtask (promise callback) runs before it.
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A virtual clock starting at `startSeconds`: `now()` stays put until `advanceTo`, `advanceBy`
 * or `runUntilIdle` moves it, and timers fire exactly at their due time.
 *
 * @example
 * ```ts
 * const clock = createVirtualClock();
 * const batcher = createBatcher({ config, provider, clock });
 * const result = batcher.submit({ size: 10, input: 'x' });
 * await clock.advanceBy(0.2); // the batch times out and its invocation runs
 * ```
 */
export function createVirtualClock(startSeconds = 0): VirtualClock {
  if (!Number.isFinite(startSeconds)) {
    throw errors.error(
      'OPTION_INVALID',
      `createVirtualClock startSeconds must be a finite number; got ${startSeconds}`,
    );
  }
  let nowSeconds = startSeconds;
  let sequence = 0;
  let pending = 0;
  const heap = new TimerHeap();

  const dropCancelled = () => {
    while (heap.peek()?.done) heap.pop();
  };

  const fireNext = async (limitSeconds: number): Promise<boolean> => {
    dropCancelled();
    const timer = heap.peek();
    if (timer === undefined || timer.atSeconds > limitSeconds) return false;
    heap.pop();
    timer.done = true;
    pending--;
    nowSeconds = Math.max(nowSeconds, timer.atSeconds);
    timer.callback();
    await nextTurn();
    return true;
  };

  const clock: VirtualClock = {
    now: () => nowSeconds,
    setTimer(atSeconds, callback) {
      const timer: VirtualTimer = { atSeconds, sequence: sequence++, callback, done: false };
      heap.push(timer);
      pending++;
      return timer;
    },
    clearTimer(handle) {
      const timer = handle as VirtualTimer | undefined;
      if (!timer || timer.done) return;
      timer.done = true;
      pending--;
    },
    async advanceTo(atSeconds) {
      await nextTurn();
      while (await fireNext(atSeconds)) {
        // Each fired timer may set new ones that are also due.
      }
      nowSeconds = Math.max(nowSeconds, atSeconds);
      await nextTurn();
    },
    advanceBy(seconds) {
      return clock.advanceTo(nowSeconds + seconds);
    },
    async runUntilIdle(maxTimers = 1_000_000) {
      await nextTurn();
      for (let fired = 0; await fireNext(Number.POSITIVE_INFINITY); fired++) {
        if (fired >= maxTimers) {
          throw errors.error(
            'INTERNAL',
            `virtual clock: more than ${maxTimers} timers fired in runUntilIdle; a timer keeps re-arming itself`,
          );
        }
      }
    },
    settle: nextTurn,
    pendingTimers: () => pending,
    nextTimerSeconds() {
      dropCancelled();
      return heap.peek()?.atSeconds;
    },
  };
  return clock;
}
