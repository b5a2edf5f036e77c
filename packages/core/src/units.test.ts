import { describe, expect, it } from 'vitest';
import { billedMilliseconds, formatSeconds, formatUsd, megabytesToGigabytes } from './units.js';

describe('units', () => {
  it('rounds billed durations up to the granularity, absorbing float noise', () => {
    expect(billedMilliseconds(27.55)).toBe(28);
    expect(billedMilliseconds(12.000000000001)).toBe(12);
    expect(billedMilliseconds(0)).toBe(0);
    expect(billedMilliseconds(101, 100)).toBe(200);
  });

  it('bills memory in GB of 1024 MB', () => {
    expect(megabytesToGigabytes(1769)).toBeCloseTo(1.7275390625, 12);
  });

  it('formats money and time for tables', () => {
    expect(formatUsd(4.1667)).toBe('$4.17');
    expect(formatUsd(0.0000021)).toBe('$0.000002100');
    expect(formatSeconds(0.0123)).toBe('12.3 ms');
    expect(formatSeconds(1.25)).toBe('1.25 s');
    expect(formatSeconds(0.99999)).toBe('1.00 s');
    expect(formatSeconds(3600)).toBe('3600 s');
    expect(formatSeconds(0)).toBe('0 s');
  });
});

describe('formatUsd', () => {
  it('keeps the sign of tiny amounts and of their exponent', () => {
    expect(formatUsd(5.697e-8)).toBe('$5.697e-8');
    expect(formatUsd(-5.697e-8)).toBe('-$5.697e-8');
    expect(formatUsd(-4.1667)).toBe('-$4.17');
  });
});
