import { describe, expect, it } from 'vitest';
import { parseConfigurationDocument } from './configuration.js';

// What a configuration records for comparing runs with it: each window's arrivals, the class
// sizes, and where a measured profile was measured.

const SHA = 'f'.repeat(64);
const base = (extra: Record<string, unknown> = {}, window: Record<string, unknown> = {}) => ({
  schema: 'mbs.configuration',
  version: 1,
  classUpperEdges: [10, 20],
  ...extra,
  windows: [
    {
      startSeconds: 0,
      endSeconds: 60,
      system: {
        buffers: [
          { firstClass: 0, lastClass: 1, batchSize: 2, timeoutSeconds: 0.1, memoryMb: 1024 },
        ],
      },
      ...window,
    },
  ],
});

describe('parseConfigurationDocument: records for comparison', () => {
  it("reads a window's arrivals, the class sizes and a measured profile's marker", () => {
    const workload = { map: { d0: [[-2]], d1: [[2]] }, classShares: [0.25, 0.75] };
    const measured = { provider: 'local', model: 'default', code: `sha256:${SHA}` };
    const parsed = parseConfigurationDocument(
      base(
        {
          classRepresentativeSizes: [8, 20],
          profile: 'measured',
          profileSource: { kind: 'file', path: '/p.json', sha256: SHA, measured },
        },
        { workload },
      ),
      'c.json',
    );
    expect(parsed.windows[0]!.workload).toEqual(workload);
    expect(parsed.classRepresentativeSizes).toEqual([8, 20]);
    expect(parsed.profileSource).toEqual({ kind: 'file', path: '/p.json', sha256: SHA, measured });
  });

  it('reads documents without them, as older versions wrote them', () => {
    const parsed = parseConfigurationDocument(base(), 'old.json');
    expect(parsed.windows[0]!.workload).toBeUndefined();
    expect(parsed.classRepresentativeSizes).toBeUndefined();
  });

  it('refuses malformed records, naming the field', () => {
    const bad = [
      [
        base({}, { workload: { map: { d0: [[-1]] }, classShares: [0.5, 0.5] } }),
        'windows[0].workload.map',
      ],
      [
        base({}, { workload: { map: { d0: [[-1]], d1: [[1]] }, classShares: [0.5] } }),
        'windows[0].workload.classShares',
      ],
      [
        base({}, { workload: { map: { d0: [[-1]], d1: [[1]] }, classShares: [0.5, 0.6] } }),
        'must sum to 1',
      ],
      [base({ classRepresentativeSizes: [1] }), 'classRepresentativeSizes'],
      [
        base({
          profile: 'm',
          profileSource: { kind: 'file', path: '/p', sha256: SHA, measured: { model: 'x' } },
        }),
        'profileSource.measured.provider',
      ],
      [
        base({
          profile: 'm',
          profileSource: {
            kind: 'file',
            path: '/p',
            sha256: SHA,
            measured: { provider: 'aws', when: 1 },
          },
        }),
        'profileSource.measured.when',
      ],
    ] as const;
    for (const [document, field] of bad) {
      expect(() => parseConfigurationDocument(document, 'c.json')).toThrow(field);
    }
  });
});
