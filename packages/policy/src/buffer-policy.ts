import { errors } from './errors.js';

/** B and T of one buffer. */
export interface BufferPolicySettings {
  /** B: a batch leaves when it holds this many requests (integer >= 1). */
  readonly batchSize: number;
  /** T: a batch leaves this long after its first request, if not full before (>= 0). */
  readonly timeoutSeconds: number;
}

/** Why a batch left the buffer. */
export type DispatchReason = 'full' | 'timeout' | 'flush' | 'reconfigure';

/** A batch leaving the buffer. */
export interface Dispatch<Item> {
  /** The requests in arrival order. */
  readonly items: readonly Item[];
  /** Arrival time of the first request, in seconds. */
  readonly openedSeconds: number;
  readonly reason: DispatchReason;
}

/** What the caller must do after an event: send a batch, and/or (re)arm the timer. */
export interface Decision<Item> {
  /** A batch to send now. */
  readonly dispatch?: Dispatch<Item>;
  /** When the open batch times out, if one is open after this event. */
  readonly deadlineSeconds?: number;
}

/**
 * The buffer dispatch policy as a pure state machine: events in, decisions out; no timers, no
 * I/O. An arriving request opens a batch if the buffer is empty; the batch leaves when it holds B
 * requests (at that arrival) or T seconds after its first request, whichever is first; then the
 * buffer is empty again. The replay (`@mbs/sim`) and the runtime (`@mbs/batcher`) both drive this
 * one implementation, so they cannot disagree.
 */
export interface BufferPolicy<Item> {
  /** A request arrives at `nowSeconds`. */
  onArrival(nowSeconds: number, item: Item): Decision<Item>;
  /** The timer armed for the last deadline fired at `nowSeconds` (early firings are ignored). */
  onTimer(nowSeconds: number): Decision<Item>;
  /** Sends the open batch now, whatever its size or age (shutdown). */
  flush(nowSeconds: number): Decision<Item>;
  /**
   * Takes `item` out of the open batch (its caller gave up before the batch left) and says
   * whether it was there. The batch keeps the deadline of its first arrival, so the requests
   * left never wait longer than they would have; a batch left empty is closed (no deadline).
   */
  withdraw(item: Item): boolean;
  /**
   * Applies new B and T. An open batch that is already as full as the new B, or as old as the new
   * T, leaves now (reason `reconfigure`); otherwise it keeps its requests and gets the new deadline.
   */
  reconfigure(settings: BufferPolicySettings, nowSeconds: number): Decision<Item>;
  /** When the open batch times out; undefined when the buffer is empty. */
  deadlineSeconds(): number | undefined;
  /** Requests in the open batch. */
  pending(): number;
  /** The B and T in force. */
  settings(): BufferPolicySettings;
}

// Timers fire a hair early or late on real clocks; a deadline this close counts as reached.
const DEADLINE_TOLERANCE_SECONDS = 1e-9;

function checkSettings(settings: BufferPolicySettings): BufferPolicySettings {
  const { batchSize, timeoutSeconds } = settings;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw errors.error('OPTION_INVALID', `batchSize must be an integer >= 1; got ${batchSize}`, {
      details: { option: 'batchSize', value: batchSize },
    });
  }
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) {
    throw errors.error(
      'OPTION_INVALID',
      `timeoutSeconds must be a finite number >= 0; got ${timeoutSeconds}`,
      {
        details: { option: 'timeoutSeconds', value: timeoutSeconds },
      },
    );
  }
  return { batchSize, timeoutSeconds };
}

/**
 * A new, empty buffer policy.
 *
 * @example
 * ```ts
 * const policy = createBufferPolicy<string>({ batchSize: 8, timeoutSeconds: 0.1 });
 * const decision = policy.onArrival(12.5, 'request-1');
 * if (decision.dispatch) send(decision.dispatch.items);
 * else if (decision.deadlineSeconds !== undefined) armTimer(decision.deadlineSeconds);
 * ```
 */
export function createBufferPolicy<Item>(initial: BufferPolicySettings): BufferPolicy<Item> {
  let current = checkSettings(initial);
  let items: Item[] = [];
  let openedSeconds = 0;

  const deadline = () => (items.length === 0 ? undefined : openedSeconds + current.timeoutSeconds);
  const release = (reason: DispatchReason): Decision<Item> => {
    const dispatch = { items, openedSeconds, reason };
    items = [];
    return { dispatch };
  };
  const waiting = (): Decision<Item> => {
    const due = deadline();
    return due === undefined ? {} : { deadlineSeconds: due };
  };
  const expired = (nowSeconds: number) =>
    items.length > 0 &&
    nowSeconds >= openedSeconds + current.timeoutSeconds - DEADLINE_TOLERANCE_SECONDS;

  return {
    onArrival(nowSeconds, item) {
      if (items.length === 0) openedSeconds = nowSeconds;
      items.push(item);
      if (items.length >= current.batchSize) return release('full');
      if (expired(nowSeconds)) return release('timeout');
      return waiting();
    },
    onTimer(nowSeconds) {
      return expired(nowSeconds) ? release('timeout') : waiting();
    },
    flush() {
      return items.length > 0 ? release('flush') : {};
    },
    withdraw(item) {
      const index = items.indexOf(item);
      if (index < 0) return false;
      items.splice(index, 1);
      return true;
    },
    reconfigure(settings, nowSeconds) {
      current = checkSettings(settings);
      if (items.length > 0 && (items.length >= current.batchSize || expired(nowSeconds)))
        return release('reconfigure');
      return waiting();
    },
    deadlineSeconds: deadline,
    pending: () => items.length,
    settings: () => current,
  };
}
