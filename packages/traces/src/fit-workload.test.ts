import { createRandom, parseWorkloadDocument } from '@mbs/core';
import { createMapSampler, validateMap } from '@mbs/markov';
import { describe, expect, it } from 'vitest';
import { type ClassedWorkload, fitWindow, fitWorkload } from './fit-workload.js';
import { arrayTrace, arrivalsFromGaps } from './testing/array-trace.js';

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
    // A MAP(2) sample: the simplest fit that reproduces its counts has two phases (the
    // likelihood fit, whose counts match better than the moment fit's noisy third moment).
    expect(bursty.map.d0).toHaveLength(2);
    validateMap(bursty.map);
    expect(bursty.report.rate.fitted / bursty.report.rate.target).toBeCloseTo(1, 2);
    expect(bursty.report.scv.target).toBeGreaterThan(2.5);
    expect(bursty.report.counting!.score).toBeLessThan(0.02);
    const candidates = bursty.report.selection!.candidates;
    // Orders are tried upwards until the counting match stops improving; the rest are named.
    const tried = candidates.map((candidate) => candidate.method);
    const all = ['map2-moments', 'map2-em', 'map3-em', 'map4-em'];
    expect(tried.length).toBeGreaterThanOrEqual(2);
    expect(tried).toEqual(all.slice(0, tried.length));
    for (const method of all.slice(tried.length)) {
      expect(bursty.report.selection!.reason).toContain(method);
    }
    const best = Math.min(...candidates.map((candidate) => candidate.score));
    expect(bursty.report.counting!.score).toBeLessThanOrEqual(best * 1.1 + 0.005);
  });

  it('fits what it is told to and fails on arrivals at one instant', () => {
    expect(fitWindow(sampleGaps(BURSTY, 2000, 3), 'poisson', 'forced').report.method).toBe(
      'poisson',
    );
    expect(() => fitWindow([0, 0, 0], 'auto', 'w')).toThrow(/two arrivals at different times/);
    expect(() => fitWindow([], 'auto', 'w')).toThrow(/cannot fit 0 inter-arrival times/);
  });
});

describe('fitWindow with a maximum-likelihood MAP', () => {
  it('fits phases by EM where auto would fit a MAP(2), and keeps Poisson where it would', () => {
    const bursty = fitWindow(sampleGaps(BURSTY, 20_000, 2), 'auto', 'bursty', { phases: 3 });
    expect(bursty.report.method).toBe('map3-em');
    expect(bursty.map.d0).toHaveLength(3);
    validateMap(bursty.map);
    expect(Math.abs(bursty.report.scv.fitted / bursty.report.scv.target - 1)).toBeLessThan(0.15);
    const poisson = fitWindow(sampleGaps(POISSON_20, 5000, 1), 'auto', 'poisson', { phases: 3 });
    expect(poisson.report.method).toBe('poisson');
    const forced = fitWindow(sampleGaps(POISSON_20, 5000, 1), 'map-em', 'forced');
    expect(forced.report.method).toBe('map4-em');
  });

  it('refuses phases with the moment and Poisson methods or out of range, and names the window on failure', () => {
    const gaps = sampleGaps(BURSTY, 2000, 3);
    expect(() => fitWindow(gaps, 'map2', 'w', { phases: 3 })).toThrow(
      /phases is 3; accepted: leave it out with method map2, or use auto or map-em/,
    );
    expect(() => fitWindow(gaps, 'poisson', 'w', { phases: 3 })).toThrow(/method poisson/);
    expect(() => fitWindow(gaps, 'auto', 'w', { phases: 11 })).toThrow(/an integer in 2\.\.10/);
    const withTie = [...gaps];
    withTie[5] = 0;
    expect(() => fitWindow(withTie, 'map-em', 'tied window')).toThrow(
      /tied window: MAP\(4\) EM fit failed \(.*inter-arrival #6 = 0 s.*\); use fewer phases, longer windows, or the moment fit/,
    );
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

  it('fits every window by EM with phases and keeps the likelihood in the report', async () => {
    const gaps = sampleGaps(BURSTY, 6000, 6);
    // Sized requests: a workload document's class edges are sizes > 0.
    const trace = arrayTrace(arrivalsFromGaps(gaps, new Array(gaps.length + 1).fill(100)));
    let classed: ClassedWorkload | undefined;
    let fittedBefore = true;
    const workload = await fitWorkload(trace, {
      windowSeconds: 100,
      phases: 2,
      onClasses: (classes) => {
        classed = classes;
      },
      onProgress: () => {
        fittedBefore &&= classed !== undefined;
      },
    });
    // The classes come before any EM iteration, and agree with the fitted workload.
    expect(fittedBefore).toBe(true);
    expect(classed?.classUpperEdges).toEqual(workload.classUpperEdges);
    expect(
      classed?.windows.map(({ startSeconds, arrivals, classShares }) => ({
        startSeconds,
        arrivals,
        classShares,
      })),
    ).toEqual(
      workload.windows.map(({ startSeconds, arrivals, classShares }) => ({
        startSeconds,
        arrivals,
        classShares,
      })),
    );
    const parsed = parseWorkloadDocument(JSON.parse(JSON.stringify(workload)), 'workload.json');
    expect(parsed.windows.length).toBeGreaterThan(1);
    for (const window of workload.windows) {
      validateMap(window.map);
      expect(window.fit?.method).toBe('map2-em');
      expect(Number.isFinite((window.fit as { logLikelihood?: number }).logLikelihood)).toBe(true);
    }
    await expect(fitWorkload(trace, { method: 'map2', phases: 4 })).rejects.toThrow(/phases/);
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
