/**
 * Parameters of an Erlang-branch MAP while the EM runs, in time units of the sample mean (so
 * rates stay near 1 whatever the trace's scale). Updated in place by {@link BranchEm.step}.
 */
export interface BranchParameters {
  /** Erlang order of each branch. */
  readonly orders: readonly number[];
  /** Stage rate of each branch. */
  readonly rates: Float64Array;
  /** Branch transition probabilities, row-major R x R. */
  readonly transitions: Float64Array;
  /** Law of the first inter-arrival's branch. */
  readonly initial: Float64Array;
  /**
   * With marks: P(next branch j, class c | branch i, group g of the previous arrival's class),
   * row-major groupCount x classCount x R x R (index ((g C + c) R + i) R + j); for each (g, i) it
   * sums to 1 over (c, j). `transitions` then holds the branch transitions it implies, for
   * reporting only.
   */
  readonly markedTransitions?: Float64Array;
}

/**
 * The classes (marks) of the arrivals between the times: `classes[k]` is the class of the arrival
 * that ends time k and starts time k + 1 (k = 0..N-2), and `previousGroups[k]` the group of the
 * class of the arrival before it (the one that starts time k): the marks' memory.
 */
export interface BranchMarks {
  readonly classes: Uint32Array;
  readonly classCount: number;
  readonly previousGroups: Uint32Array;
  readonly groupCount: number;
  /** Share of each class among `classes`: the prior the mark probabilities are smoothed towards. */
  readonly shares: Float64Array;
}

/** Pseudo-transitions per (group, branch), spread by class share and target, added to the counts. */
const MARK_PRIOR_TRANSITIONS = 1;

/** The EM iteration over one sample, with its work arrays allocated once. */
export interface BranchEm {
  /**
   * One EM iteration: returns the log-likelihood of `parameters` (normalised time units; with
   * marks, of the times and the marks together) and
   * replaces them with the maximiser of the expected complete-data log-likelihood, so the next
   * call's value is never lower (Dempster, Laird and Rubin 1977). A `pseudoTransitions` > 0 adds
   * that many transitions per branch, spread evenly over the targets, to the expected counts
   * before P is re-estimated (a Dirichlet prior; the likelihood may then drop slightly).
   */
  step(parameters: BranchParameters, pseudoTransitions?: number): number;
  /** The log-likelihood of `parameters` with the first branch drawn from `initial`. */
  logLikelihood(parameters: BranchParameters, initial: Float64Array): number;
}

function logFactorial(value: number): number {
  let sum = 0;
  for (let factor = 2; factor <= value; factor++) sum += Math.log(factor);
  return sum;
}

/**
 * The EM of Horváth and Okamura (2013) for Erlang-branch MAPs: the branch sequence is a hidden
 * Markov chain observed through Erlang inter-arrival densities, so the E-step is the scaled
 * forward-backward pass of a discrete HMM (O(N R^2) for N times and R branches, no matrix
 * exponentials) and the M-step is closed-form: transition counts for P, and rate = order x
 * expected count / expected time in each branch.
 *
 * @param times - inter-arrival times divided by their mean, all finite and > 0.
 * @param maxBranches - the most branches any structure fitted with this EM will have.
 */
export function createBranchEm(
  times: Float64Array,
  maxBranches: number,
  marks?: BranchMarks,
): BranchEm {
  const count = times.length;
  const classCount = marks?.classCount ?? 1;
  const groupCount = marks?.groupCount ?? 1;
  /** Transition weights: P_ij without marks, P(j, c | i, g) with them. */
  const weightsOf = (parameters: BranchParameters) =>
    marks && parameters.markedTransitions ? parameters.markedTransitions : parameters.transitions;
  /** Offset in the transition weights of the transition after time k. */
  const markOffset = (k: number, square: number) =>
    marks ? (marks.previousGroups[k]! * classCount + marks.classes[k]!) * square : 0;
  const logTimes = times.map(Math.log);
  // Emission densities of every time in every branch, divided by the largest of them per time
  // (its logarithm kept in `offsets`) so that long and short gaps alike stay within range.
  const emissions = new Float64Array(count * maxBranches);
  const offsets = new Float64Array(count);
  const forward = new Float64Array(count * maxBranches);
  const scales = new Float64Array(count);

  const constants = new Float64Array(maxBranches);
  const shapes = new Float64Array(maxBranches);

  function fillEmissions(parameters: BranchParameters): void {
    const { orders, rates } = parameters;
    const branches = orders.length;
    for (let branch = 0; branch < branches; branch++) {
      const order = orders[branch]!;
      constants[branch] = order * Math.log(rates[branch]!) - logFactorial(order - 1);
      shapes[branch] = order - 1;
    }
    for (let k = 0; k < count; k++) {
      const row = k * branches;
      const time = times[k]!;
      const logTime = logTimes[k]!;
      let largest = Number.NEGATIVE_INFINITY;
      for (let branch = 0; branch < branches; branch++) {
        const value = constants[branch]! + shapes[branch]! * logTime - rates[branch]! * time;
        emissions[row + branch] = value;
        if (value > largest) largest = value;
      }
      for (let branch = 0; branch < branches; branch++) {
        emissions[row + branch] = Math.exp(emissions[row + branch]! - largest);
      }
      offsets[k] = largest;
    }
  }

  function forwardPass(parameters: BranchParameters, initial: Float64Array): number {
    const branches = parameters.orders.length;
    const square = branches * branches;
    const effective = weightsOf(parameters);
    let logLikelihood = 0;
    for (let k = 0; k < count; k++) {
      const row = k * branches;
      let total = 0;
      for (let next = 0; next < branches; next++) {
        let inflow = 0;
        if (k === 0) inflow = initial[next]!;
        else {
          const previous = row - branches;
          const offset = markOffset(k - 1, square);
          for (let branch = 0; branch < branches; branch++) {
            inflow += forward[previous + branch]! * effective[offset + branch * branches + next]!;
          }
        }
        const value = inflow * emissions[row + next]!;
        forward[row + next] = value;
        total += value;
      }
      // A zero total means no branch the chain can reach explains this time at all.
      if (!(total > 0)) return Number.NEGATIVE_INFINITY;
      for (let next = 0; next < branches; next++) forward[row + next]! /= total;
      scales[k] = total;
      logLikelihood += Math.log(total) + offsets[k]!;
    }
    return logLikelihood;
  }

  return {
    logLikelihood(parameters, initial) {
      fillEmissions(parameters);
      return forwardPass(parameters, initial);
    },
    step(parameters, pseudoTransitions = 0) {
      fillEmissions(parameters);
      const logLikelihood = forwardPass(parameters, parameters.initial);
      if (!Number.isFinite(logLikelihood)) return logLikelihood;
      const { orders, rates, transitions, initial, markedTransitions } = parameters;
      const effective = weightsOf(parameters);
      const branches = orders.length;
      const square = branches * branches;
      // Expected transitions (i, j) at arrivals of each (previous group, class); one cell without marks.
      const classCounts = new Float64Array(groupCount * classCount * square);
      const weights = new Float64Array(branches);
      const weightedTimes = new Float64Array(branches);
      // Backward pass, scaled like the forward one so that forward x backward is the posterior
      // branch law of each time; the expected counts are accumulated on the way.
      let backward = new Float64Array(branches).fill(1);
      let previousBackward = new Float64Array(branches);
      const scaledEmission = new Float64Array(branches);
      for (let k = count - 1; k >= 0; k--) {
        const row = k * branches;
        if (k < count - 1) {
          const nextRow = row + branches;
          for (let next = 0; next < branches; next++) {
            scaledEmission[next] = (emissions[nextRow + next]! * backward[next]!) / scales[k + 1]!;
          }
          const offset = markOffset(k, square);
          for (let branch = 0; branch < branches; branch++) {
            const forwardValue = forward[row + branch]!;
            let sum = 0;
            for (let next = 0; next < branches; next++) {
              const flow = effective[offset + branch * branches + next]! * scaledEmission[next]!;
              sum += flow;
              classCounts[offset + branch * branches + next]! += forwardValue * flow;
            }
            previousBackward[branch] = sum;
          }
          [backward, previousBackward] = [previousBackward, backward];
        }
        for (let branch = 0; branch < branches; branch++) {
          const posterior = forward[row + branch]! * backward[branch]!;
          weights[branch]! += posterior;
          weightedTimes[branch]! += posterior * times[k]!;
          if (k === 0) initial[branch] = posterior;
        }
      }
      const transitionCounts = new Float64Array(square);
      for (let cell = 0; cell < groupCount * classCount; cell++) {
        for (let index = 0; index < square; index++) {
          transitionCounts[index]! += classCounts[cell * square + index]!;
        }
      }
      if (marks && markedTransitions) {
        // P(j, c | i, g): the expected transitions of each (g, i) shared out over (c, j), with a
        // pseudo-transition spread by class share so that nothing unseen becomes impossible.
        const prior = MARK_PRIOR_TRANSITIONS + pseudoTransitions;
        for (let group = 0; group < groupCount; group++) {
          for (let branch = 0; branch < branches; branch++) {
            let total = prior;
            for (let mark = 0; mark < classCount; mark++) {
              const base = (group * classCount + mark) * square + branch * branches;
              for (let next = 0; next < branches; next++) total += classCounts[base + next]!;
            }
            for (let mark = 0; mark < classCount; mark++) {
              const base = (group * classCount + mark) * square + branch * branches;
              const spread = (prior * marks.shares[mark]!) / branches;
              for (let next = 0; next < branches; next++) {
                markedTransitions[base + next] = (classCounts[base + next]! + spread) / total;
              }
            }
          }
        }
      }
      let initialTotal = 0;
      for (const value of initial) initialTotal += value;
      for (let branch = 0; branch < branches; branch++) {
        initial[branch]! /= initialTotal;
        // A branch no time is attributed to keeps its rate and row: there is nothing to learn.
        if (weights[branch]! > 0 && weightedTimes[branch]! > 0) {
          rates[branch] = (orders[branch]! * weights[branch]!) / weightedTimes[branch]!;
        }
        let rowTotal = 0;
        for (let next = 0; next < branches; next++) {
          transitionCounts[branch * branches + next]! += pseudoTransitions / branches;
          rowTotal += transitionCounts[branch * branches + next]!;
        }
        if (rowTotal > 0) {
          for (let next = 0; next < branches; next++) {
            transitions[branch * branches + next] =
              transitionCounts[branch * branches + next]! / rowTotal;
          }
        }
      }
      return logLikelihood;
    },
  };
}
