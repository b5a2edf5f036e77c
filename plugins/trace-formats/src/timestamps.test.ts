import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createCachingDateTimeParser,
  createTimeParser,
  formatAzureTimestamp,
  parseDateTime,
  type TimePoint,
} from './timestamps.js';

function point(): TimePoint {
  return { epochSeconds: 0, fractionSeconds: 0 };
}

describe('parseDateTime', () => {
  it('reads Azure timestamps as wall time, keeping 7 fractional digits', () => {
    const into = point();
    expect(parseDateTime('2023-11-16 18:15:46.6805900', into)).toBe(true);
    expect(into.epochSeconds).toBe(Date.UTC(2023, 10, 16, 18, 15, 46) / 1000);
    expect(into.fractionSeconds).toBeCloseTo(0.68059, 12);
  });

  it('applies zone offsets and agrees with Date.parse on ISO strings', () => {
    const into = point();
    expect(parseDateTime('2023-11-16T18:15:46+02:00', into)).toBe(true);
    expect(into.epochSeconds * 1000).toBe(Date.parse('2023-11-16T18:15:46+02:00'));
    expect(parseDateTime('2023-11-16T18:15:46.5Z', into)).toBe(true);
    expect(into.epochSeconds * 1000 + into.fractionSeconds * 1000).toBe(
      Date.parse('2023-11-16T18:15:46.5Z'),
    );
  });

  it('refuses impossible dates and malformed text', () => {
    for (const text of [
      '2023-02-29 00:00:00',
      '2023-13-01 00:00:00',
      '2023-11-16 24:00:00',
      '2023-11-16 18:60:00',
      '2023-11-16 18:15:46.',
      '2023-11-16 18:15:46.5 junk',
      '2023/11/16 18:15:46',
      '18:15:46',
      '',
    ]) {
      expect(parseDateTime(text, point()), text).toBe(false);
    }
    expect(parseDateTime('2024-02-29 00:00:00', point())).toBe(true);
  });

  it('round-trips formatAzureTimestamp for any instant and tick', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_102_444_800 }),
        fc.integer({ min: 0, max: 9_999_999 }),
        (epochSeconds, ticks) => {
          const into = point();
          expect(parseDateTime(formatAzureTimestamp(epochSeconds, ticks), into)).toBe(true);
          expect(into.epochSeconds).toBe(epochSeconds);
          expect(Math.round(into.fractionSeconds * 1e7)).toBe(ticks);
        },
      ),
    );
  });
});

describe('createTimeParser', () => {
  it('decides epoch seconds vs milliseconds on the first value', () => {
    const seconds = createTimeParser('auto');
    const into = point();
    expect(seconds('1700000000.25', into)).toBe(true);
    expect(into.epochSeconds).toBe(1_700_000_000);
    expect(into.fractionSeconds).toBe(0.25);
    const milliseconds = createTimeParser('auto');
    expect(milliseconds('1700000000250', into)).toBe(true);
    expect(into.epochSeconds).toBe(1_700_000_000);
    expect(into.fractionSeconds).toBeCloseTo(0.25, 12);
  });

  it('keeps the kind the first value chose', () => {
    const parse = createTimeParser('auto');
    expect(parse('2023-11-16 18:15:46', point())).toBe(true);
    expect(parse('1700000000', point())).toBe(false);
    const forced = createTimeParser('milliseconds');
    const into = point();
    expect(forced('1500', into)).toBe(true);
    expect(into.epochSeconds + into.fractionSeconds).toBe(1.5);
  });
});

describe('createCachingDateTimeParser', () => {
  it('agrees with parseDateTime on runs of timestamps sharing seconds, zones and garbage', () => {
    const stamp = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 1_700_000_000, max: 1_700_000_005 }),
          fc.integer({ min: 0, max: 9_999_999 }),
        )
        .map(([seconds, ticks]) => formatAzureTimestamp(seconds, ticks)),
      fc
        .tuple(
          fc.integer({ min: 1_700_000_000, max: 1_700_000_005 }),
          fc.constantFrom('Z', '+01:00', '.5Z', '.', '.12x', ''),
        )
        .map(([seconds, tail]) => `${formatAzureTimestamp(seconds, 0).slice(0, 19)}${tail}`),
    );
    fc.assert(
      fc.property(fc.array(stamp, { maxLength: 40 }), (stamps) => {
        const parse = createCachingDateTimeParser();
        for (const text of stamps) {
          const cached = point();
          const full = point();
          expect(parse(text, cached)).toBe(parseDateTime(text, full));
          expect(cached).toEqual(full);
        }
      }),
    );
  });
});
