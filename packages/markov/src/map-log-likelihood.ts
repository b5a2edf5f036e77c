import type { MarkovianArrivalProcess } from '@mbs/core';
import { toDenseMap } from './dense-map.js';
import { errors } from './errors.js';
import { expmAction } from './expm-action.js';
import { arrivalStationaryDistribution } from './map-descriptors.js';

/**
 * Largest uniformized time (time x largest exit rate) per call of expmAction: the vector is
 * renormalised between chunks, since exp(d0 t) itself underflows for gaps of hundreds of mean
 * holding times.
 */
const CHUNK_RATE_TIME = 200;

function rowTimes(vector: Float64Array, matrix: Float64Array, order: number): Float64Array {
  const result = new Float64Array(order);
  for (let row = 0; row < order; row++) {
    const factor = vector[row]!;
    if (factor === 0) continue;
    for (let column = 0; column < order; column++)
      result[column]! += factor * matrix[row * order + column]!;
  }
  return result;
}

/** Divides `vector` by its sum and returns the logarithm of that sum. */
function normalise(vector: Float64Array): number {
  let total = 0;
  for (const value of vector) total += value;
  for (let index = 0; index < vector.length; index++) vector[index]! /= total;
  return Math.log(total);
}

/**
 * The log-likelihood (natural logarithm, densities per second) of a sequence of inter-arrival
 * times under a stationary MAP: log φ exp(d0 x1) d1 exp(d0 x2) d1 ... 1, with φ the phase law
 * just after an arrival. Evaluated left to right with the row vector renormalised after each
 * time; each exp(d0 x) v is {@link expmAction} (uniformization), so the cost grows with
 * x x the largest exit rate. Meant for comparing fits on the same data: per arrival, a higher
 * value is a better description.
 *
 * @example
 * ```ts
 * const perArrival = mapLogLikelihood(map, gaps) / gaps.length;
 * ```
 * @throws MbsError `MAP_INVALID` for an invalid MAP; `OPTION_INVALID` for a time that is not
 *   finite and >= 0.
 */
export function mapLogLikelihood(
  map: MarkovianArrivalProcess,
  interArrivalSeconds: ArrayLike<number>,
): number {
  const { order, d0, d1 } = toDenseMap(map, 'mapLogLikelihood');
  let largestExitRate = 0;
  for (let phase = 0; phase < order; phase++)
    largestExitRate = Math.max(largestExitRate, -d0[phase * order + phase]!);
  const chunkSeconds = CHUNK_RATE_TIME / largestExitRate;
  let vector: Float64Array = Float64Array.from(arrivalStationaryDistribution(map));
  let logLikelihood = 0;
  for (let index = 0; index < interArrivalSeconds.length; index++) {
    const gap = interArrivalSeconds[index]!;
    if (!(gap >= 0) || !Number.isFinite(gap)) {
      throw errors.error(
        'OPTION_INVALID',
        `mapLogLikelihood inter-arrival #${index + 1} = ${gap} s; times must be finite and >= 0`,
        { details: { index, value: gap } },
      );
    }
    let remaining = gap;
    while (remaining > chunkSeconds) {
      vector = expmAction(d0, vector, chunkSeconds);
      logLikelihood += normalise(vector);
      remaining -= chunkSeconds;
    }
    vector = rowTimes(expmAction(d0, vector, remaining), d1, order);
    logLikelihood += normalise(vector);
  }
  return logLikelihood;
}
