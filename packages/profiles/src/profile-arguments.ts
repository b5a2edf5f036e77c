import { errors } from './errors.js';

/** What a profile covers, for checking the arguments of `serviceTimeSeconds`. */
export interface ProfileCoverage {
  readonly name: string;
  readonly classCount: number;
  readonly maxBatchSize: number;
  readonly memoryRangeMb: { readonly min: number; readonly max: number };
}

/** Throws PROFILE_INVALID when a service-time query lies outside what the profile covers. */
export function checkServiceTimeArguments(
  coverage: ProfileCoverage,
  memoryMb: number,
  largestClass: number,
  batchSize: number,
): void {
  const { name, classCount, maxBatchSize, memoryRangeMb } = coverage;
  const problem = !(
    Number.isInteger(largestClass) &&
    largestClass >= 0 &&
    largestClass < classCount
  )
    ? `class ${largestClass} is outside 0..${classCount - 1}`
    : !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= maxBatchSize)
      ? `batch size ${batchSize} is outside 1..${maxBatchSize}`
      : !(memoryMb >= memoryRangeMb.min && memoryMb <= memoryRangeMb.max)
        ? `memory ${memoryMb} MB is outside ${memoryRangeMb.min}..${memoryRangeMb.max} MB`
        : undefined;
  if (problem !== undefined) {
    throw errors.error(
      'PROFILE_INVALID',
      `profile "${name}": ${problem}; the profile covers classes 0..${classCount - 1}, batch sizes 1..${maxBatchSize} and ${memoryRangeMb.min}..${memoryRangeMb.max} MB`,
      { details: { profile: name, memoryMb, largestClass, batchSize } },
    );
  }
}
