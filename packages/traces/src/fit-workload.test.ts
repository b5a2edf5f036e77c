import { parseWorkloadDocument } from '@mbs/core';
import { createMapSampler, createRandom, validateMap } from '@mbs/markov';
import { describe, expect, it } from 'vitest';
import { fitWindow, fitWorkload } from './fit-workload.js';
import { arrayTrace, arrivalsFromGaps } from './testing.js';

/** Gaps sampled from a MAP with a seed. */
function sampleGaps(
  map: { d0: number[][]; d1: number[][] },
  count: number,
  seed: number,
): number[] {
  const sampler = createMapSampler(map, seed);
  return Array.from({ length: count }, () => sampler.nextInterArrival());
}

const POISSON_20 = { d0: [[-20]], d1: [[20]] };
/** Bursty MMPP(2): 30 req/s, SCV 3.6, lag-1 autocorrelation 0.35. */
const BURSTY = {
  d0: [
    [-90.6, 0.6],
    [0.2, -10.2],
  ],
  d1: [
    [90, 0],
    [0, 10],
  ],
};

describe('fitWindow', () => {
  it('keeps Poisson for Poisson gaps and fits a MAP(2) to bursty ones', () => {
    const poisson = fitWindow(sampleGaps(POISSON_20, 5000, 1), 'auto', 'poisson');
    expect(poisson.report.method).toBe('poisson');
    expect(Math.abs(poisson.report.rate.fitted / 20 - 1)).toBeLessThan(0.05);
    const bursty = fitWindow(sampleGaps(BURSTY, 20_000, 2), 'auto', 'bursty');
    expect(bursty.report.method).not.toBe('poisson');
    expect(bursty.map.d0).toHaveLength(2);
    validateMap(bursty.map);
    expect(bursty.report.rate.fitted / bursty.report.rate.target).toBeCloseTo(1, 6);
    expect(bursty.report.scv.target).toBeGreaterThan(2.5);
  });

  it('fits what it is told to and fails on arrivals at one instant', () => {
    expect(fitWindow(sampleGaps(BURSTY, 2000, 3), 'poisson', 'forced').report.method).toBe(
      'poisson',
    );
    expect(() => fitWindow([0, 0, 0], 'auto', 'w')).toThrow(/two arrivals at different times/);
    expect(() => fitWindow([], 'auto', 'w')).toThrow(/cannot fit 0 inter-arrival times/);
  });
});

describe('fitWorkload', () => {
  it('writes a valid workload document with per-window MAPs and class shares', async () => {
    const random = createRandom(4);
    const gaps = sampleGaps(BURSTY, 9000, 5);
    const sizes = Array.from({ length: 9001 }, () => Math.ceil(random.next() * 1000));
    const trace = arrayTrace(arrivalsFromGaps(gaps, sizes), 'tokens');
    const workload = await fitWorkload(trace, {
      windowSeconds: 100,
      classes: { by: 'quantile', count: 4 },
    });
    const parsed = parseWorkloadDocument(JSON.parse(JSON.stringify(workload)), 'workload.json');
    expect(parsed.schema).toBe('mbs.workload');
    expect(workload.sizeUnit).toBe('tokens');
    expect(workload.classUpperEdges).toHaveLength(4);
    expect(workload.classRepresentativeSizes).toEqual(workload.classUpperEdges);
    const total = workload.windows.reduce((sum, window) => sum + window.arrivals, 0);
    expect(total).toBe(9001);
    expect(workload.windows[0]!.startSeconds).toBe(0);
    for (const window of workload.windows) {
      validateMap(window.map);
      expect(window.classShares.reduce((sum, share) => sum + share, 0)).toBeCloseTo(1, 12);
      expect(window.fit).toBeDefined();
    }
  });

  it('refuses bad options and traces too short to fit', async () => {
    const trace = arrayTrace(arrivalsFromGaps([1, 1, 1]));
    await expect(fitWorkload(trace, { windowSeconds: 0 })).rejects.toThrow(/windowSeconds/);
    await expect(fitWorkload(trace, { method: 'map3' as never })).rejects.toThrow(/method/);
    await expect(fitWorkload(arrayTrace([{ timeSeconds: 0, size: 1 }]))).rejects.toThrow(
      /at least 2/,
    );
    await expect(fitWorkload(arrayTrace([]))).rejects.toThrow(/0 arrivals/);
  });
});
