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
