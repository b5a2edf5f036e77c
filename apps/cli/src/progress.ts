import type { CliIo } from './io.js';

/** Reports progress of long work on stderr. */
export interface ProgressReporter {
  update(message: string): void;
  done(): void;
}

/**
 * Progress on stderr that stays quiet for the first second (short runs print nothing), then
 * redraws one line on a terminal or prints at most one line a second elsewhere.
 */
export function createProgress(io: CliIo, quietMs = 1000, intervalMs = 1000): ProgressReporter {
  const started = Date.now();
  let lastPrinted = 0;
  let drawn = false;
  return {
    update(message) {
      const now = Date.now();
      if (now - started < quietMs || now - lastPrinted < (io.stderrIsTty ? 100 : intervalMs))
        return;
      lastPrinted = now;
      const line = `[${((now - started) / 1000).toFixed(1)} s] ${message}`;
      if (io.stderrIsTty) {
        io.stderr(`\r\x1b[2K${line}`);
        drawn = true;
      } else io.stderr(`${line}\n`);
    },
    done() {
      if (drawn) io.stderr('\r\x1b[2K');
      drawn = false;
    },
  };
}
