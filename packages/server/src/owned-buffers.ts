import type { ConfigurationDocument } from '@mbs/core';
import { errors } from './errors.js';

/** The size range of classes a front end owns: sizes in (above, upTo]. */
export interface OwnedSizeRange {
  /** Sizes strictly above this belong to the range (-Infinity for the first class: null in JSON). */
  readonly above: number | null;
  /** Sizes up to and including this belong to the range (null: no bound, the last class takes any larger size). */
  readonly upTo: number | null;
  readonly firstClass: number;
  readonly lastClass: number;
}

/** Which classes a front end serves, and the size ranges a balancer routes to it. */
export interface Ownership {
  /** Owned buffers, ascending; every buffer when the front end owns all. */
  readonly buffers: readonly number[];
  /** Whether class c is served here, by class id. */
  readonly ownsClass: readonly boolean[];
  /** Contiguous owned size ranges, ascending. */
  readonly sizeRanges: readonly OwnedSizeRange[];
  readonly ownsAll: boolean;
}

/**
 * The classes a front end owning `buffers` serves under `config`, checked so that a balancer can
 * route by size alone: every class of an owned buffer is owned whole (a class split between
 * buffers needs both), and the owned classes are the same in every window. Undefined `buffers`
 * owns everything. OPTION_INVALID names the buffer and class otherwise.
 *
 * @example
 * ```ts
 * const { sizeRanges } = resolveOwnership(config, [0, 1]); // what the balancer sends here
 * ```
 */
export function resolveOwnership(
  config: ConfigurationDocument,
  buffers: readonly number[] | undefined,
): Ownership {
  const classCount = config.classUpperEdges.length;
  const bufferCount = Math.max(...config.windows.map((window) => window.system.buffers.length));
  if (buffers === undefined) {
    const all = Array.from({ length: bufferCount }, (_, index) => index);
    return {
      buffers: all,
      ownsClass: new Array<boolean>(classCount).fill(true),
      sizeRanges: [{ above: null, upTo: null, firstClass: 0, lastClass: classCount - 1 }],
      ownsAll: true,
    };
  }
  if (!Array.isArray(buffers) || buffers.length === 0) {
    throw errors.option('ownedBuffers', 'must be a non-empty array of buffer indices', buffers);
  }
  const owned = [...new Set(buffers)].sort((a, b) => a - b);
  let reference: boolean[] | undefined;
  config.windows.forEach((window, windowIndex) => {
    const count = window.system.buffers.length;
    for (const index of owned) {
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        throw errors.option(
          'ownedBuffers',
          `names buffer ${String(index)}, but window ${windowIndex} has buffers 0..${count - 1}`,
          buffers,
        );
      }
    }
    // A class is owned when an owned buffer takes any of it; all its buffers must then be owned.
    const touched = new Array<boolean>(classCount).fill(false);
    for (const index of owned) {
      const buffer = window.system.buffers[index]!;
      for (let classId = buffer.firstClass; classId <= buffer.lastClass; classId++)
        touched[classId] = true;
    }
    window.system.buffers.forEach((buffer, index) => {
      if (owned.includes(index)) return;
      for (let classId = buffer.firstClass; classId <= buffer.lastClass; classId++) {
        if (touched[classId]) {
          throw errors.option(
            'ownedBuffers',
            `owns part of class ${classId} in window ${windowIndex}, which buffer ${index} shares; a balancer routes by size, so own buffer ${index} too or none of that class`,
            buffers,
          );
        }
      }
    });
    if (reference === undefined) reference = touched;
    else if (reference.some((value, classId) => value !== touched[classId])) {
      throw errors.option(
        'ownedBuffers',
        `serves other classes in window ${windowIndex} than in window 0; a balancer routing by size needs the same classes in every window`,
        buffers,
      );
    }
  });
  const ownsClass = reference!;
  const sizeRanges: OwnedSizeRange[] = [];
  const edges = config.classUpperEdges;
  const upperOf = (classId: number) => (classId === classCount - 1 ? null : edges[classId]!);
  for (let classId = 0; classId < classCount; classId++) {
    if (!ownsClass[classId]) continue;
    const last = sizeRanges.at(-1);
    if (last !== undefined && last.lastClass === classId - 1) {
      sizeRanges[sizeRanges.length - 1] = { ...last, upTo: upperOf(classId), lastClass: classId };
    } else {
      sizeRanges.push({
        above: classId === 0 ? null : edges[classId - 1]!,
        upTo: upperOf(classId),
        firstClass: classId,
        lastClass: classId,
      });
    }
  }
  return { buffers: owned, ownsClass, sizeRanges, ownsAll: ownsClass.every(Boolean) };
}

/** The owned size ranges as text, for messages: `(-inf, 512], (2048, 8192]`. */
export function describeSizeRanges(ranges: readonly OwnedSizeRange[]): string {
  return ranges
    .map(
      (range) =>
        `(${range.above ?? '-inf'}, ${range.upTo ?? 'inf'}${range.upTo === null ? ')' : ']'}`,
    )
    .join(', ');
}
