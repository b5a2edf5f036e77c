import type { LogTail } from './emulator-state.js';
import { LOG_TAIL_BYTES } from './limits.js';

/**
 * The last lines of one invocation's log, at least {@link LOG_TAIL_BYTES} of them when there
 * are that many, for `LogType: Tail`; older lines are dropped as new ones come, so a function
 * that logs a lot does not hold its whole log in memory until it ends.
 */
export class InvocationLogTail implements LogTail {
  readonly #lines: { text: string; bytes: number }[] = [];
  #bytes = 0;

  push(line: string): void {
    const bytes = Buffer.byteLength(line);
    this.#lines.push({ text: line, bytes });
    this.#bytes += bytes;
    while (this.#lines.length > 1 && this.#bytes - this.#lines[0]!.bytes >= LOG_TAIL_BYTES) {
      this.#bytes -= this.#lines.shift()!.bytes;
    }
  }

  /** The kept lines, joined. */
  text(): string {
    return this.#lines.map((line) => line.text).join('');
  }
}
