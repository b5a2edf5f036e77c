import { multiplyMatrices, stationaryRowVector } from '@mbs/markov';
import type { FlatArrivalProcess } from './arrival-process.js';
import { batchSizeLaw, completeBatchSizeProbabilities } from './batch-size-summary.js';
import { arrivalsWithinTable, countingMatricesOf, nextArrivalMatrix } from './stream-memo.js';
import { interpolateWaitCdf } from './wait-interpolation.js';
import type { WaitLaw } from './wait-law-types.js';

/**
 * The phase just after a batch's opening arrival, in the long run: the stationary vector of the
 * embedded chain α ↦ [Σ_{d<B−1} P_d(T) + ∫_0^T P_{B−2}(u) du D1] (−D0)^{−1} D1, i.e. the phase
 * at dispatch (at T, or just after the B-th arrival) followed by the wait for the next arrival.
 * Also returns P(N = n) = α P_{n−1}(T) 1 for n < B.
 */
function openingPhaseLaw(
  flat: FlatArrivalProcess,
  batchSize: number,
  timeoutSeconds: number,
  largestBatchSize: number,
): { readonly opening: Float64Array; readonly probabilities: number[] } {
  const { order, arrival } = flat;
  const levels = batchSize - 1;
  const block = order * order;
  const atTimeout = countingMatricesOf(flat, timeoutSeconds, levels, largestBatchSize - 1);
  const dispatchPhase = new Float64Array(block);
  for (let level = 0; level < levels; level++) {
    for (let index = 0; index < block; index++) {
      dispatchPhase[index]! += atTimeout.probabilities[level * block + index]!;
    }
  }
  const lastIntegral = atTimeout.integrals.subarray((levels - 1) * block, levels * block);
  const filled = multiplyMatrices(lastIntegral, arrival, order);
  for (let index = 0; index < block; index++) dispatchPhase[index]! += filled[index]!;
  // (−D0)^{−1} D1: from a phase, the phase just after the next arrival.
  const openingChain = multiplyMatrices(dispatchPhase, nextArrivalMatrix(flat), order);
  const opening = stationaryRowVector(openingChain, 'stochastic', 'the opening-phase chain');

  const timedOut = new Float64Array(levels);
  for (let level = 0; level < levels; level++) {
    for (let row = 0; row < order; row++) {
      for (let column = 0; column < order; column++) {
        timedOut[level]! +=
          opening[row]! * atTimeout.probabilities[level * block + row * order + column]!;
      }
    }
  }
  return { opening, probabilities: completeBatchSizeProbabilities(timedOut, batchSize) };
}

/**
 * The exact wait law for B ≥ 2 and T > 0 (see `computeWaitLaw` for the derivation), tabulated on
 * `gridIntervals` equal steps of [0, T). The batch-size law is computed at once; the wait table
 * (most of the work) on the first read of a wait figure, so a search that prices a setting by its
 * batch sizes alone and never asks its latency does not pay for it. Counting matrices are kept
 * per (stream, interval) and computed to `largestBatchSize` − 1 levels (the largest B the caller
 * will ask of this stream), so the laws of every B at one T share them.
 */
export function exactWaitLaw(
  flat: FlatArrivalProcess,
  batchSize: number,
  timeoutSeconds: number,
  gridIntervals: number,
  largestBatchSize = batchSize,
): WaitLaw {
  const { opening, probabilities } = openingPhaseLaw(
    flat,
    batchSize,
    timeoutSeconds,
    largestBatchSize,
  );
  const sizes = batchSizeLaw(probabilities, []);
  let tabulated: { readonly table: Float64Array; readonly meanWaits: number[] } | undefined;
  const waits = () => {
    tabulated ??= waitTable(
      flat,
      batchSize,
      timeoutSeconds,
      gridIntervals,
      opening,
      probabilities,
      largestBatchSize,
    );
    return tabulated;
  };
  const gridPoints = gridIntervals + 1;
  const stepSeconds = timeoutSeconds / gridIntervals;
  let meanWaitSeconds: number | undefined;
  // The table's row for size 1 (waitTable counts no request of a lone batch below T).
  const loneRequestCdf = probabilities[0]! > 1e-300 ? 0 : 1;
  return {
    approximation: 'exact',
    batchSize,
    timeoutSeconds,
    arrivalRatePerSecond: flat.ratePerSecond,
    openingPhaseDistribution: Array.from(opening),
    batchSizeProbabilities: sizes.batchSizeProbabilities,
    meanBatchSize: sizes.meanBatchSize,
    requestShareByBatchSize: sizes.requestShareByBatchSize,
    get meanWaitByBatchSize() {
      return waits().meanWaits;
    },
    get meanWaitSeconds() {
      meanWaitSeconds ??= batchSizeLaw(probabilities, waits().meanWaits).meanWaitSeconds;
      return meanWaitSeconds;
    },
    gridIntervals,
    // Outside [0, T) the answer needs no table: a limit that every batch meets or misses by
    // service time alone leaves the table unbuilt. Nor does a batch of one (B > 1): it timed out,
    // its request waited T, and its table row is constant (0, or 1 where it cannot occur).
    waitCdf: (size, waitSeconds) =>
      waitSeconds < 0
        ? 0
        : waitSeconds >= timeoutSeconds
          ? 1
          : size === 1
            ? loneRequestCdf
            : interpolateWaitCdf(
                waits().table,
                (size - 1) * gridPoints,
                gridIntervals,
                stepSeconds,
                timeoutSeconds,
                waitSeconds,
              ),
  };
}

/** The wait CDF by batch size on the grid of [0, T], and E[W | n], for {@link exactWaitLaw}. */
function waitTable(
  flat: FlatArrivalProcess,
  batchSize: number,
  timeoutSeconds: number,
  gridIntervals: number,
  opening: Float64Array,
  probabilities: readonly number[],
  largestBatchSize: number,
): { readonly table: Float64Array; readonly meanWaits: number[] } {
  const { order, arrival } = flat;
  const levels = batchSize - 1;
  const block = order * order;
  const gridPoints = gridIntervals + 1;
  const stepSeconds = timeoutSeconds / gridIntervals;
  const step = countingMatricesOf(flat, stepSeconds, levels, largestBatchSize - 1);
  // More arrivals than the uniformization steps kept cannot happen in one step: those blocks are 0.
  const largestJump = Math.min(levels - 1, step.highestLevel);
  const stepProbabilities = step.probabilities;
  const stepIntegrals = step.integrals;
  const stride = levels * order;

  // Forward, from α at the opening: x_a(t) = α P_a(t) and ∫_0^t α P_a(u) du at every grid time,
  // by x_a(t + h) = Σ_d x_{a−d}(t) P_d(h) and the same with ∫_0^h P_d.
  const forward = new Float64Array(gridPoints * stride);
  const forwardIntegral = new Float64Array(gridPoints * stride);
  forward.set(opening, 0);
  for (let point = 0; point < gridIntervals; point++) {
    const base = point * stride;
    const nextBase = base + stride;
    forwardIntegral.copyWithin(nextBase, base, base + stride);
    for (let level = 0; level < levels; level++) {
      const target = nextBase + level * order;
      const jumps = Math.min(level, largestJump);
      for (let jump = 0; jump <= jumps; jump++) {
        const source = base + (level - jump) * order;
        const matrix = jump * block;
        for (let column = 0; column < order; column++) {
          let probability = 0;
          let integral = 0;
          for (let row = 0; row < order; row++) {
            const value = forward[source + row]!;
            probability += value * stepProbabilities[matrix + row * order + column]!;
            integral += value * stepIntegrals[matrix + row * order + column]!;
          }
          forward[target + column]! += probability;
          forwardIntegral[target + column]! += integral;
        }
      }
    }
  }

  // Backward: y_j(w) = P_j(w) 1, shared by every B of the stream at this grid.
  const within = arrivalsWithinTable(
    flat,
    stepSeconds,
    gridIntervals,
    levels,
    largestBatchSize - 1,
  );
  const backward = within.values;
  const backwardStride = within.stride;

  // Assembly at each grid w (the forward side read at T − w): the expected number of requests of
  // a batch with wait ≤ w and final size n, divided by n P(N = n).
  const table = new Float64Array(batchSize * gridPoints);
  const arrivedBefore = new Float64Array(stride);
  const atLeast = new Float64Array(batchSize * order);
  const counted = new Float64Array(batchSize);
  for (let point = 0; point < gridPoints; point++) {
    const forwardBase = (gridIntervals - point) * stride;
    const backwardBase = point * backwardStride;
    // Density of the k-th request arriving at u ≤ T − w, integrated: ∫ α P_{k−2}(u) du D1.
    arrivedBefore.fill(0);
    for (let level = 0; level < levels; level++) {
      for (let row = 0; row < order; row++) {
        const value = forwardIntegral[forwardBase + level * order + row]!;
        if (value === 0) continue;
        for (let column = 0; column < order; column++) {
          arrivedBefore[level * order + column]! += value * arrival[row * order + column]!;
        }
      }
    }
    // atLeast_j = P(≥ j arrivals within w | phase) = 1 − Σ_{d<j} y_d(w).
    for (let phase = 0; phase < order; phase++) atLeast[phase] = 1;
    for (let j = 1; j < batchSize; j++) {
      for (let phase = 0; phase < order; phase++) {
        atLeast[j * order + phase] =
          atLeast[(j - 1) * order + phase]! - backward[backwardBase + (j - 1) * order + phase]!;
      }
    }
    counted.fill(0);
    // (i) Timed-out batches (n < B): with `before` arrivals by T − w and `after` in (T − w, T],
    // the `after` late requests wait ≤ w.
    for (let before = 0; before < levels; before++) {
      for (let after = 1; before + after < levels; after++) {
        let dot = 0;
        for (let phase = 0; phase < order; phase++) {
          dot +=
            forward[forwardBase + before * order + phase]! *
            backward[backwardBase + after * order + phase]!;
        }
        counted[before + after]! += after * dot;
      }
    }
    // (i) Full batches: from level before + 1 at T − w, the B − 1 − before later requests all
    // wait ≤ w when the batch fills by T.
    let full = 0;
    for (let before = 0; before < levels; before++) {
      const needed = batchSize - 1 - before;
      let dot = 0;
      for (let phase = 0; phase < order; phase++) {
        dot += forward[forwardBase + before * order + phase]! * atLeast[needed * order + phase]!;
      }
      full += needed * dot;
    }
    // (ii) The k-th request, arrived by T − w, waits ≤ w only if the batch fills within w of it;
    // the opening request (k = 1, at time 0) likewise.
    for (let request = 2; request <= batchSize; request++) {
      const needed = batchSize - request;
      let dot = 0;
      for (let phase = 0; phase < order; phase++) {
        dot += arrivedBefore[(request - 2) * order + phase]! * atLeast[needed * order + phase]!;
      }
      full += dot;
    }
    for (let phase = 0; phase < order; phase++) {
      full += opening[phase]! * atLeast[(batchSize - 1) * order + phase]!;
    }
    counted[levels] = full;
    for (let size = 1; size <= batchSize; size++) {
      const expected = size * probabilities[size - 1]!;
      table[(size - 1) * gridPoints + point] =
        expected > 1e-300 ? Math.min(1, Math.max(0, counted[size - 1]! / expected)) : 1;
    }
  }

  // E[W | n] = ∫_0^T (1 − F_n(w)) dw by Simpson's rule (F_n is smooth on [0, T)), refined by one
  // Romberg step against Simpson on every other point when the grid allows it.
  const meanWaits = new Array<number>(batchSize).fill(0);
  const simpson = (row: number, stride: number): number => {
    const intervals = gridIntervals / stride;
    let sum = 0;
    for (let index = 0; index <= intervals; index++) {
      const weight = index === 0 || index === intervals ? 1 : index % 2 === 1 ? 4 : 2;
      sum += weight * (1 - table[row + index * stride]!);
    }
    return (sum * stepSeconds * stride) / 3;
  };
  for (let size = 1; size <= batchSize; size++) {
    const row = (size - 1) * gridPoints;
    const fine = simpson(row, 1);
    meanWaits[size - 1] = gridIntervals % 4 === 0 ? fine + (fine - simpson(row, 2)) / 15 : fine;
  }

  return { table, meanWaits };
}
