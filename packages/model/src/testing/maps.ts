import type { MarkovianArrivalProcess } from '@mbs/core';

export { burstyMap, twitterHourOneMap } from '../reference-maps.js';

/** A Poisson process of `rate` arrivals per second as a MAP of order 1. */
export function poissonMap(rate: number): MarkovianArrivalProcess {
  return { d0: [[-rate]], d1: [[rate]] };
}
