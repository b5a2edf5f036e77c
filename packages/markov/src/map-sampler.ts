import type { MarkovianArrivalProcess } from '@mbs/core';
import { createRandom, type RandomSource } from '@mbs/core';
import { toDenseMap } from './dense-map.js';
import { luFactorize, luSolveRow } from './dense-matrix.js';

/** Draws successive inter-arrival times of a MAP by simulating its phase process exactly. */
export interface MapSampler {
  /** The time to the next arrival, in seconds; advances the phase process past that arrival. */
  nextInterArrival(): number;
  /** The current phase (0-based): the phase just after the last arrival. */
  readonly phase: number;
  /** The phase just before the last arrival (the source of its d1 transition). */
  readonly arrivalFromPhase: number;
}

function arrivalPhaseLaw(order: number, d0: Float64Array, d1: Float64Array): Float64Array {
  // The phase after an arrival in steady state: pi D1 / lambda with pi (D0 + D1) = 0.
  const system = new Float64Array(order * order);
  for (let index = 0; index < order * order; index++) system[index] = d0[index]! + d1[index]!;
  for (let row = 0; row < order; row++) system[row * order + order - 1] = 1;
  const unit = new Float64Array(order);
  unit[order - 1] = 1;
  const pi = luSolveRow(luFactorize(system, 'createMapSampler generator'), unit);
  const law = new Float64Array(order);
  let total = 0;
  for (let row = 0; row < order; row++) {
    for (let column = 0; column < order; column++) {
      law[column]! += Math.max(0, pi[row]!) * d1[row * order + column]!;
    }
  }
  for (const value of law) total += value;
  return law.map((value) => value / total);
}

/**
 * A sampler of a MAP's inter-arrival times: it holds an exponential time in each phase (rate
 * -d0[i][i]) and picks the next transition, hidden (d0) or with an arrival (d1), in proportion to
 * its rate, from per-phase cumulative tables built once. The first phase is drawn from the
 * arrival-stationary law, so the sequence is stationary from the first draw. The simulation is
 * exact up to the 32-bit resolution of the uniform numbers.
 *
 * @example
 * ```ts
 * const sampler = createMapSampler(map, 7);
 * let time = 0;
 * for (let i = 0; i < 1000; i++) time += sampler.nextInterArrival();
 * ```
 * @param seedOrRandom - a seed for {@link createRandom}, or a random source to share.
 */
export function createMapSampler(
  map: MarkovianArrivalProcess,
  seedOrRandom: number | RandomSource,
): MapSampler {
  const { order, d0, d1 } = toDenseMap(map, 'createMapSampler');
  const random = typeof seedOrRandom === 'number' ? createRandom(seedOrRandom) : seedOrRandom;
  const stride = 2 * order;
  const meanHolding = new Float64Array(order);
  // Per phase: cumulative probabilities of its transitions (hidden moves first, then arrivals),
  // their target phases, and whether each comes with an arrival. Zero-rate moves are left out.
  const cumulative = new Float64Array(order * stride);
  const targets = new Int32Array(order * stride);
  const arrives = new Uint8Array(order * stride);
  for (let phase = 0; phase < order; phase++) {
    const totalRate = -d0[phase * order + phase]!;
    meanHolding[phase] = 1 / totalRate;
    let sum = 0;
    let count = 0;
    for (let kind = 0; kind < 2; kind++) {
      const matrix = kind === 0 ? d0 : d1;
      for (let target = 0; target < order; target++) {
        if (kind === 0 && target === phase) continue;
        const rate = matrix[phase * order + target]!;
        if (rate <= 0) continue;
        sum += rate;
        const slot = phase * stride + count;
        cumulative[slot] = sum / totalRate;
        targets[slot] = target;
        arrives[slot] = kind;
        count++;
      }
    }
    // The last transition absorbs round-off in the row sum, so a draw never falls off the table.
    cumulative[phase * stride + count - 1] = 2;
  }
  const startLaw = arrivalPhaseLaw(order, d0, d1);
  let phase = 0;
  let draw = random.next();
  while (phase < order - 1 && draw >= startLaw[phase]!) {
    draw -= startLaw[phase]!;
    phase++;
  }
  let arrivalFromPhase = phase;
  return {
    nextInterArrival(): number {
      let elapsed = 0;
      for (;;) {
        // 1 - u lies in (0, 1], so the logarithm is finite.
        elapsed -= Math.log(1 - random.next()) * meanHolding[phase]!;
        const choice = random.next();
        let slot = phase * stride;
        while (choice >= cumulative[slot]!) slot++;
        const from = phase;
        phase = targets[slot]!;
        if (arrives[slot] === 1) {
          arrivalFromPhase = from;
          return elapsed;
        }
      }
    },
    get phase(): number {
      return phase;
    },
    get arrivalFromPhase(): number {
      return arrivalFromPhase;
    },
  };
}
