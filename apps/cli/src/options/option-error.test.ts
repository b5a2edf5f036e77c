import { isMbsError } from '@mbs/core';
import { describe, expect, it } from 'vitest';
import { checkCountOption, optionError } from './option-error.js';

describe('optionError', () => {
  it('is OPTION_INVALID naming the option first, with the value in the details', () => {
    const error = optionError('--speed', 'is 0; give a finite number > 0', 0);
    expect(isMbsError(error, 'OPTION_INVALID')).toBe(true);
    expect(error.message).toBe('[@mbs/cli] --speed is 0; give a finite number > 0');
    expect(error.details).toEqual({ option: '--speed', value: 0 });
    expect(optionError('--trace', 'is missing').details).toEqual({ option: '--trace' });
  });
});

describe('checkCountOption', () => {
  it('passes undefined and integers >= 1', () => {
    for (const value of [undefined, 1, 4096, Number.MAX_SAFE_INTEGER]) {
      expect(() => checkCountOption(value, '--limit')).not.toThrow();
    }
  });

  it('refuses zero, fractions, negatives and non-finite values, naming the option', () => {
    for (const value of [0, 2.5, -3, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 60]) {
      expect(() => checkCountOption(value, '--limit'), String(value)).toThrow(
        `[@mbs/cli] --limit is ${value}; give an integer >= 1`,
      );
    }
  });
});
