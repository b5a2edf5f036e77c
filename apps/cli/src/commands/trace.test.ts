import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_RUNTIME_ERROR, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

const directory = mkdtempSync(join(tmpdir(), 'mbs-cli-trace-'));

function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

/** Arrivals every 0.5 s except a 2 s gap: gaps 0.5 x 3, 2, 0.5 x 2. */
const azure = file(
  'azure.csv',
  [
    'TIMESTAMP,ContextTokens,GeneratedTokens',
    '2023-11-16 18:00:00.0000000,100,1',
    '2023-11-16 18:00:00.5000000,200,1',
    '2023-11-16 18:00:01.0000000,300,1',
    '2023-11-16 18:00:01.5000000,400,1',
    '',
    '2023-11-16 18:00:03.5000000,500,1',
    '2023-11-16 18:00:04.0000000,600,1',
    '2023-11-16 18:00:04.5000000,700,1',
  ].join('\n'),
);

describe('mbs trace stats', () => {
  it('prints rate, SCV, size percentiles, class shares and the read report as JSON', async () => {
    const io = captureIo();
    expect(
      await main(['trace', 'stats', azure, '--classes', '2', '--lags', '2', '--json'], io),
    ).toBe(EXIT_OK);
    const statistics = JSON.parse(io.out());
    expect(statistics.count).toBe(7);
    expect(statistics.durationSeconds).toBe(4.5);
    expect(statistics.rateRequestsPerSecond).toBeCloseTo(6 / 4.5, 12);
    // Gaps 0.5, 0.5, 0.5, 2, 0.5, 0.5: mean 0.75, variance 0.3125, SCV 0.3125 / 0.5625.
    expect(statistics.interArrival.scv).toBeCloseTo(0.3125 / 0.5625, 10);
    expect(statistics.interArrival.autocorrelations).toHaveLength(2);
    expect(statistics.sizes).toMatchObject({ min: 100, p50: 400, max: 700 });
    expect(statistics.classes.upperEdges).toEqual([400, 700]);
    expect(statistics.classes.shares[0]).toBeCloseTo(4 / 7, 12);
    expect(statistics.read).toEqual({
      linesRead: 9,
      arrivals: 7,
      skipped: { header: 1, blank: 1 },
    });
  });

  it('prints a table with the read report', async () => {
    const io = captureIo();
    expect(await main(['trace', 'stats', azure, '--by', 'log', '--classes', '3'], io)).toBe(
      EXIT_OK,
    );
    expect(io.out()).toContain('9 lines, 7 arrivals, skipped: header 1, blank 1');
    expect(io.out()).toContain('inter-arrival SCV');
    expect(io.out()).toMatch(/upper edge tokens/);
    // Counts per window length; 7 arrivals are too few to fit a MAP and compare.
    expect(io.out()).toContain('counts of arrivals per window');
    expect(io.out()).toMatch(/1000 ms +\S+ +\S+ +\S+ %/);
  });

  it('compares the counts with the fit mbs fit would choose', async () => {
    const io = captureIo();
    expect(await main(['trace', 'stats', 'synthetic:seed=2,count=3000', '--json'], io)).toBe(
      EXIT_OK,
    );
    const { counting } = JSON.parse(io.out()) as {
      counting: {
        windows: { seconds: number; indexOfDispersion: number }[];
        fit: { method: string; match: { score: number; windows: unknown[] } };
      };
    };
    expect(counting.windows.map((window) => window.seconds)).toEqual([
      0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1,
    ]);
    // The default synthetic workload is bursty: counts are over-dispersed at 1 s.
    expect(counting.windows[7]!.indexOfDispersion).toBeGreaterThan(1.5);
    expect(counting.fit.match.windows).toHaveLength(8);
    expect(counting.fit.match.score).toBeLessThan(0.1);
    const text = captureIo();
    expect(await main(['trace', 'stats', 'synthetic:seed=2,count=3000'], text)).toBe(EXIT_OK);
    expect(text.out()).toMatch(/fit used by mbs fit and mbs solve --trace: map\d/);
  });

  it('reads named columns and sorts on request', async () => {
    const path = file('named.csv', 'bytes,when\n10,1700000002\n20,1700000001\n30,1700000003\n');
    const io = captureIo();
    expect(
      await main(['trace', 'stats', path, '--time-column', 'when', '--size-column', 'bytes'], io),
    ).toBe(EXIT_RUNTIME_ERROR);
    expect(io.err()).toContain(`${path}:3: time goes backwards`);
    const sorted = captureIo();
    expect(
      await main(
        [
          'trace',
          'stats',
          path,
          '--time-column',
          'when',
          '--size-column',
          'bytes',
          '--sort',
          '--json',
        ],
        sorted,
      ),
    ).toBe(EXIT_OK);
    expect(JSON.parse(sorted.out()).durationSeconds).toBe(2);
  });

  it('exits 2 on bad options and 1 on unreadable traces', async () => {
    expect(await main(['trace', 'stats', azure, '--classes', '0'], captureIo())).toBe(EXIT_USAGE);
    expect(await main(['trace', 'stats', azure, '--format', 'nope'], captureIo())).toBe(EXIT_USAGE);
    expect(await main(['trace', 'stats', azure, '--seed', '3'], captureIo())).toBe(EXIT_USAGE);
    const io = captureIo();
    expect(await main(['trace', 'stats', join(directory, 'missing.bin')], io)).toBe(
      EXIT_RUNTIME_ERROR,
    );
    expect(io.err()).toContain('missing.bin: no such file');
    // A file no reader recognises is still reported as such.
    const unknown = join(directory, 'unknown.bin');
    writeFileSync(unknown, Buffer.from([0, 1, 2, 3]));
    const io2 = captureIo();
    expect(await main(['trace', 'stats', unknown], io2)).toBe(EXIT_RUNTIME_ERROR);
    expect(io2.err()).toContain('no trace reader recognises it');
  });
});
