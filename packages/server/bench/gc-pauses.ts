// Garbage-collection pauses of a bench process: a stop-the-world pause holds every request in
// that process's event loop, so the pauses of the server and of both drivers are printed beside
// the latency figures they shape (young-generation scavenges are the usual p99 source).
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';

/** GC pauses of one process since the last {@link GcWatch.take}. */
export interface GcPauses {
  /** Young-generation collections (scavenges) and their summed and longest pause, ms. */
  readonly scavenges: number;
  readonly scavengeMs: number;
  readonly longestScavengeMs: number;
  /** Every other collection (mark-compact, incremental steps...). */
  readonly others: number;
  readonly otherMs: number;
}

/** One GC pause on the epoch clock every bench process shares, ms. */
export interface GcPause {
  readonly startEpochMs: number;
  readonly durationMs: number;
  readonly scavenge: boolean;
}

/** Watches this process's GC pauses. */
export interface GcWatch {
  /** The pauses since the last take (or the start), and starts counting again. */
  take(): GcPauses;
  /** Every pause since the last call (or the start), for the breakdown's attribution. */
  takePauses(): GcPause[];
}

/** Starts watching this process's GC pauses (a `gc` PerformanceObserver). */
export function watchGcPauses(): GcWatch {
  let pauses = { scavenges: 0, scavengeMs: 0, longestScavengeMs: 0, others: 0, otherMs: 0 };
  let each: GcPause[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      const scavenge = kind === constants.NODE_PERFORMANCE_GC_MINOR;
      // Bounded: a run of minutes has a few hundred pauses.
      if (each.length < 100_000) {
        each.push({
          startEpochMs: performance.timeOrigin + entry.startTime,
          durationMs: entry.duration,
          scavenge,
        });
      }
      if (scavenge) {
        pauses.scavenges++;
        pauses.scavengeMs += entry.duration;
        pauses.longestScavengeMs = Math.max(pauses.longestScavengeMs, entry.duration);
      } else {
        pauses.others++;
        pauses.otherMs += entry.duration;
      }
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    take() {
      const taken = pauses;
      pauses = { scavenges: 0, scavengeMs: 0, longestScavengeMs: 0, others: 0, otherMs: 0 };
      return taken;
    },
    takePauses() {
      const taken = each;
      each = [];
      return taken;
    },
  };
}

/** One line of a process's pauses over `seconds` of runs: scavenges per second, mean and longest. */
export function describeGcPauses(all: readonly GcPauses[], seconds: number): string {
  const scavenges = all.reduce((sum, p) => sum + p.scavenges, 0);
  const scavengeMs = all.reduce((sum, p) => sum + p.scavengeMs, 0);
  const longest = Math.max(0, ...all.map((p) => p.longestScavengeMs));
  const others = all.reduce((sum, p) => sum + p.others, 0);
  const otherMs = all.reduce((sum, p) => sum + p.otherMs, 0);
  return `${(scavenges / seconds).toFixed(1)} scavenges/s (mean ${(scavengeMs / Math.max(1, scavenges)).toFixed(2)} ms, longest ${longest.toFixed(2)} ms, ${((scavengeMs / (seconds * 1000)) * 100).toFixed(2)} % of the time), ${others} other collections (${otherMs.toFixed(1)} ms)`;
}
