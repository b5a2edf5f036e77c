import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatReportLine, parseReportLine } from './report-line.js';

const WARM =
  'REPORT RequestId: 3f5c2e1a-9b7d-4c3e-8f1a-2b6d9e0c4a71\tDuration: 27.55 ms\tBilled Duration: 28 ms\tMemory Size: 1024 MB\tMax Memory Used: 472 MB\t\n';
const COLD =
  'REPORT RequestId: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d\tDuration: 395.99 ms\tBilled Duration: 662 ms\tMemory Size: 2048 MB\tMax Memory Used: 180 MB\tInit Duration: 265.72 ms\t';
const TIMEOUT =
  'REPORT RequestId: 11111111-2222-4333-8444-555555555555\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\tStatus: timeout';
const XRAY =
  'REPORT RequestId: 22222222-2222-4333-8444-555555555555\tDuration: 1.20 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB\t\nXRAY TraceId: 1-5e1b4151-5ac6c58f5d3c7d8e5bb3c1a0\tSegmentId: 6b3f2d7c8e9a0b1c\tSampled: true\t';

describe('parseReportLine', () => {
  it('reads a warm REPORT line without Init Duration', () => {
    const parsed = parseReportLine(WARM);
    expect(parsed).toEqual({
      ok: true,
      report: {
        requestId: '3f5c2e1a-9b7d-4c3e-8f1a-2b6d9e0c4a71',
        durationMs: 27.55,
        billedDurationMs: 28,
        memorySizeMb: 1024,
        maxMemoryUsedMb: 472,
        otherFields: {},
      },
    });
  });

  it('reads the Init Duration of a cold start', () => {
    const parsed = parseReportLine(COLD);
    expect(parsed.ok && parsed.report.initDurationMs).toBe(265.72);
    expect(parsed.ok && parsed.report.billedDurationMs).toBe(662);
  });

  it('reads the Status of a timed-out invocation', () => {
    const parsed = parseReportLine(TIMEOUT);
    expect(parsed.ok && parsed.report.status).toBe('timeout');
    expect(parsed.ok && parsed.report.durationMs).toBe(3000);
  });

  it('keeps unknown fields such as X-Ray ids instead of failing', () => {
    const parsed = parseReportLine(XRAY);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.report.otherFields['XRAY TraceId']).toBe('1-5e1b4151-5ac6c58f5d3c7d8e5bb3c1a0');
      expect(parsed.report.otherFields.Sampled).toBe('true');
      expect(parsed.report.billedDurationMs).toBe(2);
    }
  });

  it('accepts spaces where Lambda writes tabs', () => {
    const parsed = parseReportLine(COLD.replaceAll('\t', ' '));
    expect(parsed).toEqual(parseReportLine(COLD));
  });

  it('says why a line is not a usable REPORT line', () => {
    expect(parseReportLine('START RequestId: x Version: $LATEST')).toEqual({
      ok: false,
      problem: 'does not start with "REPORT "',
    });
    const missing = parseReportLine('REPORT RequestId: x\tDuration: 1.00 ms\tMemory Size: 128 MB');
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.problem).toBe('lacks Billed Duration, Max Memory Used');
    const badUnit = parseReportLine(WARM.replace('28 ms', '28 s'));
    expect(badUnit.ok).toBe(false);
    const noId = parseReportLine('REPORT Duration: 1.00 ms');
    expect(noId).toEqual({ ok: false, problem: 'has no RequestId' });
  });

  it('parses what formatReportLine writes, for any values and separators', () => {
    const report = fc.record(
      {
        requestId: fc.uuid(),
        durationMs: fc.integer({ min: 0, max: 90_000_000 }).map((hundredths) => hundredths / 100),
        billedDurationMs: fc.integer({ min: 0, max: 900_000 }),
        memorySizeMb: fc.integer({ min: 128, max: 10_240 }),
        maxMemoryUsedMb: fc.integer({ min: 1, max: 10_240 }),
        initDurationMs: fc
          .integer({ min: 0, max: 1_000_000 })
          .map((hundredths) => hundredths / 100),
        status: fc.constantFrom('timeout', 'error'),
      },
      {
        requiredKeys: [
          'requestId',
          'durationMs',
          'billedDurationMs',
          'memorySizeMb',
          'maxMemoryUsedMb',
        ],
      },
    );
    fc.assert(
      fc.property(report, fc.constantFrom('\t', ' ', ' \t '), (fields, separator) => {
        const line = formatReportLine(fields).replaceAll('\t', separator);
        const parsed = parseReportLine(line);
        expect(parsed).toEqual({ ok: true, report: { ...fields, otherFields: {} } });
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const parsed = parseReportLine(`REPORT ${text}`);
        if (parsed.ok) expect(parsed.report.durationMs).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});
