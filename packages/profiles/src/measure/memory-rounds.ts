import type { PointMeasurement } from './measurement.js';
import type { PlannedPoint } from './profile-plan.js';

// The order in which one memory's points are invoked: rounds, one invocation of each unfinished
// point per round, each round in serpentine order. measure-profile.ts runs the steps, one memory
// after another or several memories in turn.

/** A point being measured: its samples so far, and whether it has stopped. */
export interface PointState {
  readonly point: PlannedPoint;
  readonly counter: { retries: number; coldStarts: number };
  readonly warmUpDurationsMs: number[];
  readonly durationsMs: number[];
  readonly billedDurationsMs: number[];
  /** The measurer's round of each kept sample (see {@link PointMeasurement.rounds}). */
  readonly rounds: number[];
  /** Set when the point has enough samples; it leaves the rounds that follow. */
  finished: boolean;
}

/** One invocation a memory's rounds ask for: the point, and whether its time is discarded. */
export interface RoundStep {
  readonly state: PointState;
  readonly warmUp: boolean;
  /** The memory's round, warm-up rounds counted from 0. */
  readonly round: number;
  /**
   * How far the memory's rounds are at this step, in rounds: the round (warm-up ones counted)
   * plus the share of it already run. Memories measured in turn go step by step in the order
   * of their progress, so their rounds stay in step whatever their number of points.
   */
  readonly progress: number;
}

/** Fresh states of points about to be measured. */
export function pointStates(points: readonly PlannedPoint[]): PointState[] {
  return points.map((point) => ({
    point,
    counter: { retries: 0, coldStarts: 0 },
    warmUpDurationsMs: [],
    durationsMs: [],
    billedDurationsMs: [],
    rounds: [],
    finished: false,
  }));
}

/**
 * The order of one round of a memory's points: by raw work (batch size x size sent), ascending
 * in even rounds and descending in odd ones (a serpentine), so each point follows a point of
 * nearly its own work and no round starts with a jump from the largest to the smallest.
 *
 * Why: an invocation's time depends on the one before it (the garbage and the outgrown buffers of
 * a large batch are paid by the next). In service each buffer has its own function, whose batches
 * are all of one class range, so an instance's batches follow batches of nearly their own size.
 * Measured in the plan's order, the smallest point of each round came right after the largest and
 * read 1.3 to 2 x its time (the law then over-predicted its neighbours by up to 38 % at 512 MB);
 * in a random order that cost landed on every small point by turns, as noise: up to 2 x
 * between samples of one point, and twice as many points never reached their interval.
 */
export function serpentine<T extends { readonly point: PlannedPoint }>(
  items: readonly T[],
  round: number,
  classSizes: readonly number[],
): T[] {
  const work = (item: T) => item.point.batchSize * classSizes[item.point.classIndex]!;
  const ascending = [...items].sort(
    (a, b) => work(a) - work(b) || a.point.batchSize - b.point.batchSize,
  );
  return round % 2 === 0 ? ascending : ascending.reverse();
}

/**
 * The invocations of one memory, in order: `warmUps` rounds over all its points (discarded),
 * then rounds over the points not yet finished, until none is left; each round in the order of
 * {@link serpentine}, the rounds numbered on from the warm-up ones. Lazy: a round is drawn up
 * when its first step is asked for, so a point that finished in the round before is left out.
 */
export function* memoryRounds(
  states: readonly PointState[],
  warmUps: number,
  classSizes: readonly number[],
): Generator<RoundStep, void, undefined> {
  let round = 0;
  function* roundOf(points: readonly PointState[], warmUp: boolean) {
    const ordered = serpentine(points, round, classSizes);
    for (const [position, state] of ordered.entries()) {
      yield { state, warmUp, round, progress: round + position / ordered.length };
    }
  }
  for (; round < warmUps; round++) yield* roundOf(states, true);
  for (
    let unfinished = states.filter((state) => !state.finished);
    unfinished.length > 0;
    unfinished = unfinished.filter((state) => !state.finished), round++
  ) {
    yield* roundOf(unfinished, false);
  }
}
