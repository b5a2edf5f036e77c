import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from './numbers.js';

describe('parseDecimal', () => {
  it('reads decimal numbers written in full', () => {
    expect(parseDecimal('12')).toBe(12);
    expect(parseDecimal(' -0.5 ')).toBe(-0.5);
    expect(parseDecimal('3e-2')).toBe(0.03);
    expect(parseDecimal('.25')).toBe(0.25);
    expect(parseDecimal('+7.')).toBe(7);
  });

  it('refuses what Number() would accept or turn into 0', () => {
    for (const text of [
      '',
      ' ',
      '0x10',
      'Infinity',
      '-Infinity',
      'NaN',
      '1e',
      '1,5',
      '--1',
      '1e999',
      '.',
      '1 2',
    ]) {
      expect(parseDecimal(text)).toBeNaN();
    }
  });

  it('agrees with Number() on every finite double printed by JavaScript', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        expect(parseDecimal(String(value))).toBe(value === 0 ? 0 : value);
      }),
    );
  });
});
