import { poissonWeights } from '@mbs/markov';

/** `P_d(h)` and `R_d(h)` for d = 0..levels-1, as {@link countingMatricesOverStep} gives them. */
export interface CountingMatrices {
  readonly probabilities: Float64Array;
  readonly integrals: Float64Array;
  /** Highest level with a nonzero block (the uniformization steps kept bound it). */
  readonly highestLevel: number;
}

/**
 * Counting matrices of a MAP over one short interval h, by uniformization:
 * `P_d(h)` (d arrivals in (0, h], phase at h given phase at 0) and `R_d(h) = ∫_0^h P_d(u) du`,
 * for d = 0..levels-1, each stored as an order x order block of a flat array.
 *
 * With rate Λ ≥ max |D0_ii|, `P_d(h) = Σ_k Pois(k; Λh) C_{d,k}` where `C_{0,0} = I` and
 * `C_{d,k+1} = C_{d,k}(I + D0/Λ) + C_{d-1,k} D1/Λ`; since ∫_0^h Pois(k; Λu) du = P(Pois(Λh) > k)/Λ,
 * `R_d(h) = Σ_k P(Pois(Λh) > k)/Λ · C_{d,k}`. The sum stops where the Poisson mass left is below
 * 1e-15, which bounds the entrywise error of every P_d by that mass and of R_d by h times it
 * plus the (smaller) tail mean over Λ.
 */
export function countingMatricesOverStep(
  hidden: Float64Array,
  arrival: Float64Array,
  order: number,
  uniformizationRate: number,
  stepSeconds: number,
  levels: number,
): CountingMatrices {
  const block = order * order;
  const stay = new Float64Array(block);
  const jump = new Float64Array(block);
  for (let index = 0; index < block; index++) {
    stay[index] = hidden[index]! / uniformizationRate;
    jump[index] = arrival[index]! / uniformizationRate;
  }
  for (let row = 0; row < order; row++) stay[row * order + row]! += 1;

  const weights = poissonWeights(uniformizationRate * stepSeconds);
  const probabilities = new Float64Array(levels * block);
  const integrals = new Float64Array(levels * block);
  let current = new Float64Array(levels * block);
  let next = new Float64Array(levels * block);
  for (let row = 0; row < order; row++) current[row * order + row] = 1;

  const steps = weights.probabilities.length;
  for (let k = 0; k < steps; k++) {
    const probability = weights.probabilities[k]!;
    const integralWeight = weights.tails[k]! / uniformizationRate;
    const highestLevel = Math.min(k, levels - 1);
    const used = (highestLevel + 1) * block;
    for (let index = 0; index < used; index++) {
      const entry = current[index]!;
      probabilities[index]! += probability * entry;
      integrals[index]! += integralWeight * entry;
    }
    if (k === steps - 1) break;
    const reachable = Math.min(k + 1, levels - 1);
    // C_{d,k+1} = C_{d,k} (I + D0/Λ) + C_{d−1,k} D1/Λ, row by row of each block.
    for (let level = 0; level <= reachable; level++) {
      const offset = level * block;
      const below = offset - block;
      for (let row = 0; row < order; row++) {
        for (let column = 0; column < order; column++) {
          let sum = 0;
          if (level <= highestLevel) {
            for (let inner = 0; inner < order; inner++) {
              sum += current[offset + row * order + inner]! * stay[inner * order + column]!;
            }
          }
          if (level >= 1) {
            for (let inner = 0; inner < order; inner++) {
              sum += current[below + row * order + inner]! * jump[inner * order + column]!;
            }
          }
          next[offset + row * order + column] = sum;
        }
      }
    }
    const swap = current;
    current = next;
    next = swap;
  }
  return { probabilities, integrals, highestLevel: Math.min(steps - 1, levels - 1) };
}

/**
 * `α P_d(t) 1` for d = 0..levels-1: the probability of exactly d arrivals in (0, t] from the
 * phase distribution α, by uniformization on row vectors (O(K · levels · order²)).
 */
export function arrivalCountProbabilities(
  initial: Float64Array,
  hidden: Float64Array,
  arrival: Float64Array,
  order: number,
  uniformizationRate: number,
  seconds: number,
  levels: number,
): Float64Array {
  const weights = poissonWeights(uniformizationRate * seconds);
  const result = new Float64Array(levels);
  let current = new Float64Array(levels * order);
  let next = new Float64Array(levels * order);
  current.set(initial, 0);
  const steps = weights.probabilities.length;
  for (let k = 0; k < steps; k++) {
    const probability = weights.probabilities[k]!;
    const highestLevel = Math.min(k, levels - 1);
    for (let level = 0; level <= highestLevel; level++) {
      let mass = 0;
      for (let phase = 0; phase < order; phase++) mass += current[level * order + phase]!;
      result[level]! += probability * mass;
    }
    if (k === steps - 1) break;
    next.fill(0);
    const reachable = Math.min(k + 1, levels - 1);
    for (let level = 0; level <= reachable; level++) {
      for (let from = 0; from < order; from++) {
        const stayMass = level <= highestLevel ? current[level * order + from]! : 0;
        const jumpMass = level >= 1 ? current[(level - 1) * order + from]! : 0;
        if (stayMass === 0 && jumpMass === 0) continue;
        for (let to = 0; to < order; to++) {
          const stay = (from === to ? 1 : 0) + hidden[from * order + to]! / uniformizationRate;
          next[level * order + to]! +=
            stayMass * stay + (jumpMass * arrival[from * order + to]!) / uniformizationRate;
        }
      }
    }
    const swap = current;
    current = next;
    next = swap;
  }
  return result;
}
