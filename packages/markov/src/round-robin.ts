import type { MarkedArrivalProcess, MarkovianArrivalProcess } from '@mbs/core';
import { errors } from './errors.js';
import { validateMap } from './validate-map.js';

/**
 * The arrivals one of `frontEnds` front ends sees behind a round-robin balancer: every k-th
 * arrival of the stream. Exactly a MAP of order n x k whose phase is (the stream's phase, the
 * arrivals counted since this front end's last one): an arrival of the stream moves the counter
 * from r to r + 1 unseen (d0), and from k - 1 back to 0 as an arrival here (d1). The rate is the
 * stream's rate / k. Not the same as independent thinning ({@link thinMap} with 1/k, a random
 * balancer): round robin makes each share more regular (a Poisson stream becomes Erlang-k, SCV 1/k).
 *
 * @example
 * ```ts
 * const oneOfThree = roundRobinMap(map, 3); // the stream of one of 3 front ends
 * ```
 * @param frontEnds - k, an integer >= 1; 1 returns the stream itself.
 */
export function roundRobinMap(
  map: MarkovianArrivalProcess,
  frontEnds: number,
): MarkovianArrivalProcess {
  if (!(Number.isInteger(frontEnds) && frontEnds >= 1)) {
    throw errors.error(
      'OPTION_INVALID',
      `roundRobinMap frontEnds = ${frontEnds}; must be an integer >= 1`,
    );
  }
  validateMap(map, { source: 'roundRobinMap input' });
  if (frontEnds === 1) return map;
  const order = map.d0.length;
  const size = order * frontEnds;
  const d0 = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  const d1 = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  // Phase (i, r) is index r * order + i.
  for (let counter = 0; counter < frontEnds; counter++) {
    const from = counter * order;
    const next = ((counter + 1) % frontEnds) * order;
    const target = counter === frontEnds - 1 ? d1 : d0;
    for (let i = 0; i < order; i++) {
      for (let j = 0; j < order; j++) {
        d0[from + i]![from + j] = map.d0[i]![j]!;
        target[from + i]![next + j] = map.d1[i]![j]!;
      }
    }
  }
  return { d0, d1 };
}

/**
 * {@link roundRobinMap} for a marked MAP: the arrivals one of `frontEnds` front ends sees, each
 * with its class. The class of a front end's arrival is the class of the stream's arrival that
 * completes its count, so class k's matrix is the stream's `classArrivals[k]` on the counter's
 * wrap from k - 1 to 0 (the arrivals counted in between stay hidden, whatever their class).
 *
 * @example
 * ```ts
 * const oneOfTwo = roundRobinMarkedMap(window, 2); // its classArrivals sum to its d1
 * ```
 * @param frontEnds - k, an integer >= 1; 1 returns the process itself.
 */
export function roundRobinMarkedMap(
  marked: MarkedArrivalProcess,
  frontEnds: number,
): MarkedArrivalProcess {
  const { d0, d1 } = roundRobinMap(marked, frontEnds);
  if (frontEnds === 1) return marked;
  const order = marked.d0.length;
  const size = order * frontEnds;
  const last = (frontEnds - 1) * order;
  const classArrivals = marked.classArrivals.map((matrix) => {
    const placed = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    for (let i = 0; i < order; i++) {
      for (let j = 0; j < order; j++) placed[last + i]![j] = matrix[i]![j]!;
    }
    return placed;
  });
  return { d0, d1, classArrivals };
}
