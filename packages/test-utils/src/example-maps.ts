import type { MarkovianArrivalProcess } from '@mbs/core';

// Small hand-written MAPs with known character, shared by @mbs/markov's sampler tests, the
// samples-vs-analysis script of @mbs/validation and the sampler benchmark, so they all exercise
// the same processes.

/** MAP(2) with positive lag-1 autocorrelation: a slow phase (0.5/s) and a fast one (4/s). */
export const POSITIVELY_CORRELATED_MAP2: MarkovianArrivalProcess = {
  d0: [
    [-0.5, 0.05],
    [0, -4],
  ],
  d1: [
    [0.45, 0],
    [1.2, 2.8],
  ],
};

/** Two-state Markov-modulated Poisson process: 5/s and 0.5/s. */
export const EXAMPLE_MMPP2: MarkovianArrivalProcess = {
  d0: [
    [-5.3, 0.3],
    [1.7, -2.2],
  ],
  d1: [
    [5, 0],
    [0, 0.5],
  ],
};

/** MAP(3) with negative lag-1 autocorrelation (long gaps tend to follow short ones). */
export const NEGATIVELY_CORRELATED_MAP3: MarkovianArrivalProcess = {
  d0: [
    [-4, 1, 0],
    [0, -2, 0.5],
    [0.2, 0, -1],
  ],
  d1: [
    [0, 0, 3],
    [1.5, 0, 0],
    [0.1, 0.7, 0],
  ],
};

/** Renewal process with Erlang-2 inter-arrival times at rate 2 per phase (SCV 0.5). */
export const ERLANG2_RENEWAL: MarkovianArrivalProcess = {
  d0: [
    [-2, 2],
    [0, -2],
  ],
  d1: [
    [0, 0],
    [2, 0],
  ],
};
