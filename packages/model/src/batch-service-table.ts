import type { PricingModel, ServiceTimeProfile } from '@mbs/core';
import { secondsToMilliseconds } from '@mbs/core';
import { errors } from './errors.js';

/**
 * Service time and invocation cost of a batch by (largest class, batch size) at one memory size,
 * asked of the profile and the pricing once per entry and then looked up: a search prices the
 * same memory for many buffers, and a latency percentile reads each entry many times.
 */
export interface BatchServiceTable {
  /** M: memory of the buffer's function in MB. */
  readonly memoryMb: number;
  /** Largest batch size the table answers. */
  readonly maxBatchSize: number;
  /** Seconds a batch of `size` requests whose largest class is `classId` takes. */
  seconds(classId: number, size: number): number;
  /** What that batch's invocation costs, in USD. */
  costUsd(classId: number, size: number): number;
}

/**
 * The service table of `profile` and `pricing` at `memoryMb` for batches of 1..`maxBatchSize`
 * (default: the profile's largest). Entries are filled on first use; a class the profile does
 * not cover, or a service time that is not finite and >= 0, is refused with `PROFILE_INVALID`.
 *
 * @example
 * ```ts
 * const table = createBatchServiceTable(profile, pricing, 2048);
 * table.seconds(3, 8); // a batch of 8 padded to class 3, in seconds
 * table.costUsd(3, 8); // its invocation cost
 * ```
 */
export function createBatchServiceTable(
  profile: ServiceTimeProfile,
  pricing: PricingModel,
  memoryMb: number,
  maxBatchSize = profile.maxBatchSize,
): BatchServiceTable {
  if (maxBatchSize > profile.maxBatchSize) {
    throw errors.error(
      'PROFILE_INVALID',
      `profile ${profile.name} covers batch sizes 1..${profile.maxBatchSize}; batchSize ${maxBatchSize} is outside`,
      { details: { batchSize: maxBatchSize, maxBatchSize: profile.maxBatchSize } },
    );
  }
  const { classCount } = profile;
  // Unfilled entries hold NaN; a filled one is >= 0, so `!(value >= 0)` also catches an index
  // outside the table (undefined), which the slow path then refuses with a clear message.
  const seconds = new Float64Array(classCount * maxBatchSize).fill(Number.NaN);
  const costs = new Float64Array(classCount * maxBatchSize);
  const fill = (classId: number, size: number): number => {
    if (!(Number.isInteger(classId) && classId >= 0 && classId < classCount)) {
      throw errors.error(
        'PROFILE_INVALID',
        `profile ${profile.name} covers classes 0..${classCount - 1}; class ${classId} has a positive share`,
        { details: { classId, classCount } },
      );
    }
    if (!(Number.isInteger(size) && size >= 1 && size <= maxBatchSize)) {
      throw errors.error(
        'PROFILE_INVALID',
        `profile ${profile.name} covers batch sizes 1..${maxBatchSize} here; batchSize ${size} is outside`,
        { details: { batchSize: size, maxBatchSize } },
      );
    }
    const value = profile.serviceTimeSeconds(memoryMb, classId, size);
    if (!Number.isFinite(value) || value < 0) {
      throw errors.error(
        'PROFILE_INVALID',
        `profile ${profile.name} gave service time ${value} s for memory ${memoryMb} MB, class ${classId}, batch ${size}; it must be finite and >= 0`,
        { details: { memoryMb, classId, batchSize: size } },
      );
    }
    const index = classId * maxBatchSize + size - 1;
    seconds[index] = value;
    costs[index] = pricing.invocationCostUsd({
      durationMs: secondsToMilliseconds(value),
      memoryMb,
    });
    return value;
  };
  return {
    memoryMb,
    maxBatchSize,
    seconds(classId, size) {
      const value = seconds[classId * maxBatchSize + size - 1]!;
      return value >= 0 ? value : fill(classId, size);
    },
    costUsd(classId, size) {
      const index = classId * maxBatchSize + size - 1;
      if (!(seconds[index]! >= 0)) fill(classId, size);
      return costs[index]!;
    },
  };
}

/**
 * Service tables of one profile and pricing by memory, each built on first use; at most
 * `capacity` (default 256) are kept, as a refinement visits many memories once each.
 *
 * @example
 * ```ts
 * const tableAt = batchServiceTables(profile, pricing);
 * tableAt(2048).costUsd(3, 8);
 * ```
 */
export function batchServiceTables(
  profile: ServiceTimeProfile,
  pricing: PricingModel,
  capacity = 256,
): (memoryMb: number) => BatchServiceTable {
  const tables = new Map<number, BatchServiceTable>();
  return (memoryMb) => {
    let table = tables.get(memoryMb);
    if (!table) {
      if (tables.size >= capacity) tables.clear();
      table = createBatchServiceTable(profile, pricing, memoryMb);
      tables.set(memoryMb, table);
    }
    return table;
  };
}
