import type { MarkovianArrivalProcess } from '@mbs/core';
import { toDenseMap } from './dense-map.js';
import { matrixInverse } from './dense-matrix.js';
import { errors } from './errors.js';
import { expm } from './expm.js';
import { describeMap } from './map-descriptors.js';
import { poissonWeights } from './poisson-weights.js';

/** Where the counting windows of {@link mapCountDistributions} start. */
export type CountWindowStart =
  /** At an arbitrary time: the phase follows the stationary law π of d0 + d1. */
  | 'time'
  /** Just after an arrival, counting the later arrivals (Palm): the phase follows π d1 / λ. */
  | 'arrival';

/** Options of {@link mapCountDistributions}. */
export interface CountDistributionOptions {
  /** Where each window starts; default `time`. */
  readonly start?: CountWindowStart;
  /** Counts 0..levels-1 are resolved, the rest summed in `tail`; an integer in 1..100000, default 64. */
  readonly levels?: number;
}

/** The law of the number of arrivals in one window. */
export interface CountDistribution {
  /** Window length in seconds. */
  readonly seconds: number;
  /** P(N = k) for k = 0..levels-1. */
  readonly probabilities: Float64Array;
  /** P(N >= levels). */
  readonly tail: number;
}

function invalid(option: string, value: unknown, accepted: string): never {
  throw errors.error(
    'OPTION_INVALID',
    `mapCountDistributions ${option} = ${JSON.stringify(value)}; ${accepted}`,
    { details: { option, value } },
  );
}

/**
 * The law of the number of arrivals N(t) of a MAP in a window of each length t in
 * `windowsSeconds` (ascending), by uniformization of the counting process (level, phase) with
 * levels 0..levels-1 kept and higher levels absorbed into the tail: one sweep over the lengths,
 * each continued from the previous one, O(Λ t_max · levels · order²) for the largest total event
 * rate Λ of a phase. Each probability is exact up to the 1e-15 Poisson truncation per length.
 * Windows start at an arbitrary time (`time`) or just after an arrival (`arrival`: what a batch
 * opened by that arrival sees within its timeout).
 *
 * @example
 * ```ts
 * const [law] = mapCountDistributions(map, [0.1], { start: 'arrival', levels: 32 });
 * law.probabilities[0]; // P(no other arrival within 100 ms of an arrival)
 * ```
 * @throws MbsError `MAP_INVALID` for an invalid MAP, `OPTION_INVALID` for lengths that are not
 *   finite, >= 0 and ascending, or bad options.
 */
export function mapCountDistributions(
  map: MarkovianArrivalProcess,
  windowsSeconds: readonly number[],
  options: CountDistributionOptions = {},
): CountDistribution[] {
  const start = options.start ?? 'time';
  if (start !== 'time' && start !== 'arrival')
    invalid('start', start, "accepted: 'time', 'arrival'");
  const levels = options.levels ?? 64;
  if (!Number.isInteger(levels) || levels < 1 || levels > 100_000)
    invalid('levels', levels, 'give an integer in 1..100000');
  windowsSeconds.forEach((seconds, index) => {
    if (
      !(seconds >= 0 && Number.isFinite(seconds)) ||
      (index > 0 && seconds < windowsSeconds[index - 1]!)
    )
      invalid(`windowsSeconds[${index}]`, seconds, 'give finite lengths >= 0 in ascending order');
  });
  const { order, d0, d1 } = toDenseMap(map, 'mapCountDistributions');
  const descriptors = describeMap(map, { moments: 2, maxLag: 0 });
  const initial = start === 'time' ? descriptors.phaseStationary : descriptors.arrivalStationary;
  let rate = 0;
  for (let phase = 0; phase < order; phase++) rate = Math.max(rate, -d0[phase * order + phase]!);
  // Uniformized one-step matrices: stay (I + D0/Λ) keeps the level, jump (D1/Λ) raises it.
  const stay = d0.map((value) => value / rate);
  for (let phase = 0; phase < order; phase++) stay[phase * order + phase]! += 1;
  const jump = d1.map((value) => value / rate);

  // current[level * order + phase]: P(N = level, phase) at the last length reached.
  let current = new Float64Array(levels * order);
  current.set(initial, 0);
  let next = new Float64Array(levels * order);
  let accumulated = new Float64Array(levels * order);
  let reached = 0;
  return windowsSeconds.map((seconds) => {
    const weights = poissonWeights(rate * (seconds - reached));
    accumulated.fill(0);
    for (let k = 0; k < weights.probabilities.length; k++) {
      const weight = weights.probabilities[k]!;
      for (let index = 0; index < levels * order; index++) {
        accumulated[index]! += weight * current[index]!;
      }
      if (k === weights.probabilities.length - 1) break;
      next.fill(0);
      for (let level = 0; level < levels; level++) {
        const base = level * order;
        for (let from = 0; from < order; from++) {
          const mass = current[base + from]!;
          if (mass === 0) continue;
          const row = from * order;
          for (let to = 0; to < order; to++) {
            next[base + to]! += mass * stay[row + to]!;
            // Mass jumping past the last level leaves the table: it is the tail.
            if (level + 1 < levels) next[base + order + to]! += mass * jump[row + to]!;
          }
        }
      }
      [current, next] = [next, current];
    }
    [current, accumulated] = [accumulated, current];
    reached = seconds;
    const probabilities = new Float64Array(levels);
    let total = 0;
    for (let level = 0; level < levels; level++) {
      let mass = 0;
      for (let phase = 0; phase < order; phase++) mass += current[level * order + phase]!;
      probabilities[level] = Math.max(0, mass);
      total += probabilities[level]!;
    }
    return { seconds, probabilities, tail: Math.max(0, 1 - total) };
  });
}

/**
 * The index of dispersion of counts, IDC(t) = Var N(t) / E N(t), of a stationary MAP over windows
 * of each length t (seconds), in closed form: with D = d0 + d1, Z = (1π - D)^{-1} and λ the rate,
 * Var N(t) = (λ - 2λ² + 2π d1 Z d1 1) t - 2π d1 (I - e^{Dt}) Z² d1 1 (Neuts 1979). 1 for a
 * Poisson process at every t; it tends to SCV (1 + 2 Σ autocorrelations) as t grows.
 *
 * @example
 * ```ts
 * mapIndexOfDispersion(poissonMap(3), [0.01, 1]); // [1, 1]
 * ```
 */
export function mapIndexOfDispersion(
  map: MarkovianArrivalProcess,
  windowsSeconds: readonly number[],
): number[] {
  const { order, d0, d1 } = toDenseMap(map, 'mapIndexOfDispersion');
  const { phaseStationary: pi, rate } = describeMap(map, { moments: 2, maxLag: 0 });
  const generator = new Float64Array(order * order);
  const fundamental = new Float64Array(order * order);
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) {
      const index = row * order + column;
      generator[index] = d0[index]! + d1[index]!;
      fundamental[index] = pi[column]! - generator[index]!;
    }
  }
  const z = matrixInverse(fundamental);
  const rowTimes = (vector: Float64Array, matrix: Float64Array) => {
    const result = new Float64Array(order);
    for (let row = 0; row < order; row++) {
      for (let column = 0; column < order; column++) {
        result[column]! += vector[row]! * matrix[row * order + column]!;
      }
    }
    return result;
  };
  const piD1 = rowTimes(pi, d1);
  const d1Ones = new Float64Array(order);
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) d1Ones[row]! += d1[row * order + column]!;
  }
  const dot = (left: Float64Array, right: Float64Array) =>
    left.reduce((sum, value, index) => sum + value * right[index]!, 0);
  const piD1Z = rowTimes(piD1, z);
  const linear = rate - 2 * rate * rate + 2 * dot(piD1Z, d1Ones);
  const piD1Z2 = rowTimes(piD1Z, z);
  return windowsSeconds.map((seconds) => {
    if (!(seconds > 0 && Number.isFinite(seconds))) {
      throw errors.error(
        'OPTION_INVALID',
        `mapIndexOfDispersion window ${seconds} s; give finite lengths > 0`,
      );
    }
    const exponential = expm(generator.map((value) => value * seconds));
    // π d1 (I - e^{Dt}) Z² d1 1 = π d1 Z² d1 1 - π d1 e^{Dt} Z² d1 1; Z and e^{Dt} commute.
    const decayed = rowTimes(piD1, exponential);
    const transient = dot(piD1Z2, d1Ones) - dot(rowTimes(rowTimes(decayed, z), z), d1Ones);
    const variance = linear * seconds - 2 * transient;
    return variance / (rate * seconds);
  });
}
