import type { ServiceTimeProfile } from '@mbs/core';
import { MbsError } from '@mbs/core';

/** The classes present in a buffer (positive share), ascending, with their cumulative shares. */
export interface ClassMix {
  /** Class ids with a positive share, ascending. */
  readonly classIds: readonly number[];
  /** Their shares within the buffer (sum to 1). */
  readonly shares: readonly number[];
  /** P(class ≤ classIds[i]) within the buffer. */
  readonly cumulative: readonly number[];
}

/** Checks within-buffer class shares (indexed by class id, non-negative, summing to 1). */
export function classMixFromShares(
  classShares: readonly number[],
  option = 'classShares',
): ClassMix {
  const classIds: number[] = [];
  const shares: number[] = [];
  let total = 0;
  classShares.forEach((share, classId) => {
    if (!Number.isFinite(share) || share < 0) {
      throw new MbsError(
        'OPTION_INVALID',
        `[@mbs/model] option ${option}[${classId}]: got ${share}; shares must be finite and >= 0`,
        { details: { option, classId, value: share } },
      );
    }
    total += share;
    if (share > 0) {
      classIds.push(classId);
      shares.push(share);
    }
  });
  if (Math.abs(total - 1) > 1e-6) {
    throw new MbsError(
      'OPTION_INVALID',
      `[@mbs/model] option ${option}: shares sum to ${total}; they must sum to 1`,
      { details: { option, total } },
    );
  }
  const normalised = shares.map((share) => share / total);
  let running = 0;
  const cumulative = normalised.map((share, index) => {
    running += share;
    return index === normalised.length - 1 ? 1 : running;
  });
  return { classIds, shares: normalised, cumulative };
}

/**
 * P(largest class of a batch of n = classIds[i]) when all n classes are independent draws from
 * the mix: F_i^n − F_{i−1}^n. With `smallestIndex` k, the n draws join a request known to be of
 * class classIds[k], so no class below it can be largest: 0 below k, F_k^n at k (F_{k−1} read as
 * 0), and F_i^n − F_{i−1}^n above.
 */
export function largestClassProbabilities(
  mix: ClassMix,
  batchSize: number,
  smallestIndex = 0,
): number[] {
  let previous = 0;
  return mix.cumulative.map((cumulative, index) => {
    if (index < smallestIndex) return 0;
    const power = cumulative ** batchSize;
    const probability = power - previous;
    previous = power;
    return probability;
  });
}

/**
 * Service times in seconds, `table[i][n - 1]` for the i-th class of the mix as the largest class
 * and batch size n, asked of the profile once per buffer evaluation.
 */
export function serviceTimeTable(
  profile: ServiceTimeProfile,
  mix: ClassMix,
  memoryMb: number,
  batchSize: number,
): number[][] {
  if (batchSize > profile.maxBatchSize) {
    throw new MbsError(
      'PROFILE_INVALID',
      `[@mbs/model] profile ${profile.name} covers batch sizes 1..${profile.maxBatchSize}; batchSize ${batchSize} is outside`,
      { details: { batchSize, maxBatchSize: profile.maxBatchSize } },
    );
  }
  return mix.classIds.map((classId) => {
    if (classId >= profile.classCount) {
      throw new MbsError(
        'PROFILE_INVALID',
        `[@mbs/model] profile ${profile.name} covers classes 0..${profile.classCount - 1}; class ${classId} has a positive share`,
        { details: { classId, classCount: profile.classCount } },
      );
    }
    const row: number[] = [];
    for (let size = 1; size <= batchSize; size++) {
      const seconds = profile.serviceTimeSeconds(memoryMb, classId, size);
      if (!Number.isFinite(seconds) || seconds < 0) {
        throw new MbsError(
          'PROFILE_INVALID',
          `[@mbs/model] profile ${profile.name} gave service time ${seconds} s for memory ${memoryMb} MB, class ${classId}, batch ${size}; it must be finite and >= 0`,
          { details: { memoryMb, classId, batchSize: size } },
        );
      }
      row.push(seconds);
    }
    return row;
  });
}
