import { describe, expect, it } from 'vitest';
import { compileFilterPattern } from './filter-pattern.js';

const report = 'REPORT RequestId: 1a\tDuration: 2.00 ms\tInit Duration: 10.00 ms\t\n';

describe('compileFilterPattern', () => {
  it('matches everything when empty', () => {
    expect(compileFilterPattern(undefined)('anything')).toBe(true);
    expect(compileFilterPattern('  ')('anything')).toBe(true);
  });

  it('needs every bare term and quoted phrase, case-sensitively', () => {
    expect(compileFilterPattern('REPORT Duration')(report)).toBe(true);
    expect(compileFilterPattern('report')(report)).toBe(false);
    expect(compileFilterPattern('"REPORT RequestId"')(report)).toBe(true);
    expect(compileFilterPattern('"RequestId REPORT"')(report)).toBe(false);
    expect(compileFilterPattern('REPORT Missing')(report)).toBe(false);
  });

  it('needs one of the ?terms and none of the -terms', () => {
    expect(compileFilterPattern('?ERROR ?Init')(report)).toBe(true);
    expect(compileFilterPattern('?ERROR ?WARN')(report)).toBe(false);
    expect(compileFilterPattern('REPORT -Init')(report)).toBe(false);
    expect(compileFilterPattern('REPORT -"Status: timeout"')(report)).toBe(true);
  });

  it('runs %regex% patterns', () => {
    expect(compileFilterPattern('%Duration: \\d+\\.\\d{2} ms%')(report)).toBe(true);
    expect(compileFilterPattern('%^START%')(report)).toBe(false);
  });

  it('refuses JSON patterns, unclosed quotes and bad regexes with InvalidParameterException', () => {
    for (const pattern of ['{ $.level = "ERROR" }', '[ip, user]', '"open', '%(%']) {
      expect(() => compileFilterPattern(pattern)).toThrow(/InvalidParameterException/);
    }
  });
});
