import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseWorkloadDocument } from '@mbs/core';
import { captureIo } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { EXIT_OK, EXIT_USAGE } from '../exit-codes.js';
import { main } from '../main.js';

const directory = mkdtempSync(join(tmpdir(), 'mbs-cli-fit-'));

describe('mbs fit', () => {
  it('fits the synthetic workload per window and writes a valid workload document', async () => {
    const out = join(directory, 'workload.json');
    const io = captureIo();
    expect(
      await main(
        ['fit', 'synthetic:seed=3,duration=600', '--window', '300', '--classes', '4', '--out', out],
        io,
      ),
    ).toBe(EXIT_OK);
    const workload = parseWorkloadDocument(JSON.parse(readFileSync(out, 'utf8')), out);
    expect(workload.windows).toHaveLength(2);
    expect(workload.classUpperEdges).toHaveLength(4);
    expect(workload.sizeUnit).toBe('tokens');
    for (const window of workload.windows) {
      // The default workload is bursty (SCV 3.6, lag-1 0.35): a MAP(2), not Poisson.
      expect(window.fit?.method).not.toBe('poisson');
      expect(window.arrivals).toBeGreaterThan(3000);
      expect(window.classShares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
    }
    expect(io.out()).toContain('SCV target/fitted');
    expect(io.out()).toContain(`wrote ${out}`);
    // The counting match of each window's fit, why it was chosen, and how classes are modelled.
    expect(io.out()).toContain('count match');
    for (const window of workload.windows) {
      expect(window.fit?.counting?.windows.length).toBeGreaterThan(0);
      expect(window.fit?.marks?.reason).toMatch(
        /likelihood ratio [\d.]+ on \d+ degrees of freedom/,
      );
    }
    expect(io.out()).toMatch(/window 0-300 s: (counting match at|the moment fit reproduces)/);
    expect(io.out()).toMatch(/classes (independent of|depend on) the arrivals/);
  });

  it('fits Poisson to Poisson arrivals and prints the document under --json', async () => {
    const io = captureIo();
    expect(await main(['fit', 'synthetic:seed=4,rate=20,count=4000', '--json'], io)).toBe(EXIT_OK);
    const workload = JSON.parse(io.out());
    expect(workload.schema).toBe('mbs.workload');
    expect(workload.windows[0].fit.method).toBe('poisson');
    expect(workload.windows[0].fit.rate.target).toBeCloseTo(20, -1);
  });

  it('reads a MAP pair given as D0.csv,D1.csv', async () => {
    const d0 = join(directory, 'h_D0.csv');
    const d1 = join(directory, 'h_D1.csv');
    writeFileSync(d0, '-14.625001,0.000000\n0.000000,-35.171226\n');
    writeFileSync(d1, '0.051020,14.573981\n0.063796,35.107429\n');
    const io = captureIo();
    expect(
      await main(['fit', `${d0},${d1}`, '--count', '20000', '--seed', '2', '--json'], io),
    ).toBe(EXIT_OK);
    const workload = JSON.parse(io.out());
    expect(workload.windows[0].arrivals).toBe(20000);
    // The Twitter hour-1 MAP is close to Poisson at 35.08 req/s (SCV 1.007).
    expect(workload.windows[0].fit.rate.target).toBeGreaterThan(33.5);
    expect(workload.windows[0].fit.rate.target).toBeLessThan(36.5);
  });

  it('fits a maximum-likelihood MAP with --phases and prints its log-likelihood', async () => {
    const io = captureIo();
    expect(
      await main(['fit', 'synthetic:seed=3,duration=300', '--phases', '3', '--json'], io),
    ).toBe(EXIT_OK);
    const workload = parseWorkloadDocument(JSON.parse(io.out()), 'stdout');
    const window = workload.windows[0]!;
    expect(window.fit?.method).toBe('map3-em');
    expect(window.map.d0).toHaveLength(3);
    const table = captureIo();
    expect(await main(['fit', 'synthetic:seed=3,duration=300', '--phases', '2'], table)).toBe(
      EXIT_OK,
    );
    expect(table.out()).toContain('loglik/arrival');
    expect(table.out()).toContain('map2-em');
  });

  it('exits 2 on bad --phases', async () => {
    const io = captureIo();
    expect(await main(['fit', 'synthetic', '--phases', '1'], io)).toBe(EXIT_USAGE);
    expect(io.err()).toMatch(/--phases is 1; give an integer from 2 to 10/);
    const withMap2 = captureIo();
    expect(await main(['fit', 'synthetic', '--method', 'map2', '--phases', '3'], withMap2)).toBe(
      EXIT_USAGE,
    );
    expect(withMap2.err()).toMatch(/--phases 3 with --method map2/);
  });

  it('exits 2 on a bad window or class options', async () => {
    expect(await main(['fit', 'synthetic', '--window', '0'], captureIo())).toBe(EXIT_USAGE);
    expect(await main(['fit', 'synthetic', '--by', 'edges'], captureIo())).toBe(EXIT_USAGE);
    expect(await main(['fit', 'synthetic', '--edges', '10,x'], captureIo())).toBe(EXIT_USAGE);
  });
});
