import { luFactorize, luSolveMatrix } from '@mbs/markov';
import type { FlatArrivalProcess } from './arrival-process.js';
import { type CountingMatrices, countingMatricesOverStep } from './counting-matrices.js';

/** Intervals whose counting matrices one stream keeps (a search grid has ~12 T, each with a step). */
const INTERVALS_KEPT = 64;

interface StreamMemo {
  nextArrival?: Float64Array;
  readonly counting: Map<number, CountingMatrices>;
  readonly arrivalsWithin: Map<string, ArrivalsWithinTable>;
}

// Per flattened stream, so that the memo lives exactly as long as whoever holds the stream.
const memos = new WeakMap<FlatArrivalProcess, StreamMemo>();

/** Puts `value` at `key` as the newest entry, dropping the oldest once `map` holds INTERVALS_KEPT. */
function keepNewest<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  if (map.size >= INTERVALS_KEPT) map.delete(map.keys().next().value!);
  map.set(key, value);
}

/**
 * The entry of `key` holding at least `levels` levels; when it is absent or holds fewer, `compute`
 * (given the levels held, 0 when none, so that each table sets its own growth) makes a new one,
 * kept as the newest.
 */
function withLevels<K, V>(
  map: Map<K, V>,
  key: K,
  levels: number,
  levelsOf: (value: V) => number,
  compute: (keptLevels: number) => V,
): V {
  const kept = map.get(key);
  const keptLevels = kept === undefined ? 0 : levelsOf(kept);
  if (kept !== undefined && keptLevels >= levels) return kept;
  const computed = compute(keptLevels);
  keepNewest(map, key, computed);
  return computed;
}

function memoOf(flat: FlatArrivalProcess): StreamMemo {
  let memo = memos.get(flat);
  if (!memo) {
    memo = { counting: new Map(), arrivalsWithin: new Map() };
    memos.set(flat, memo);
  }
  return memo;
}

/**
 * (−D0)^{−1} D1 of the stream (from a phase, the phase just after the next arrival), computed
 * once per stream: every wait law of the stream needs it, whatever B and T.
 */
export function nextArrivalMatrix(flat: FlatArrivalProcess): Float64Array {
  const memo = memoOf(flat);
  memo.nextArrival ??= luSolveMatrix(
    luFactorize(
      flat.hidden.map((entry) => -entry),
      'D0 of the MAP',
    ),
    flat.arrival,
  );
  return memo.nextArrival;
}

/**
 * {@link countingMatricesOverStep} of the stream over `seconds` for `levels` levels, kept per
 * (stream, seconds): level d's blocks do not depend on how many levels are computed (each level
 * is stepped from itself and the one below, in the same order), so one computation to the most
 * levels asked serves every batch size at that interval bit for bit. `levelsAtLeast` (the
 * largest B − 1 a caller will ask) computes that many at once rather than growing by doubling.
 */
export function countingMatricesOf(
  flat: FlatArrivalProcess,
  seconds: number,
  levels: number,
  levelsAtLeast = levels,
): CountingMatrices {
  const kept = withLevels(
    memoOf(flat).counting,
    seconds,
    levels,
    (matrices) => matrices.probabilities.length / (flat.order * flat.order),
    (keptLevels) =>
      countingMatricesOverStep(
        flat.hidden,
        flat.arrival,
        flat.order,
        flat.uniformizationRate,
        seconds,
        Math.max(levels, levelsAtLeast, 2 * keptLevels),
      ),
  );
  const size = levels * flat.order * flat.order;
  return {
    probabilities: kept.probabilities.subarray(0, size),
    integrals: kept.integrals.subarray(0, size),
    highestLevel: Math.min(kept.highestLevel, levels - 1),
  };
}

/** y_j(w) = P_j(w) 1 on a grid of w, by {@link arrivalsWithinTable}. */
export interface ArrivalsWithinTable {
  /** P(j arrivals within w | phase) at `point x stride + j x order + phase`, w = point x step. */
  readonly values: Float64Array;
  readonly stride: number;
  /** Levels j held (0..levels − 1). */
  readonly levels: number;
}

/**
 * y_j(w) = P_j(w) 1, the probability by phase of exactly j arrivals within w, at w = 0, h, ..,
 * `gridIntervals` x h (h = `stepSeconds`) for j below `levels`, by y_j(w + h) = Σ_d P_d(h)
 * y_{j−d}(w): the backward half of every exact wait table of the stream at this grid. Level j
 * depends neither on how many levels are computed nor on B, so one computation to the most
 * levels asked serves every batch size at that timeout bit for bit. Grown by doubling (up to
 * `levelsAtLeast`, the most a caller will ask), since a stream often needs only small B's tables.
 */
export function arrivalsWithinTable(
  flat: FlatArrivalProcess,
  stepSeconds: number,
  gridIntervals: number,
  levels: number,
  levelsAtLeast = levels,
): ArrivalsWithinTable {
  return withLevels(
    memoOf(flat).arrivalsWithin,
    `${stepSeconds}|${gridIntervals}`,
    levels,
    (table) => table.levels,
    (keptLevels) =>
      computeArrivalsWithin(
        flat,
        stepSeconds,
        gridIntervals,
        Math.min(Math.max(levels, 2 * keptLevels), Math.max(levels, levelsAtLeast)),
      ),
  );
}

function computeArrivalsWithin(
  flat: FlatArrivalProcess,
  stepSeconds: number,
  gridIntervals: number,
  levels: number,
): ArrivalsWithinTable {
  const { order } = flat;
  const block = order * order;
  const gridPoints = gridIntervals + 1;
  const step = countingMatricesOf(flat, stepSeconds, levels);
  // More arrivals than the uniformization steps kept cannot happen in one step: those blocks are 0.
  const largestJump = Math.min(levels - 1, step.highestLevel);
  const stepProbabilities = step.probabilities;
  const stride = levels * order;
  const values = new Float64Array(gridPoints * stride);
  for (let phase = 0; phase < order; phase++) values[phase] = 1;
  for (let point = 0; point < gridIntervals; point++) {
    const base = point * stride;
    const nextBase = base + stride;
    for (let level = 0; level < levels; level++) {
      const target = nextBase + level * order;
      const jumps = Math.min(level, largestJump);
      for (let jump = 0; jump <= jumps; jump++) {
        const source = base + (level - jump) * order;
        const matrix = jump * block;
        for (let row = 0; row < order; row++) {
          let sum = 0;
          for (let column = 0; column < order; column++) {
            sum += stepProbabilities[matrix + row * order + column]! * values[source + column]!;
          }
          values[target + row]! += sum;
        }
      }
    }
  }
  return { values, stride, levels };
}
