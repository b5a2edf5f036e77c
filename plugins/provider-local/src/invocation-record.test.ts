import { reportLine } from '@mbs/lambda-emulator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invocationRecordOfReportLine } from './invocation-record.js';

describe('reportLine and invocationRecordOfReportLine', () => {
  it('reads back what it writes (to the hundredth)', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.double({ min: 0, max: 900_000, noNaN: true }),
        fc.integer({ min: 128, max: 10_240 }),
        fc.option(fc.double({ min: 0, max: 10_000, noNaN: true }), { nil: undefined }),
        (requestId, durationMs, memorySizeMb, initDurationMs) => {
          const figures = {
            requestId,
            durationMs,
            billedDurationMs: Math.ceil(durationMs),
            memorySizeMb,
            maxMemoryUsedMb: 64,
            ...(initDurationMs === undefined ? {} : { initDurationMs }),
          };
          const record = invocationRecordOfReportLine(reportLine(figures), 'f');
          expect(record?.requestId).toBe(requestId);
          expect(record?.durationMs).toBeCloseTo(durationMs, 1);
          expect(record?.memorySizeMb).toBe(memorySizeMb);
          expect(record?.initDurationMs === undefined).toBe(initDurationMs === undefined);
          if (initDurationMs !== undefined)
            expect(record?.initDurationMs).toBeCloseTo(initDurationMs, 1);
        },
      ),
    );
  });

  it('marks timeouts and ignores other lines', () => {
    const line = reportLine({
      requestId: 'x',
      durationMs: 1000,
      billedDurationMs: 1000,
      memorySizeMb: 128,
      maxMemoryUsedMb: 50,
      status: 'timeout',
    });
    expect(invocationRecordOfReportLine(line, 'f')?.error?.type).toBe('Sandbox.Timedout');
    expect(
      invocationRecordOfReportLine('START RequestId: x Version: $LATEST\n', 'f'),
    ).toBeUndefined();
    expect(
      invocationRecordOfReportLine('REPORT RequestId: x\tDuration: 1.00 ms\t', 'f'),
    ).toBeUndefined();
  });
});
