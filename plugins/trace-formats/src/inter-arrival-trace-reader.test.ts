import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { createInterArrivalTraceReader } from './inter-arrival-trace-reader.js';
import { collect, writeTemporaryFile } from './testing/trace-files.js';

describe('inter-arrival trace reader', () => {
  it('accumulates inter-arrival times and uses class ids as sizes', async () => {
    const path = writeTemporaryFile(
      'replay.txt',
      'interarrival class\n# replay\n0.5 2\n0.25,0\n\n1\t3\n',
    );
    const reader = createInterArrivalTraceReader();
    expect(await reader.canRead(path)).toBe(true);
    const trace = reader.read(path);
    expect(await collect(trace)).toEqual([
      { timeSeconds: 0.5, size: 2, classId: 2 },
      { timeSeconds: 0.75, size: 0, classId: 0 },
      { timeSeconds: 1.75, size: 3, classId: 3 },
    ]);
    expect(trace.report()).toEqual({
      linesRead: 6,
      arrivals: 3,
      skipped: { header: 1, comment: 1, blank: 1 },
    });
    expect(trace.metadata.sizeUnit).toBe('class');
  });

  it('gives size 0 to lines without a class id', async () => {
    const path = writeTemporaryFile('plain.iat', '0.1\n0.2\n');
    const arrivals = await collect(createInterArrivalTraceReader().read(path));
    expect(arrivals.map((arrival) => arrival.size)).toEqual([0, 0]);
    expect(arrivals[1]!.timeSeconds).toBeCloseTo(0.3, 15);
  });

  it('names the line of negative times, bad class ids and extra fields', async () => {
    const reader = createInterArrivalTraceReader();
    for (const [index, [text, message]] of [
      ['0.1\n-0.2\n', ':2: inter-arrival time "-0.2"'],
      ['0.1 1.5\n', ':1: class id "1.5"'],
      ['0.1 1 2\n', ':1: 3 fields'],
      ['0.1\nabc\n', ':2: inter-arrival time "abc"'],
    ].entries()) {
      const path = writeTemporaryFile(`bad-${index}.txt`, text!);
      const error = await collect(reader.read(path)).catch((caught: unknown) => caught);
      expect(isMbsError(error, 'TRACE_PARSE'), String(error)).toBe(true);
      expect((error as Error).message).toContain(`${path}${message}`);
    }
  });

  it('does not claim MAP matrices, CSV traces or JSON', async () => {
    const reader = createInterArrivalTraceReader();
    expect(await reader.canRead(writeTemporaryFile('d0.csv', '-14.6,0.0\n0.0,-35.1\n'))).toBe(
      false,
    );
    expect(await reader.canRead(writeTemporaryFile('d1.csv', '0.05,14.57\n0.06,35.1\n'))).toBe(
      false,
    );
    expect(await reader.canRead(writeTemporaryFile('t.csv', 'time,size\n1,2\n'))).toBe(false);
    expect(await reader.canRead(writeTemporaryFile('m.json', '1\n'))).toBe(false);
  });
});
