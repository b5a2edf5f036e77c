import { lambdaVcpus } from '@mbs/core';
import { MAXIMUM_VCPU } from './limits.js';

/**
 * How the emulator turns this machine's handler time into Lambda time for a memory size.
 * `false` turns scaling off (Duration is the measured time at every memory size).
 */
export interface CpuScalingOptions {
  /**
   * vCPUs this machine counts as when it runs one handler: a handler that took w ms here takes
   * w x referenceVcpu / vcpu(M) ms on Lambda at M MB. Default 1 (one core of this machine is one
   * Lambda vCPU, i.e. measured times are those of a 1,769 MB function).
   */
  readonly referenceVcpu?: number;
  /**
   * Smallest factor applied when M gives more vCPUs than the reference (Amdahl floor: code that
   * does not use the extra cores does not get faster). Default 1/6 (perfect scaling to 6 vCPUs).
   */
  readonly minimumScale?: number;
  /**
   * Whether the time an instance's threads waited for a host core (Linux run-queue time) is left
   * out of the measured time. Default true: a Lambda instance has its vCPUs to itself, so a
   * handler slowed by other instances or programs on this machine is measured as it would run
   * alone. Counted for the handler's own thread (its JavaScript, and ONNX Runtime's calls, which
   * run on it) where the kernel reports it (`/proc/thread-self/schedstat`); elsewhere the wall
   * time is used.
   */
  readonly excludeHostWait?: boolean;
}

/** Whether measured handler time leaves out waits for a host core (see excludeHostWait). */
export function excludesHostWait(options: CpuScalingOptions | false): boolean {
  return options !== false && (options.excludeHostWait ?? true);
}

/** vCPUs Lambda gives a function of `memoryMb` MB: MB / 1769, capped at 6. */
export function vcpuForMemory(memoryMb: number): number {
  return lambdaVcpus(memoryMb);
}

/**
 * Factor from measured handler time to emulated Lambda time at `memoryMb`:
 * max(referenceVcpu / vcpu(M), minimumScale), or 1 when scaling is off.
 *
 * @example
 * ```ts
 * cpuScale(128, {}); // 13.8: 10 ms measured here reports Duration 138.2 ms at 128 MB
 * ```
 */
export function cpuScale(memoryMb: number, options: CpuScalingOptions | false): number {
  if (options === false) return 1;
  const referenceVcpu = options.referenceVcpu ?? 1;
  const minimumScale = options.minimumScale ?? 1 / MAXIMUM_VCPU;
  return Math.max(referenceVcpu / vcpuForMemory(memoryMb), minimumScale);
}
