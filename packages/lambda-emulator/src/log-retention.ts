import { type LogStream, retainedBytes } from './log-stream.js';

/** Consecutive appends to one stream, oldest first. */
interface Run {
  readonly stream: LogStream;
  count: number;
}

/**
 * The retention of a log store, as a log group's retention on CloudWatch Logs: it keeps the
 * order in which events arrived across all streams (run-length encoded), and drops the oldest
 * events while the store holds more than `maxBytes` or they are older than `maxAgeSeconds`.
 */
export class LogRetention {
  readonly #runs: Run[] = [];
  #head = 0;
  #bytes = 0;
  /** Streams deleted with their group: their remaining runs are skipped. */
  readonly #deleted = new WeakSet<LogStream>();

  constructor(
    private readonly maxBytes: number,
    private readonly maxAgeMs: number | undefined,
    /** Called when a stream has no event left after a drop. */
    private readonly onEmptied: (stream: LogStream) => void,
  ) {}

  /** Bytes held, as retention counts them. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Records an event just appended to `stream`, then drops what retention no longer keeps. */
  added(stream: LogStream, message: string, nowMs: number): void {
    this.#bytes += retainedBytes(message);
    const last = this.#runs.at(-1);
    if (last && this.#runs.length > this.#head && last.stream === stream) last.count += 1;
    else this.#runs.push({ stream, count: 1 });
    this.enforce(nowMs);
  }

  /** Forgets a deleted stream's events. */
  removed(stream: LogStream): void {
    this.#deleted.add(stream);
    for (let event = stream.dropOldest(); event; event = stream.dropOldest()) {
      this.#bytes -= retainedBytes(event.message);
    }
  }

  /** Drops the oldest events while over the byte budget or older than the age limit. */
  enforce(nowMs: number): void {
    const oldestKept = this.maxAgeMs === undefined ? undefined : nowMs - this.maxAgeMs;
    while (this.#head < this.#runs.length) {
      const run = this.#runs[this.#head]!;
      if (this.#deleted.has(run.stream) || run.count === 0) {
        this.#advance();
        continue;
      }
      const oldest = run.stream.first();
      const tooOld =
        oldestKept !== undefined && oldest !== undefined && oldest.ingestionTime < oldestKept;
      if (this.#bytes <= this.maxBytes && !tooOld) return;
      const dropped = run.stream.dropOldest();
      run.count -= 1;
      if (dropped) this.#bytes -= retainedBytes(dropped.message);
      if (run.stream.size === 0) this.onEmptied(run.stream);
    }
  }

  #advance(): void {
    this.#head += 1;
    if (this.#head >= 1024 && this.#head * 2 >= this.#runs.length) {
      this.#runs.splice(0, this.#head);
      this.#head = 0;
    }
  }
}
