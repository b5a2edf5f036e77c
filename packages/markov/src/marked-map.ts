import type { MarkedArrivalProcess, MarkovianArrivalProcess, RandomSource } from '@mbs/core';
import { createRandom } from '@mbs/core';
import { errors } from './errors.js';
import { describeMap } from './map-descriptors.js';
import { createMapSampler } from './map-sampler.js';
import { validateMap } from './validate-map.js';

/** Options of {@link validateMarkedMap}. */
export interface ValidateMarkedMapOptions {
  /** Names the process in messages, e.g. `workload.json windows[0]`. */
  readonly source?: string;
  /** Largest accepted |Σ classArrivals - d1| per entry, relative to the largest rate; default 1e-8. */
  readonly tolerance?: number;
}

function invalid(source: string, problem: string): never {
  throw errors.error('MAP_INVALID', `${source}: invalid marked MAP: ${problem}`, {
    details: { source },
  });
}

/**
 * Checks a marked MAP: a valid MAP, at least one class, each class's matrix square of the MAP's
 * order with finite entries >= 0, and the class matrices summing to d1.
 *
 * @example
 * ```ts
 * validateMarkedMap(window, { source: 'workload.json windows[0]' });
 * ```
 * @throws MbsError `MAP_INVALID` naming the class, row and column at fault.
 */
export function validateMarkedMap(
  marked: MarkedArrivalProcess,
  options: ValidateMarkedMapOptions = {},
): MarkedArrivalProcess {
  const source = options.source ?? 'marked MAP';
  const tolerance = options.tolerance ?? 1e-8;
  validateMap(marked, { source });
  const order = marked.d0.length;
  const classes = marked.classArrivals;
  if (!Array.isArray(classes) || classes.length === 0) {
    invalid(source, 'classArrivals must hold one matrix per class (at least one)');
  }
  let scale = 0;
  for (const row of marked.d1) for (const value of row) scale = Math.max(scale, Math.abs(value));
  const sums = Array.from({ length: order }, () => new Array<number>(order).fill(0));
  classes.forEach((matrix, classId) => {
    if (!Array.isArray(matrix) || matrix.length !== order) {
      invalid(source, `classArrivals[${classId}] must have ${order} rows`);
    }
    matrix.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== order) {
        invalid(source, `classArrivals[${classId}][${i}] must have ${order} entries`);
      }
      row.forEach((value, j) => {
        if (!(value >= 0 && Number.isFinite(value))) {
          invalid(
            source,
            `classArrivals[${classId}][${i}][${j}] = ${value}; must be finite and >= 0`,
          );
        }
        sums[i]![j]! += value;
      });
    });
  });
  sums.forEach((row, i) => {
    row.forEach((value, j) => {
      const gap = Math.abs(value - marked.d1[i]![j]!);
      if (gap > tolerance * Math.max(1, scale)) {
        invalid(
          source,
          `the class matrices sum to ${value} at [${i}][${j}] where d1 holds ${marked.d1[i]![j]}; they must sum to d1`,
        );
      }
    });
  });
  return marked;
}

/**
 * The marked MAP whose classes are independent marks with the given shares:
 * classArrivals[k] = share_k d1. Restricting it to a set of classes is thinning.
 *
 * @example
 * ```ts
 * const marked = markedMapFromShares(map, [0.7, 0.3]);
 * ```
 */
export function markedMapFromShares(
  map: MarkovianArrivalProcess,
  shares: readonly number[],
): MarkedArrivalProcess {
  validateMap(map, { source: 'markedMapFromShares map' });
  const total = shares.reduce((sum, share) => sum + share, 0);
  if (
    shares.length === 0 ||
    shares.some((share) => !(share >= 0)) ||
    !(Math.abs(total - 1) < 1e-6)
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `markedMapFromShares shares ${JSON.stringify(shares)}; give non-negative shares summing to 1`,
    );
  }
  return {
    d0: map.d0,
    d1: map.d1,
    classArrivals: shares.map((share) =>
      map.d1.map((row) => row.map((value) => (share / total) * value)),
    ),
  };
}

/**
 * The arrivals of some classes of a marked MAP, as a MAP, exactly: a class taken with portion
 * p_k (1: all its arrivals, 0: none, between: each arrival kept independently with probability
 * p_k) keeps p_k of its arrival transitions, and every other arrival becomes a hidden phase
 * change: d0' = d0 + Σ_k (1 - p_k) classArrivals[k], d1' = Σ_k p_k classArrivals[k]. With
 * independent marks this is thinning by the classes' share.
 *
 * @example
 * ```ts
 * const buffer = restrictMarkedMap(marked, [0, 1, 1, 0.5]); // classes 1, 2 and half of 3
 * ```
 * @param portions - one portion in [0, 1] per class; classes beyond its length count as 0.
 * @throws MbsError `OPTION_INVALID` for a portion outside [0, 1] or more portions than classes;
 *   `MAP_INVALID` when the kept classes never arrive.
 */
export function restrictMarkedMap(
  marked: MarkedArrivalProcess,
  portions: readonly number[],
): MarkovianArrivalProcess {
  const classes = marked.classArrivals;
  if (
    portions.length > classes.length ||
    portions.some((portion) => !(portion >= 0 && portion <= 1))
  ) {
    throw errors.error(
      'OPTION_INVALID',
      `restrictMarkedMap portions ${JSON.stringify(portions)}; give at most ${classes.length} portions in [0, 1]`,
    );
  }
  const d0 = marked.d0.map((row) => [...row]);
  const d1 = marked.d0.map((row) => new Array<number>(row.length).fill(0));
  classes.forEach((matrix, classId) => {
    const portion = portions[classId] ?? 0;
    matrix.forEach((row, i) => {
      row.forEach((value, j) => {
        d1[i]![j]! += portion * value;
        d0[i]![j]! += (1 - portion) * value;
      });
    });
  });
  // An arrival of another class that keeps the phase is no event at all: fold it into the
  // diagonal, so the restricted MAP's fastest phase is no faster than it must be.
  for (let i = 0; i < d0.length; i++) {
    const row = d0[i]!;
    let offDiagonal = 0;
    for (let j = 0; j < row.length; j++) if (j !== i) offDiagonal += row[j]!;
    row[i] = -(offDiagonal + d1[i]!.reduce((sum, value) => sum + value, 0));
  }
  return validateMap({ d0, d1 }, { source: `restrictMarkedMap(${JSON.stringify(portions)})` });
}

/** Each class's share of the arrivals of a marked MAP in steady state, π classArrivals[k] 1 / λ. */
export function markedMapClassShares(marked: MarkedArrivalProcess): number[] {
  const { phaseStationary, rate } = describeMap(marked, { moments: 2, maxLag: 0 });
  return marked.classArrivals.map((matrix) => {
    let flow = 0;
    matrix.forEach((row, i) => {
      for (const value of row) flow += phaseStationary[i]! * value;
    });
    return flow / rate;
  });
}

/** Draws successive arrivals of a marked MAP: the time since the previous one and its class. */
export interface MarkedMapSampler {
  /** Advances past the next arrival; returns its inter-arrival time (s) and class. */
  next(): { readonly interArrivalSeconds: number; readonly classId: number };
}

/**
 * A sampler of a marked MAP: the MAP's phase process is simulated exactly (`createMapSampler`),
 * and each arrival's class is drawn in proportion to the class rates of the phase change that
 * carried it, classArrivals[k][from][to] / d1[from][to].
 *
 * @example
 * ```ts
 * const sampler = createMarkedMapSampler(marked, 7);
 * const { interArrivalSeconds, classId } = sampler.next();
 * ```
 */
export function createMarkedMapSampler(
  marked: MarkedArrivalProcess,
  seedOrRandom: number | RandomSource,
): MarkedMapSampler {
  validateMarkedMap(marked, { source: 'createMarkedMapSampler' });
  const random = typeof seedOrRandom === 'number' ? createRandom(seedOrRandom) : seedOrRandom;
  const order = marked.d0.length;
  const classCount = marked.classArrivals.length;
  // Per (from, to): the cumulative class probabilities, the last one 2 so a draw never falls off.
  const cumulative = new Float64Array(order * order * classCount);
  for (let from = 0; from < order; from++) {
    for (let to = 0; to < order; to++) {
      const base = (from * order + to) * classCount;
      const total = marked.d1[from]![to]!;
      let running = 0;
      for (let classId = 0; classId < classCount; classId++) {
        running += total > 0 ? marked.classArrivals[classId]![from]![to]! / total : 1 / classCount;
        cumulative[base + classId] = running;
      }
      cumulative[base + classCount - 1] = 2;
    }
  }
  const sampler = createMapSampler(marked, random);
  return {
    next() {
      const interArrivalSeconds = sampler.nextInterArrival();
      const base = (sampler.arrivalFromPhase * order + sampler.phase) * classCount;
      const draw = random.next();
      let classId = 0;
      while (draw >= cumulative[base + classId]!) classId++;
      return { interArrivalSeconds, classId };
    },
  };
}
