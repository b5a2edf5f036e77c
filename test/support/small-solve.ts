/** `mbs solve` options for a small, fast, feasible search of the built-in workload. */
export const SMALL_SOLVE_ARGUMENTS: readonly string[] = [
  '--max-batch-size',
  '8',
  '--timeout-steps',
  '5',
  '--memories',
  '512,1024,2048',
  '--split-shares',
  'none',
  '--slo',
  '1.5',
];
