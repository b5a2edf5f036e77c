import { main } from '@mbs/cli';
import { captureIo } from '@mbs/test-utils';
import { describe, expect, it } from 'vitest';
import { SMALL_SOLVE_ARGUMENTS } from './support/small-solve.js';

// `mbs solve --threads` starts the worker entry of the built CLI (dist/solve-window-worker.js),
// so this runs against dist: the windows solved on two threads are those solved one after another.

/** Three windows (50 s, 50 s, 35 s) of a short synthetic trace. */
const ARGS = [
  'solve',
  '--trace',
  'synthetic:seed=3,count=4000',
  '--window',
  '50',
  ...SMALL_SOLVE_ARGUMENTS,
  '--no-baselines',
  '--json',
];

/** The JSON without the seconds each search took, the one thing threads may change. */
const withoutTimes = (text: string) =>
  JSON.stringify(JSON.parse(text), (key, value) => (key === 'elapsedSeconds' ? undefined : value));

describe('mbs solve --threads', () => {
  it('solves the windows on two threads exactly as on one', async () => {
    const one = captureIo();
    expect(await main([...ARGS, '--threads', '1'], one), one.err()).toBe(0);
    const two = captureIo();
    expect(await main([...ARGS, '--threads', '2'], two), two.err()).toBe(0);
    const windows = (JSON.parse(two.out()) as { windows: unknown[] }).windows;
    expect(windows.length).toBe(3);
    expect(two.err()).toContain('solving 3 windows on 2 worker threads');
    expect(one.err()).not.toContain('worker threads');
    expect(withoutTimes(two.out())).toBe(withoutTimes(one.out()));
  });

  it('refuses a thread count that is not a positive integer, naming the option', async () => {
    const io = captureIo();
    expect(await main([...ARGS, '--threads', '0'], io)).toBe(2);
    expect(io.err()).toContain('--threads');
  });
});
