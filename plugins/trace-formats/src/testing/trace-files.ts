import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Arrival, Trace } from '@mbs/core';

let directory: string | undefined;

/** Writes `text` to a new file in a per-process temporary directory and returns its path (tests only). */
export function writeTemporaryFile(name: string, text: string): string {
  directory ??= mkdtempSync(join(tmpdir(), 'mbs-trace-formats-'));
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

/** Every arrival of a trace, in order (tests only). */
export async function collect(trace: Trace): Promise<Arrival[]> {
  const arrivals: Arrival[] = [];
  for await (const arrival of trace) arrivals.push(arrival);
  return arrivals;
}
