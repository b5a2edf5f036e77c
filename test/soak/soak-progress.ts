// Live progress of the soak: follows batches.jsonl as `mbs run` appends to it and, at every
// 10,000th answered invocation, samples the emulator's resident memory and its instance
// processes (whose ids are kept, to check afterwards that none outlives the emulator).
import { open } from 'node:fs/promises';
import { childProcessIds, commandLine, residentMemoryMb } from './soak-processes.js';

/** One sample: when the run had answered `invocations` invocations. */
export interface ProgressSample {
  readonly invocations: number;
  readonly seconds: number;
  readonly rssMb: number;
  readonly instances: number;
}

/** Follows a batches.jsonl being written; `stop()` returns the samples taken. */
export function followProgress(
  batchesPath: string,
  emulatorPid: number,
  options: { readonly every: number; readonly log: (line: string) => void },
) {
  const startedMs = Date.now();
  const samples: ProgressSample[] = [];
  /** Every instance process seen, with its command line (process ids are reused). */
  const instancePids = new Map<number, string>();
  let offset = 0;
  let partial = '';
  let answered = 0;
  let nextMark = options.every;
  let busy = false;

  const instances = () => {
    let alive = 0;
    for (const pid of childProcessIds(emulatorPid)) {
      const command = commandLine(pid);
      if (!command.includes('bootstrap.mjs')) continue;
      alive += 1;
      instancePids.set(pid, command);
    }
    return alive;
  };
  const sample = (invocations: number) => {
    const entry = {
      invocations,
      seconds: (Date.now() - startedMs) / 1000,
      rssMb: residentMemoryMb(emulatorPid) ?? Number.NaN,
      instances: instances(),
    };
    samples.push(entry);
    options.log(
      `soak: ${String(invocations).padStart(7)} invocations answered, ${entry.seconds.toFixed(0).padStart(5)} s, ${invocations === 0 ? 0 : (invocations / entry.seconds).toFixed(0)}/s, emulator RSS ${entry.rssMb.toFixed(1)} MB, ${entry.instances} instance process(es)`,
    );
  };
  const poll = async () => {
    if (busy) return;
    busy = true;
    try {
      const file = await open(batchesPath, 'r').catch(() => undefined);
      if (!file) return;
      try {
        for (;;) {
          const chunk = Buffer.alloc(1 << 20);
          const { bytesRead } = await file.read(chunk, 0, chunk.length, offset);
          if (bytesRead === 0) break;
          offset += bytesRead;
          const lines = (partial + chunk.subarray(0, bytesRead).toString('utf8')).split('\n');
          partial = lines.pop()!;
          for (const line of lines) {
            if (!line.includes('"invocationId"')) continue;
            answered += 1;
            if (answered === nextMark) {
              sample(answered);
              nextMark += options.every;
            }
          }
        }
      } finally {
        await file.close();
      }
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => {
    void poll();
    // Between marks too: instance processes come and go.
    instances();
  }, 250);
  return {
    /** The sample before any invocation. */
    start: () => sample(0),
    async stop() {
      clearInterval(timer);
      while (busy) await new Promise((resolve) => setTimeout(resolve, 20));
      await poll();
      return { samples, answered, instancePids };
    },
  };
}
