import type { SystemConfiguration } from '@mbs/core';
import { bufferClassShare, validateSystemConfiguration } from '@mbs/core';
import { errors } from './errors.js';

/** Routes a request class to the buffer that takes it. */
export interface ClassRouter {
  /** Number of classes the system covers (0..classCount-1). */
  readonly classCount: number;
  /**
   * Index of the buffer for a request of `classId`. A split boundary class goes to each of its
   * buffers with that buffer's share, chosen by `uniform` in [0, 1) (drawn from the router's
   * random source when omitted; only split classes use it).
   */
  bufferOf(classId: number, uniform?: number): number;
  /** `bufferOf(classId)` with the router's own random source, as the runtime calls it. */
  route(classId: number): number;
}

interface Route {
  readonly buffers: readonly number[];
  /** Cumulative shares, the last one equal to 1. */
  readonly cumulativeShares: readonly number[];
}

/**
 * Creates the class-to-buffer router of a system, checking that every class is covered once in
 * total. Classes in one buffer map to it without randomness; a split class takes a deterministic
 * weighted choice from the uniform number it is given.
 *
 * @param random uniform source in [0, 1), used when `bufferOf` gets no uniform; Math.random by default
 * @example
 * ```ts
 * const router = createClassRouter(system, createRandom(7).next);
 * const buffer = router.bufferOf(classId);
 * ```
 */
export function createClassRouter(
  system: SystemConfiguration,
  random: () => number = Math.random,
): ClassRouter {
  const classCount = Math.max(0, ...system.buffers.map((buffer) => buffer.lastClass + 1));
  validateSystemConfiguration(system, classCount, errors.prefix('router'));
  const portions: { buffer: number; share: number }[][] = Array.from(
    { length: classCount },
    () => [],
  );
  system.buffers.forEach((buffer, index) => {
    for (let classId = buffer.firstClass; classId <= buffer.lastClass; classId++) {
      portions[classId]!.push({ buffer: index, share: bufferClassShare(buffer, classId) });
    }
  });
  const single = new Int32Array(classCount).fill(-1);
  const routes: (Route | undefined)[] = portions.map((list, classId) => {
    if (list.length === 1) {
      single[classId] = list[0]!.buffer;
      return undefined;
    }
    const total = list.reduce((sum, portion) => sum + portion.share, 0);
    let running = 0;
    return {
      buffers: list.map((portion) => portion.buffer),
      // Normalised so that rounding in the shares never leaves a gap above the last buffer.
      cumulativeShares: list.map((portion, index) => {
        running += portion.share;
        return index === list.length - 1 ? 1 : running / total;
      }),
    };
  });
  const bufferOf = (classId: number, uniform?: number): number => {
    const buffer = single[classId];
    if (buffer === undefined) {
      throw errors.error(
        'CONFIG_INVALID',
        `class ${classId} is outside 0..${classCount - 1} of the system`,
        { details: { classId, classCount } },
      );
    }
    if (buffer >= 0) return buffer;
    const route = routes[classId]!;
    const u = uniform ?? random();
    const shares = route.cumulativeShares;
    for (let index = 0; index < shares.length - 1; index++) {
      if (u < shares[index]!) return route.buffers[index]!;
    }
    return route.buffers[shares.length - 1]!;
  };
  return { classCount, bufferOf, route: (classId) => bufferOf(classId) };
}
