import type { PluginBase } from './plugin.js';

/** How a profile answers between the memory sizes it measured. */
export type ProfileInterpolation =
  /** Only the listed memory sizes are valid; others throw PROFILE_INVALID. */
  | 'exact'
  /** Linear in 1/memory between neighbours (CPU share grows with memory); clamped outside. */
  | 'inverse-memory';

/**
 * Service time of one batch on one function: what a request waits for after its batch leaves
 * the buffer. A batch is padded to its largest request, so the time depends on the largest class
 * in the batch, not on the mix.
 */
export interface ServiceTimeProfile extends PluginBase {
  /** Memory sizes measured or modelled, ascending, in MB. */
  readonly memorySizesMb: readonly number[];
  /** Largest batch size covered; batch sizes 1..maxBatchSize are valid. */
  readonly maxBatchSize: number;
  /** Number of request classes covered (0..classCount-1). */
  readonly classCount: number;
  /** How memory sizes between `memorySizesMb` are answered. */
  readonly interpolation: ProfileInterpolation;
  /** Smallest and largest memory the profile answers for, in MB. */
  readonly memoryRangeMb: { readonly min: number; readonly max: number };
  /**
   * Service time in seconds of a batch of `batchSize` requests whose largest request is in
   * class `largestClass`, on a function with `memoryMb` MB.
   */
  serviceTimeSeconds(memoryMb: number, largestClass: number, batchSize: number): number;
}
