import { errors } from './core-errors.js';

/** A source of uniform random numbers in [0, 1). */
export interface RandomSource {
  /** The next uniform number in [0, 1), a multiple of 2^-32. */
  next(): number;
}

/**
 * A seeded xoshiro128** generator (Blackman & Vigna, period 2^128 - 1), its state filled by
 * splitmix32 from the seed; fast (a few ns per number) and reproducible across platforms. Numbers
 * have 32 bits of resolution, enough for simulation, not for cryptography.
 *
 * @example
 * ```ts
 * const random = createRandom(42);
 * random.next(); // same value on every run
 * ```
 * @param seed - any finite number; its integer part modulo 2^32 picks the stream.
 */
export function createRandom(seed: number): RandomSource {
  if (!Number.isFinite(seed)) {
    throw errors.error('OPTION_INVALID', `createRandom seed = ${seed}; must be finite`);
  }
  let splitState = Math.trunc(seed) >>> 0;
  const splitmix32 = (): number => {
    splitState = (splitState + 0x9e3779b9) | 0;
    let z = splitState;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix32();
  let s1 = splitmix32();
  let s2 = splitmix32();
  let s3 = splitmix32();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  return {
    next(): number {
      const result = Math.imul(rotateLeft(Math.imul(s1, 5), 7), 9) >>> 0;
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotateLeft(s3, 11);
      return result / 4294967296;
    },
  };
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}
