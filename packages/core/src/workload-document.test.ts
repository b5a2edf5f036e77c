import { describe, expect, it } from 'vitest';
import { parseWorkloadDocument } from './workload-document.js';

const window = (startSeconds: number, endSeconds: number) => ({
  startSeconds,
  endSeconds,
  arrivals: 100,
  map: { d0: [[-2]], d1: [[2]] },
  classShares: [0.5, 0.5],
});

const workload = (overrides: Record<string, unknown> = {}) => ({
  schema: 'mbs.workload',
  version: 1,
  source: 'trace.csv',
  classUpperEdges: [10, 20],
  classRepresentativeSizes: [10, 20],
  windows: [window(0, 60)],
  ...overrides,
});

describe('parseWorkloadDocument', () => {
  it('reads a workload with windows in time order', () => {
    const parsed = parseWorkloadDocument(
      workload({ windows: [window(0, 60), window(60, 120)] }),
      'w.json',
    );
    expect(parsed.windows).toHaveLength(2);
  });

  it('refuses windows that end before they start or overlap, naming the field', () => {
    expect(() => parseWorkloadDocument(workload({ windows: [window(60, 0)] }), 'w.json')).toThrow(
      /w\.json: windows\[0\]\.endSeconds must be a finite number of seconds after startSeconds \(60\); got 0/,
    );
    expect(() =>
      parseWorkloadDocument(workload({ windows: [window(0, 60), window(30, 90)] }), 'w.json'),
    ).toThrow(/windows\[1\]\.startSeconds is 30, before the end of windows\[0\] \(60\)/);
  });

  it('refuses unordered edges, bad representative sizes and arrival counts', () => {
    expect(() =>
      parseWorkloadDocument(
        workload({ classUpperEdges: [20, 10], classRepresentativeSizes: [20, 10] }),
        'w.json',
      ),
    ).toThrow(/classUpperEdges\[1\] is 10; edges must be sizes > 0 in strictly ascending order/);
    expect(() =>
      parseWorkloadDocument(workload({ classRepresentativeSizes: [10, -1] }), 'w.json'),
    ).toThrow(/classRepresentativeSizes\[1\] must be a finite size > 0; got -1/);
    expect(() =>
      parseWorkloadDocument(workload({ windows: [{ ...window(0, 60), arrivals: 2.5 }] }), 'w.json'),
    ).toThrow(/windows\[0\]\.arrivals must be a count of arrivals/);
  });
});
