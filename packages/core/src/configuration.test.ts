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
      /windows\[0\]\.system\.buffers\[0\]\.batchSize must be an integer >= 1; got 0/,
    );
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
