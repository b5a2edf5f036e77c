/**
 * A seeded pseudo-random source of numbers in [0, 1) (mulberry32): fast, reproducible, and good
 * enough for routing shares and retry jitter. Not for cryptography.
 *
 * @example
 * ```ts
 * const random = createSeededRandom(42);
 * random(); // the same sequence for the same seed
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}
