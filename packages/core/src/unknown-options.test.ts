import { describe, expect, it } from 'vitest';
import { isMbsError } from './errors.js';
import { rejectUnknownOptions } from './unknown-options.js';

describe('rejectUnknownOptions', () => {
  it('accepts known keys, including none', () => {
    expect(() => rejectUnknownOptions({}, ['a'], '[@mbs/x] f')).not.toThrow();
    expect(() =>
      rejectUnknownOptions({ a: 1, b: undefined }, ['a', 'b'], '[@mbs/x] f'),
    ).not.toThrow();
  });

  it('names the first unknown key and the accepted ones', () => {
    let caught: unknown;
    try {
      rejectUnknownOptions({ a: 1, regoin: 'x', other: 2 }, ['a', 'region'], '[@mbs/x] create');
    } catch (error) {
      caught = error;
    }
    expect(isMbsError(caught, 'OPTION_INVALID')).toBe(true);
    expect((caught as Error).message).toBe(
      '[@mbs/x] create: unknown option "regoin"; accepted: a, region',
    );
    expect((caught as { details: unknown }).details).toEqual({
      option: 'regoin',
      accepted: ['a', 'region'],
    });
  });
});
