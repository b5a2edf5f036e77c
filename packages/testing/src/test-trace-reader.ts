import type { Arrival, TraceReader } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { expectRegistrable } from './assert-registrable.js';

/** A source the reader must read, with what it must find there. */
export interface TraceReaderFixture {
  /** Path (or source string) the reader recognises. */
  readonly source: string;
  /** Arrivals it holds. */
  readonly arrivals: number;
  /** Options to read it with. */
  readonly options?: Record<string, unknown>;
}

/**
 * The contract every trace reader passes: it recognises its fixtures and not a foreign source,
 * and streams finite, time-ordered arrivals whose count matches its report.
 *
 * @example
 * ```ts
 * testTraceReader('csv', () => createCsvTraceReader(), { fixtures: [{ source: 'a.csv', arrivals: 3 }], foreignSource: 'x.bin' });
 * ```
 */
export function testTraceReader(
  label: string,
  create: () => TraceReader,
  setup: { readonly fixtures: readonly TraceReaderFixture[]; readonly foreignSource?: string },
): void {
  describe(`trace reader contract: ${label}`, () => {
    it('is a registrable v1 trace reader', () => {
      expectRegistrable('trace-reader', create());
    });

    for (const fixture of setup.fixtures) {
      it(`recognises and streams ${fixture.source}`, async () => {
        const reader = create();
        expect(await reader.canRead(fixture.source)).toBe(true);
        const trace = reader.read(fixture.source, fixture.options);
        const arrivals: Arrival[] = [];
        for await (const arrival of trace) arrivals.push(arrival);
        expect(arrivals).toHaveLength(fixture.arrivals);
        let previous = Number.NEGATIVE_INFINITY;
        for (const arrival of arrivals) {
          expect(Number.isFinite(arrival.timeSeconds)).toBe(true);
          expect(arrival.timeSeconds).toBeGreaterThanOrEqual(previous);
          expect(Number.isFinite(arrival.size) && arrival.size >= 0).toBe(true);
          previous = arrival.timeSeconds;
        }
        const report = trace.report();
        expect(report.arrivals).toBe(fixture.arrivals);
        const skipped = Object.values(report.skipped).reduce((sum, count) => sum + count, 0);
        expect(report.linesRead).toBeGreaterThanOrEqual(report.arrivals + skipped);
        expect(trace.metadata.format).toBe(reader.name);
      });
    }

    if (setup.foreignSource !== undefined) {
      const foreign = setup.foreignSource;
      it('does not claim a foreign source', async () => {
        expect(await create().canRead(foreign)).toBe(false);
      });
    }
  });
}
