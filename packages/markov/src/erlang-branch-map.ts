import type { MarkovianArrivalProcess } from '@mbs/core';

/**
 * A MAP in the Erlang-branch form of Horváth and Okamura (2013, "A fast EM algorithm for fitting
 * marked Markovian arrival processes with a new special structure", the ER-CHMM): each
 * inter-arrival time is drawn from the Erlang law of one branch, and the branch of the next one
 * is picked by a Markov chain over the branches at each arrival. A branch of order r holds r
 * phases, so the MAP's order is the sum of the branch orders.
 */
export interface ErlangBranchMap {
  /** Erlang order (phases) of each branch, each >= 1. */
  readonly branchOrders: readonly number[];
  /** Rate of every Erlang stage of each branch, per second (the branch's mean is order / rate). */
  readonly branchRates: readonly number[];
  /**
   * `branchTransitions[i][j]`: probability that the inter-arrival after one from branch i is drawn
   * from branch j; each row sums to 1.
   */
  readonly branchTransitions: readonly (readonly number[])[];
}

/**
 * The MAP of an Erlang-branch description: phases are the branches' stages in order; a stage of
 * branch i moves to the next at rate λ_i (d0), and its last stage ends the inter-arrival, moving
 * to the first stage of branch j at rate λ_i P_ij (d1). Valid whenever rates are > 0 and the
 * rows of P sum to 1.
 *
 * @example
 * ```ts
 * const map = erlangBranchMapToMap({
 *   branchOrders: [1, 2],
 *   branchRates: [10, 0.5],
 *   branchTransitions: [[0.9, 0.1], [0.3, 0.7]],
 * });
 * ```
 */
export function erlangBranchMapToMap(branches: ErlangBranchMap): MarkovianArrivalProcess {
  const { branchOrders, branchRates, branchTransitions } = branches;
  const order = branchOrders.reduce((sum, branchOrder) => sum + branchOrder, 0);
  const firstPhase: number[] = [];
  let offset = 0;
  for (const branchOrder of branchOrders) {
    firstPhase.push(offset);
    offset += branchOrder;
  }
  const zeros = () => Array.from({ length: order }, () => new Array<number>(order).fill(0));
  const d0 = zeros();
  const d1 = zeros();
  branchOrders.forEach((branchOrder, branch) => {
    const rate = branchRates[branch]!;
    const start = firstPhase[branch]!;
    for (let stage = 0; stage < branchOrder; stage++) {
      const phase = start + stage;
      d0[phase]![phase] = -rate;
      if (stage + 1 < branchOrder) d0[phase]![phase + 1] = rate;
    }
    const last = start + branchOrder - 1;
    branchTransitions[branch]!.forEach((probability, next) => {
      d1[last]![firstPhase[next]!]! += rate * probability;
    });
  });
  return { d0, d1 };
}

/**
 * Every way to split `phases` phases into Erlang branches: the integer partitions of `phases`,
 * each in non-increasing order (22 for 8 phases, 42 for 10).
 *
 * @example
 * ```ts
 * branchStructures(3); // [[3], [2, 1], [1, 1, 1]]
 * ```
 */
export function branchStructures(phases: number): number[][] {
  const structures: number[][] = [];
  const extend = (prefix: number[], remaining: number, largest: number): void => {
    if (remaining === 0) {
      structures.push(prefix);
      return;
    }
    for (let part = Math.min(largest, remaining); part >= 1; part--) {
      extend([...prefix, part], remaining - part, part);
    }
  };
  extend([], phases, phases);
  return structures;
}
