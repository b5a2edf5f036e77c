import type { TraceReader } from '@mbs/core';
import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCsvTraceReader } from './csv-trace-reader.js';
import { createInterArrivalTraceReader } from './inter-arrival-trace-reader.js';
import { collect, writeTemporaryFile } from './testing/trace-files.js';

/** Lines that are near misses of real ones, plus arbitrary text. */
const line = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...'0123456789.,-+eE: T#\t\r"x'), maxLength: 40 }),
  fc
    .tuple(fc.date({ noInvalidDate: true }), fc.double(), fc.integer())
    .map(
      ([date, size, other]) =>
        `${date.toISOString().replace('T', ' ').replace('Z', '')},${size},${other}`,
    ),
  fc.tuple(fc.double(), fc.integer({ min: -2, max: 40 })).map(([gap, id]) => `${gap} ${id}`),
  fc.tuple(fc.double(), fc.double()).map(([time, size]) => `${time},${size}`),
  fc.double().map(String),
  fc.constantFrom('', '#', 'TIMESTAMP,ContextTokens,GeneratedTokens', 'time,size', 'NaN,NaN'),
);

const file = fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n'));

let counter = 0;

async function fuzz(
  create: () => TraceReader,
  extension: string,
  options?: Record<string, unknown>,
) {
  await fc.assert(
    fc.asyncProperty(file, fc.boolean(), async (text, sort) => {
      const path = writeTemporaryFile(`fuzz-${counter++}${extension}`, text);
      const trace = create().read(path, { ...options, sort });
      try {
        const arrivals = await collect(trace);
        expect(arrivals.length).toBeGreaterThan(0);
        for (const arrival of arrivals) {
          expect(Number.isFinite(arrival.timeSeconds)).toBe(true);
          expect(Number.isFinite(arrival.size) && arrival.size >= 0).toBe(true);
        }
        for (let index = 1; index < arrivals.length; index++) {
          expect(arrivals[index]!.timeSeconds).toBeGreaterThanOrEqual(
            arrivals[index - 1]!.timeSeconds,
          );
        }
        const report = trace.report();
        const skipped = Object.values(report.skipped).reduce((sum, count) => sum + count, 0);
        expect(report.arrivals + skipped).toBe(report.linesRead);
      } catch (error) {
        if (!isMbsError(error)) throw error;
        expect(['TRACE_PARSE', 'TRACE_ORDER', 'TRACE_EMPTY']).toContain(error.code);
        if (error.code !== 'TRACE_EMPTY') expect(error.message).toContain(`${path}:`);
      }
    }),
    { numRuns: 150 },
  );
}

describe('readers on random line garbage', () => {
  it('csv: finite ordered arrivals or an MbsError naming file:line', async () => {
    await fuzz(createCsvTraceReader, '.csv');
  });

  it('inter-arrivals: finite ordered arrivals or an MbsError naming file:line', async () => {
    await fuzz(createInterArrivalTraceReader, '.txt', {});
  });
});
