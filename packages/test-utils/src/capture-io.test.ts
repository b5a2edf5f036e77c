import { describe, expect, it } from 'vitest';
import { captureIo } from './capture-io.js';

describe('captureIo', () => {
  it('keeps stdout and stderr apart, in the order written', () => {
    const io = captureIo();
    io.stdout('a');
    io.stderr('x');
    io.stdout('b\n');
    expect(io.out()).toBe('ab\n');
    expect(io.err()).toBe('x');
    expect(io.stderrIsTty).toBe(false);
  });

  it('gives each io its own buffers', () => {
    const first = captureIo();
    const second = captureIo();
    first.stdout('only here');
    expect(second.out()).toBe('');
  });
});
