import type { RangeOutcomeCache } from './candidates.js';
import type { Combination } from './combine-exactly.js';
import { type PartitionSearchOptions, searchPartitions } from './partition-dynamic-program.js';
import type { ClassPosition } from './ranges.js';

/** Boundary positions the exact dynamic program takes at most; beyond, it goes coarse to fine. */
export const EXACT_POSITION_LIMIT = 17;

const positionKey = (position: ClassPosition) => `${position.classId}+${position.share}`;

/**
 * The partition search for many classes: the dynamic program first over every `stride`-th
 * boundary position (at most {@link EXACT_POSITION_LIMIT}), then, round by round, over windows of
 * positions around each boundary found, moving boundaries by up to a stride while the cost falls.
 * A round only links each window to the next, so it prices a few ranges per buffer instead of
 * every range. It finds the optimum of the coarse grid and a local optimum around it, not
 * necessarily the global one; with at most {@link EXACT_POSITION_LIMIT} positions it is the exact
 * dynamic program.
 */
export function searchPartitionsCoarseToFine(
  cache: RangeOutcomeCache,
  options: PartitionSearchOptions & {
    readonly maxRounds?: number;
    /** Called as each phase starts: `coarse grid`, then `refinement round k of at most n`. */
    readonly onPhase?: (phase: string) => void;
  },
): Combination | undefined {
  const { positions } = options;
  const last = positions.length - 1;
  if (positions.length <= EXACT_POSITION_LIMIT) return searchPartitions(cache, options);
  const stride = Math.ceil(last / (EXACT_POSITION_LIMIT - 1));
  const maxRounds = options.maxRounds ?? 6;
  options.onPhase?.('coarse grid');
  const coarse: number[] = [];
  for (let index = 0; index < last; index += stride) coarse.push(index);
  coarse.push(last);
  let best = searchPartitions(cache, {
    ...options,
    positions: coarse.map((index) => positions[index]!),
  });
  if (!best) return undefined;
  const indexOf = new Map(positions.map((position, index) => [positionKey(position), index]));
  for (let round = 0; round < maxRounds; round++) {
    options.onPhase?.(`refinement round ${round + 1} of at most ${maxRounds}`);
    const boundaries = [
      0,
      ...best.choice.map((candidate) => indexOf.get(positionKey(candidate.range.to))!),
    ];
    // Window i holds the positions boundary i may move to, between its neighbours.
    const windows = boundaries.map((boundary, index) => {
      if (index === 0) return [0];
      if (index === boundaries.length - 1) return [last];
      const low = Math.max(boundaries[index - 1]! + 1, boundary - stride + 1);
      const high = Math.min(boundaries[index + 1]! - 1, boundary + stride - 1);
      return Array.from({ length: high - low + 1 }, (_, offset) => low + offset);
    });
    const layered = windows.flat();
    const layerOf = windows.flatMap((window, layer) => window.map(() => layer));
    const found = searchPartitions(cache, {
      ...options,
      positions: layered.map((index) => positions[index]!),
      maxBuffers: boundaries.length - 1,
      allowRange: (from, to) => layerOf[to] === layerOf[from]! + 1,
    });
    if (!found || found.cost >= best.cost * (1 - 1e-12)) break;
    best = found;
  }
  return best;
}
