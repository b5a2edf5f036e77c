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
