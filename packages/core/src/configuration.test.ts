import { describe, expect, it } from 'vitest';
import { bufferClassShare, parseConfigurationDocument } from './configuration.js';

const buffer = (
  firstClass: number,
  lastClass: number,
  firstClassShare = 1,
  lastClassShare = 1,
) => ({
  firstClass,
  lastClass,
  firstClassShare,
  lastClassShare,
  batchSize: 8,
  timeoutSeconds: 0.1,
  memoryMb: 2048,
});

const document = (buffers: unknown[]) => ({
  schema: 'mbs.configuration',
  version: 1,
  classUpperEdges: [1, 2, 3, 4],
  windows: [{ startSeconds: 0, endSeconds: 3600, system: { buffers } }],
});

describe('parseConfigurationDocument', () => {
  it('accepts buffers that cover every class once, with a split boundary class', () => {
    const parsed = parseConfigurationDocument(
      document([buffer(0, 2, 1, 0.25), buffer(2, 3, 0.75)]),
      'c.json',
    );
    expect(parsed.windows[0]?.system.buffers).toHaveLength(2);
  });

  it('names the class whose shares do not add up to one', () => {
    expect(() =>
      parseConfigurationDocument(document([buffer(0, 2, 1, 0.5), buffer(2, 3, 0.25)]), 'c.json'),
    ).toThrow(/c\.json.*class 2 a total share of 0\.75/);
  });

  it('names the field and the accepted range of a bad value', () => {
    const bad = { ...buffer(0, 3), batchSize: 0 };
    expect(() => parseConfigurationDocument(document([bad]), 'c.json')).toThrow(
      /windows\[0\]\.system\.buffers\[0\]\.batchSize must be an integer in 1\.\.10000; got 0/,
    );
  });

  it("refuses B, T and M outside the batcher's and Lambda's limits, naming the range", () => {
    const cases: [Record<string, number>, RegExp][] = [
      [{ batchSize: 100_000 }, /batchSize must be an integer in 1\.\.10000; got 100000/],
      [{ timeoutSeconds: 1e9 }, /timeoutSeconds must be seconds in 0\.\.900 .*; got 1000000000/],
      [{ timeoutSeconds: -1 }, /timeoutSeconds must be seconds in 0\.\.900/],
      [{ memoryMb: 64 }, /memoryMb must be a whole number of MB in 128\.\.10240 .*; got 64/],
      [{ memoryMb: 99_999 }, /memoryMb must be a whole number of MB in 128\.\.10240/],
      [{ memoryMb: 1024.5 }, /memoryMb must be a whole number of MB/],
    ];
    for (const [change, message] of cases) {
      expect(() =>
        parseConfigurationDocument(document([{ ...buffer(0, 3), ...change }]), 'c.json'),
      ).toThrow(message);
    }
  });

  it('refuses a window that ends before it starts, overlapping windows and unordered edges', () => {
    const one = document([buffer(0, 3)]);
    const window = one.windows[0]!;
    const backwards = { ...one, windows: [{ ...window, startSeconds: 100, endSeconds: 10 }] };
    expect(() => parseConfigurationDocument(backwards, 'c.json')).toThrow(
      /c\.json: windows\[0\]\.endSeconds must be a finite number of seconds after startSeconds \(100\); got 10/,
    );
    const overlapping = {
      ...one,
      windows: [window, { ...window, startSeconds: 1800, endSeconds: 7200 }],
    };
    expect(() => parseConfigurationDocument(overlapping, 'c.json')).toThrow(
      /windows\[1\]\.startSeconds is 1800, before the end of windows\[0\] \(3600\)/,
    );
    expect(() =>
      parseConfigurationDocument({ ...one, classUpperEdges: [1, 3, 2, 4] }, 'c.json'),
    ).toThrow(/classUpperEdges\[2\] is 2; edges must be sizes > 0 in strictly ascending order/);
    expect(() =>
      parseConfigurationDocument({ ...one, classUpperEdges: [1, 2, 3, Infinity] }, 'c.json'),
    ).toThrow(/classUpperEdges must be a non-empty array of finite numbers/);
  });

  it('refuses a prediction with a field that is not a finite number', () => {
    const one = document([buffer(0, 3)]);
    const prediction = {
      percentile: 0.95,
      latencyPercentileSeconds: 1,
      meanLatencySeconds: 0.5,
      costPerRequestUsd: 1e-6,
      invocationsPerSecond: 2,
      paddingShare: 0.1,
    };
    const withPrediction = (value: unknown) => ({
      ...one,
      windows: [{ ...one.windows[0]!, prediction: value }],
    });
    expect(
      parseConfigurationDocument(withPrediction(prediction), 'c.json').windows[0]?.prediction,
    ).toEqual(prediction);
    expect(() =>
      parseConfigurationDocument(
        withPrediction({ ...prediction, costPerRequestUsd: -1 }),
        'c.json',
      ),
    ).toThrow(/prediction\.costPerRequestUsd must be >= 0; got -1/);
    expect(() =>
      parseConfigurationDocument(withPrediction({ ...prediction, percentile: 1 }), 'c.json'),
    ).toThrow(/prediction\.percentile must be in \(0, 1\)/);
  });

  it('reads a document without profileSource, as older versions wrote it', () => {
    const old = { ...document([buffer(0, 3)]), profile: 'deep-speech', pricing: 'aws-x86' };
    const parsed = parseConfigurationDocument(old, 'c.json');
    expect(parsed.profile).toBe('deep-speech');
    expect(parsed.profileSource).toBeUndefined();
  });

  it('reads a plugin or file profile source', () => {
    const sha256 = 'ab'.repeat(32);
    const file = { kind: 'file', path: '/data/profile.json', sha256 };
    const withFile = { ...document([buffer(0, 3)]), profile: 'profile', profileSource: file };
    expect(parseConfigurationDocument(withFile, 'c.json').profileSource).toEqual(file);
    const withPlugin = {
      ...document([buffer(0, 3)]),
      profile: 'parametric',
      profileSource: { kind: 'plugin' },
    };
    expect(parseConfigurationDocument(withPlugin, 'c.json').profileSource).toEqual({
      kind: 'plugin',
    });
  });

  it('names the field of a bad profile source', () => {
    const withSource = (profileSource: unknown, profile: unknown = 'p') => ({
      ...document([buffer(0, 3)]),
      profile,
      profileSource,
    });
    const cases: [unknown, RegExp][] = [
      ['file', /c\.json: profileSource must be an object/],
      [{ kind: 'url' }, /profileSource\.kind must be "plugin" or "file"; got "url"/],
      [{ kind: 'file', sha256: 'ab'.repeat(32) }, /profileSource\.path must be the non-empty/],
      [{ kind: 'file', path: '/p.json', sha256: 'XYZ' }, /profileSource\.sha256 must be 64/],
      [{ kind: 'plugin', path: '/p.json' }, /profileSource\.path is not a field of a plugin/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseConfigurationDocument(withSource(source), 'c.json')).toThrow(message);
    }
    expect(() =>
      parseConfigurationDocument(
        { ...document([buffer(0, 3)]), profileSource: { kind: 'plugin' } },
        'c.json',
      ),
    ).toThrow(/profileSource needs "profile"/);
    expect(() => parseConfigurationDocument(withSource(undefined, 7), 'c.json')).toThrow(
      /c\.json: profile must be a plugin name/,
    );
  });

  it('refuses another schema', () => {
    expect(() => parseConfigurationDocument({ schema: 'x', version: 2 }, 'c.json')).toThrow(
      /mbs\.configuration/,
    );
  });
});

describe('bufferClassShare', () => {
  it('gives the first and last class their shares, 1 between and 0 outside', () => {
    const split = buffer(2, 5, 0.3, 0.6);
    expect([1, 2, 3, 4, 5, 6].map((classId) => bufferClassShare(split, classId))).toEqual([
      0, 0.3, 1, 1, 0.6, 0,
    ]);
  });

  it('gives a one-class buffer its first-class share', () => {
    expect(bufferClassShare(buffer(3, 3, 0.4, 0.9), 3)).toBe(0.4);
  });
});
