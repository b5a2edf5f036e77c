import { errors } from './errors.js';

/** The classes present in a buffer (positive share), ascending, with their cumulative shares. */
export interface ClassMix {
  /** Class ids with a positive share, ascending. */
  readonly classIds: readonly number[];
  /** Their shares within the buffer (sum to 1). */
  readonly shares: readonly number[];
  /** P(class ≤ classIds[i]) within the buffer; the last is exactly 1. */
  readonly cumulative: readonly number[];
}

/**
 * The mix of classes `classIds` (ascending) with shares already normalised to sum to 1, as a
 * caller that computed them itself has them; not checked (see {@link classMixFromShares}).
 */
export function classMix(classIds: readonly number[], shares: readonly number[]): ClassMix {
  let running = 0;
  const cumulative = shares.map((share, index) => {
    running += share;
    // The last is 1 exactly, so the largest class of a batch always has a law summing to 1.
    return index === shares.length - 1 ? 1 : running;
  });
  return { classIds, shares, cumulative };
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
      throw errors.error(
        'OPTION_INVALID',
        `option ${option}[${classId}]: got ${share}; shares must be finite and >= 0`,
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
    throw errors.error(
      'OPTION_INVALID',
      `option ${option}: shares sum to ${total}; they must sum to 1`,
      { details: { option, total } },
    );
  }
  return classMix(
    classIds,
    shares.map((share) => share / total),
  );
}
