import { luFactorize, luSolveMatrix } from '@mbs/markov';
import type { FlatArrivalProcess } from './arrival-process.js';
import { type CountingMatrices, countingMatricesOverStep } from './counting-matrices.js';

/** Intervals whose counting matrices one stream keeps (a search grid has ~12 T, each with a step). */
const INTERVALS_KEPT = 64;

interface StreamMemo {
  nextArrival?: Float64Array;
  readonly counting: Map<number, CountingMatrices>;
}

// Per flattened stream, so that the memo lives exactly as long as whoever holds the stream.
const memos = new WeakMap<FlatArrivalProcess, StreamMemo>();

function memoOf(flat: FlatArrivalProcess): StreamMemo {
  let memo = memos.get(flat);
  if (!memo) {
    memo = { counting: new Map() };
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
  const { counting } = memoOf(flat);
  let kept = counting.get(seconds);
  const keptLevels = kept ? kept.probabilities.length / (flat.order * flat.order) : 0;
  if (!kept || keptLevels < levels) {
    const computed = Math.max(levels, levelsAtLeast, 2 * keptLevels);
    kept = countingMatricesOverStep(
      flat.hidden,
      flat.arrival,
      flat.order,
      flat.uniformizationRate,
      seconds,
      computed,
    );
    counting.delete(seconds);
    if (counting.size >= INTERVALS_KEPT) counting.delete(counting.keys().next().value!);
    counting.set(seconds, kept);
  }
  const size = levels * flat.order * flat.order;
  return {
    probabilities: kept.probabilities.subarray(0, size),
    integrals: kept.integrals.subarray(0, size),
    highestLevel: Math.min(kept.highestLevel, levels - 1),
  };
}
