import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { parseSolveDocument } from './parse-solve-document.js';
import { sampleSolveDocument } from './testing/sample-documents.js';

function errorOf(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

const roundTrip = () => JSON.parse(JSON.stringify(sampleSolveDocument()));

describe('parseSolveDocument', () => {
  it('reads what mbs solve --json writes', () => {
    const { document, problems } = parseSolveDocument(roundTrip(), 'solve.json');
    expect(problems).toEqual([]);
    expect(document.windows[0]!.model!.latencyCdf.latency).toHaveLength(41);
    expect(document.windows[0]!.baselines.map((baseline) => baseline.name)).toEqual([
      'no batching',
      'ours (frontier)',
    ]);
  });

  it('names the file and the path of a missing part', () => {
    const value = roundTrip();
    delete value.windows[0].solution.system;
    const error = errorOf(() => parseSolveDocument(value, 'solve.json'));
    expect(isMbsError(error) && error.code).toBe('CONFIG_INVALID');
    expect((error as Error).message).toContain(
      'solve.json: windows[0].solution.system.buffers must be a non-empty array',
    );
    for (const bad of [null, [], { windows: [] }]) {
      expect(isMbsError(errorOf(() => parseSolveDocument(bad, 'x.json')))).toBe(true);
    }
  });

  it('leaves out malformed model curves and says so', () => {
    const value = roundTrip();
    value.windows[0].model.latencyCdf.system.pop();
    const { document, problems } = parseSolveDocument(value, 'solve.json');
    expect(document.windows[0]!.model).toBeUndefined();
    expect(problems).toEqual([
      expect.stringContaining('solve.json: windows[0].model latencyCdf.system'),
    ]);
  });

  it('reads a cost-vs-SLO sweep in the shapes a sweep may take', () => {
    const value = roundTrip();
    value.windows[0].frontier = [
      { sloSeconds: 2, costPerRequestUsd: 1e-6 },
      {
        sloSeconds: 1,
        solution: { costPerMillionRequestsUsd: 2, latencyPercentile: 0.99, feasible: true },
      },
      { sloSeconds: 'x' },
    ];
    const frontier = parseSolveDocument(value, 'solve.json').document.windows[0]!.frontier!;
    expect(frontier).toEqual([
      { sloSeconds: 1, costPerRequestUsd: 2e-6, latencyPercentile: 0.99, feasible: true },
      { sloSeconds: 2, costPerRequestUsd: 1e-6 },
    ]);
  });
});
