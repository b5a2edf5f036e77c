import { errors } from './core-errors.js';
import type { ClassScheme } from './workload.js';

/**
 * A class scheme from ascending upper edges: class c holds sizes in (edges[c-1], edges[c]].
 * Sizes above the last edge fall in the last class (it is open-ended), so no request is refused.
 *
 * @param upperEdges ascending, finite, at least one
 * @param representativeSizes the size each class pads to; defaults to its upper edge
 * @example
 * ```ts
 * const scheme = classSchemeFromEdges([100, 1000, 14050]);
 * scheme.classOf(512); // 1
 * ```
 */
export function classSchemeFromEdges(
  upperEdges: readonly number[],
  representativeSizes: readonly number[] = upperEdges,
): ClassScheme {
  if (upperEdges.length === 0) {
    throw errors.error('CONFIG_INVALID', 'a class scheme needs at least one edge');
  }
  for (let index = 0; index < upperEdges.length; index++) {
    const edge = upperEdges[index]!;
    if (!Number.isFinite(edge) || (index > 0 && edge <= upperEdges[index - 1]!)) {
      throw errors.error(
        'CONFIG_INVALID',
        `class edges must be finite and strictly ascending; edge ${index} is ${edge}`,
        { details: { index, edge } },
      );
    }
  }
  if (representativeSizes.length !== upperEdges.length) {
    throw errors.error(
      'CONFIG_INVALID',
      `${representativeSizes.length} representative sizes for ${upperEdges.length} classes`,
    );
  }
  const edges = [...upperEdges];
  const representatives = [...representativeSizes];
  return {
    count: edges.length,
    upperEdges: edges,
    classOf(size: number): number {
      // Binary search for the first edge >= size.
      let low = 0;
      let high = edges.length - 1;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (edges[middle]! >= size) high = middle;
        else low = middle + 1;
      }
      return low;
    },
    representativeSize(classId: number): number {
      const size = representatives[classId];
      if (size === undefined) {
        throw errors.error('CONFIG_INVALID', `class ${classId} is outside 0..${edges.length - 1}`);
      }
      return size;
    },
  };
}
