import { LOG_EVENT_OVERHEAD_BYTES } from './limits.js';

/** One stored log event. */
export interface StoredLogEvent {
  /** When the line was written, in milliseconds since the epoch. */
  readonly timestamp: number;
  readonly message: string;
  /** When the store received it, in milliseconds since the epoch. */
  readonly ingestionTime: number;
  /** Global arrival order, the tie-breaker for equal timestamps and the event id. */
  readonly sequence: number;
}

/** The bytes an event counts for retention: its UTF-8 message plus CloudWatch's 26 per event. */
export function retainedBytes(message: string): number {
  return Buffer.byteLength(message) + LOG_EVENT_OVERHEAD_BYTES;
}

/**
 * A log stream's events in arrival order. Retention drops events from the front; positions
 * (GetLogEvents' tokens) count every event ever appended, so a token stays valid while older
 * events go.
 */
export class LogStream {
  /** Events in arrival order; a dropped event's slot is cleared until the array is compacted. */
  readonly #events: (StoredLogEvent | undefined)[] = [];
  /** Index in `#events` of the oldest kept event. */
  #head = 0;
  /** Position of `#events[0]`. */
  #base = 0;
  /** UTF-8 bytes of the kept messages (DescribeLogStreams' storedBytes). */
  storedBytes = 0;

  constructor(
    readonly name: string,
    readonly creationTime: number,
  ) {}

  /** Number of events kept. */
  get size(): number {
    return this.#events.length - this.#head;
  }

  /** Position of the oldest kept event. */
  get firstPosition(): number {
    return this.#base + this.#head;
  }

  /** Position after the newest event. */
  get endPosition(): number {
    return this.#base + this.#events.length;
  }

  /** The event at a position, if kept. */
  at(position: number): StoredLogEvent | undefined {
    return position < this.firstPosition ? undefined : this.#events[position - this.#base];
  }

  /** Kept events, oldest first (a copy). */
  kept(): StoredLogEvent[] {
    return this.#events.slice(this.#head) as StoredLogEvent[];
  }

  first(): StoredLogEvent | undefined {
    return this.#events[this.#head];
  }

  last(): StoredLogEvent | undefined {
    return this.size > 0 ? this.#events.at(-1) : undefined;
  }

  push(event: StoredLogEvent): void {
    this.#events.push(event);
    this.storedBytes += Buffer.byteLength(event.message);
  }

  /** Drops the oldest kept event and returns it. */
  dropOldest(): StoredLogEvent | undefined {
    const event = this.#events[this.#head];
    if (!event) return undefined;
    // Cleared at once, so a dropped message is freed now rather than at the next compaction.
    this.#events[this.#head] = undefined;
    this.#head += 1;
    this.storedBytes -= Buffer.byteLength(event.message);
    // Compacts now and then, so dropping stays O(1) amortised.
    if (this.#head >= 1024 && this.#head * 2 >= this.#events.length) {
      this.#events.splice(0, this.#head);
      this.#base += this.#head;
      this.#head = 0;
    }
    return event;
  }
}
