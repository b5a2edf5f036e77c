import { isMbsError } from '@mbs/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseMapJson,
  printedRounding,
  readMapFiles,
  readMapJson,
  writeMapJson,
} from './map-files.js';
import { createMapTraceReader } from './map-trace-reader.js';
import { collect, writeTemporaryFile } from './testing/trace-files.js';

// The Twitter hour-1 MAP (rates per second), small numbers copied into a fixture.
const d0 = writeTemporaryFile('hour1_D0.csv', '-14.625001,0.000000\n0.000000,-35.171226\n');
const d1 = writeTemporaryFile('hour1_D1.csv', '0.051020,14.573981\n0.063796,35.107429\n');

describe('MAP files', () => {
  it('reads a D0/D1 pair and round-trips the JSON form', async () => {
    const map = await readMapFiles(d0, d1);
    expect(map.d0[0]).toEqual([-14.625001, 0]);
    expect(map.d1[1]).toEqual([0.063796, 35.107429]);
    const json = writeTemporaryFile('map.json', '');
    await writeMapJson(json, map);
    expect(await readMapJson(json)).toEqual(map);
  });

  it('accepts rows off by the printed rounding, then makes them sum to exactly 0', async () => {
    expect(printedRounding('0.051020,14.573981\n')).toBe(5e-7);
    expect(printedRounding('1,2\n3e-4,1\n')).toBe(0);
    // Row 1 of the hour-1 files sums to -1e-6: within 2 x 2 x 5e-7.
    const map = await readMapFiles(d0, d1);
    for (let row = 0; row < 2; row++) {
      const sum = [...map.d0[row]!, ...map.d1[row]!].reduce((total, rate) => total + rate, 0);
      expect(Math.abs(sum)).toBeLessThan(1e-12);
    }
    expect(map.d0[1]![1]).toBeCloseTo(-35.171226, 5);
    // Off by 1e-3 with 6 decimals printed: not rounding, refused.
    const skewed = writeTemporaryFile('skewed_D1.csv', '0.051020,14.573981\n0.063796,35.108429\n');
    await expect(readMapFiles(d0, skewed)).rejects.toThrow(/rows-sum-to-zero/);
  });

  it('refuses invalid MAPs with MAP_INVALID naming the files', async () => {
    const badD1 = writeTemporaryFile('bad_D1.csv', '0.05,14.57\n0.06,-35.1\n');
    const error = await readMapFiles(d0, badD1).catch((caught: unknown) => caught);
    expect(isMbsError(error, 'MAP_INVALID')).toBe(true);
    expect((error as Error).message).toContain(`${d0},${badD1}`);
    const wrongOrder = writeTemporaryFile('order_D1.csv', '1\n');
    await expect(readMapFiles(d0, wrongOrder)).rejects.toThrow(/D0 is 2x2 but D1 is 1x1/);
    const badJson = writeTemporaryFile('bad.json', '{"d0": [[-1]], "d1": [[2, 0]]}');
    await expect(readMapJson(badJson)).rejects.toThrow(/needs "d0" and "d1"/);
    const notJson = writeTemporaryFile('not.json', '{d0');
    await expect(readMapJson(notJson)).rejects.toThrow(/not JSON/);
  });
});

describe('parseMapJson on random JSON', () => {
  it('returns a MAP or throws MAP_INVALID, never anything else', () => {
    const matrix = fc.array(fc.array(fc.double({ min: -50, max: 50 }), { maxLength: 2 }), {
      maxLength: 2,
    });
    const candidate = fc.oneof(
      fc.json(),
      fc.record({ d0: matrix, d1: matrix }).map((value) => JSON.stringify(value)),
      fc.string(),
    );
    fc.assert(
      fc.property(candidate, (text) => {
        try {
          const map = parseMapJson(text, 'fuzz.json');
          expect(map.d0.length).toBe(map.d1.length);
          expect(map.d0.flat().every(Number.isFinite)).toBe(true);
        } catch (error) {
          expect(isMbsError(error, 'MAP_INVALID'), String(error)).toBe(true);
        }
      }),
    );
  });
});

describe('map trace reader', () => {
  it('recognises pairs and JSON MAPs, and samples seeded arrivals', async () => {
    const reader = createMapTraceReader();
    expect(await reader.canRead(`${d0},${d1}`)).toBe(true);
    expect(await reader.canRead(d0)).toBe(false);
    const json = writeTemporaryFile(
      'twitter.json',
      JSON.stringify({
        d0: [
          [-2, 1],
          [1, -3],
        ],
        d1: [
          [1, 0],
          [0, 2],
        ],
      }),
    );
    expect(await reader.canRead(json)).toBe(true);
    const trace = reader.read(`${d0},${d1}`, { seed: 3, count: 2000 });
    const arrivals = await collect(trace);
    expect(arrivals).toHaveLength(2000);
    expect(await collect(reader.read(`${d0},${d1}`, { seed: 3, count: 2000 }))).toEqual(arrivals);
    expect(trace.metadata.format).toBe('map');
    expect(trace.report().arrivals).toBe(2000);
    // Rate 35.08 req/s: 2000 arrivals take about 57 s (standard deviation about 1.3 s).
    expect(Math.abs(arrivals.at(-1)!.timeSeconds - 2000 / 35.08)).toBeLessThan(6);
    const timed = await collect(reader.read(json, { durationSeconds: 50, seed: 1 }));
    expect(timed.at(-1)!.timeSeconds).toBeLessThan(50);
  });

  it('refuses unknown options', () => {
    expect(() => createMapTraceReader().read(`${d0},${d1}`, { timeColumn: 'x' })).toThrow(
      /no option "timeColumn"/,
    );
  });
});
