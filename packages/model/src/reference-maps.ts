import type { MarkovianArrivalProcess } from '@mbs/core';

/**
 * The MAP(2) fitted to hour 1 of the Twitter trace (numbers copied from the MBS solvers' input
 * data, twitter-maps/hour1_D0.csv and hour1_D1.csv): about 35 requests per second, close to
 * Poisson.
 */
export const twitterHourOneMap: MarkovianArrivalProcess = {
  d0: [
    [-14.625001, 0],
    [0, -35.171226],
  ],
  d1: [
    [0.05102, 14.573981],
    [0.063796, 35.107429],
  ],
};

/**
 * A bursty two-phase MMPP (a synthetic reference workload): 80 requests per second in bursts of mean 1 s, 1 per second between
 * them (mean 4 s); inter-arrival SCV about 21, 16.8 requests per second on average.
 */
export const burstyMap: MarkovianArrivalProcess = {
  d0: [
    [-81, 1],
    [0.25, -1.25],
  ],
  d1: [
    [80, 0],
    [0, 1],
  ],
};
