// The command tests import their io from here, one place for the whole CLI; the helper itself
// lives in @mbs/test-utils so the root cross-package tests share the same one.
export {
  type CapturedIo,
  captureIo,
  type SleepingHandlerLaw,
  sleepingHandlerMs,
  sleepingTokenHandlerZip,
} from '@mbs/test-utils';

/**
 * `mbs solve` options for a small search grid: keeps each solve in a test around a second; the
 * default grid is exercised by the benchmark.
 */
export const SMALL_SOLVE_GRID: readonly string[] = [
  '--max-batch-size',
  '8',
  '--timeout-steps',
  '5',
  '--memories',
  '512,1024,2048',
  '--split-shares',
  'none',
];
