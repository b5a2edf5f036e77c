import type { MarkovianArrivalProcess, WorkloadWindow } from '@mbs/core';
import { restrictMarkedMap, validateMarkedMap } from '@mbs/markov';
import type { ArrivalClassRange } from './range-arrivals.js';

/**
 * The arrival stream of each class range of a window whose classes depend on the arrivals (it
 * carries `classArrivals`, a marked MAP fitted by `fitWorkload`), for @mbs/optimizer's
 * `OptimizationProblem.rangeArrivals`: the marked MAP restricted to the range's classes, each
 * taken with its portion (`restrictMarkedMap` of @mbs/markov), exact for the marked MAP. Cached
 * per range. Undefined for a window without `classArrivals`: thinning the window's MAP by the
 * range's share is then exact, and the model's default.
 *
 * @example
 * ```ts
 * const rangeArrivals = markedRangeArrivals(window);
 * const problem = { ...problem, ...(rangeArrivals ? { rangeArrivals } : {}) };
 * ```
 * @throws MbsError `MAP_INVALID` (naming `source`) when the class matrices do not sum to the MAP's d1.
 */
export function markedRangeArrivals(
  window: Pick<WorkloadWindow, 'map' | 'classArrivals'>,
  source = 'workload window',
): ((range: ArrivalClassRange) => MarkovianArrivalProcess) | undefined {
  const classArrivals = window.classArrivals;
  if (!classArrivals) return undefined;
  const marked = validateMarkedMap(
    { d0: window.map.d0, d1: window.map.d1, classArrivals },
    { source, tolerance: 1e-6 },
  );
  const cache = new Map<string, MarkovianArrivalProcess>();
  return (range) => {
    const key = `${range.firstClass}:${range.portions.join(',')}`;
    let map = cache.get(key);
    if (!map) {
      const portions = new Array<number>(classArrivals.length).fill(0);
      range.portions.forEach((portion, offset) => {
        portions[range.firstClass + offset] = portion;
      });
      map = restrictMarkedMap(marked, portions);
      cache.set(key, map);
    }
    return map;
  };
}
