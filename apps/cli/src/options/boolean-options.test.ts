import { describe, expect, it } from 'vitest';
import { checkBooleanOptions } from './boolean-options.js';

describe('checkBooleanOptions', () => {
  const keys = ['billInit', 'json'];

  it('passes switches written without a value or with true or false', () => {
    for (const arg of ['--bill-init', '--no-bill-init', '--bill-init=true', '--json=false']) {
      expect(() => checkBooleanOptions(keys, ['emulator', 'start', arg])).not.toThrow();
    }
    // Not a boolean option, and text after `--` is not an option at all.
    expect(() => checkBooleanOptions(keys, ['--port=x', '--', '--json=x'])).not.toThrow();
  });

  it('refuses any other text after =, naming the option and what it takes', () => {
    for (const [arg, option] of [
      ['--bill-init=nope', '--bill-init'],
      ['--no-bill-init=yes', '--bill-init'],
      ['--json=', '--json'],
      ['--billInit=1', '--billInit'],
    ] as const) {
      expect(() => checkBooleanOptions(keys, [arg])).toThrow(
        expect.objectContaining({
          code: 'OPTION_INVALID',
          message: expect.stringContaining(`${option} is`),
        }),
      );
    }
    expect(() => checkBooleanOptions(keys, ['--json=nope'])).toThrow(/takes true or false/);
  });
});
