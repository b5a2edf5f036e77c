/** Memory in MB that buys one full vCPU on Lambda. */
export const LAMBDA_MB_PER_VCPU = 1769;

/** Most vCPUs a Lambda function gets (at 10,240 MB the formula gives 5.79). */
export const LAMBDA_MAX_VCPU = 6;

// Smallest and largest memory a Lambda function can have, in MB: one home, in @mbs/core.
export { LAMBDA_MEMORY_RANGE_MB } from '@mbs/core';

/**
 * vCPUs of a Lambda function of `memoryMb` MB: CPU is allotted in proportion to memory, one vCPU
 * per 1,769 MB, at most 6.
 *
 * @example
 * ```ts
 * lambdaVcpu(3538); // 2
 * ```
 */
export function lambdaVcpu(memoryMb: number): number {
  return Math.min(memoryMb / LAMBDA_MB_PER_VCPU, LAMBDA_MAX_VCPU);
}

/**
 * How much faster than on one vCPU a job runs with `vcpu` vCPUs, when a share `parallelShare` of
 * its work runs in parallel: below one vCPU the whole job is throttled (speed-up = vcpu); above
 * it, Amdahl's law 1 / ((1 - p) + p / vcpu). Continuous at 1 and increasing with diminishing returns.
 */
export function cpuSpeedup(vcpu: number, parallelShare: number): number {
  if (vcpu <= 1) return vcpu;
  return 1 / (1 - parallelShare + parallelShare / vcpu);
}
