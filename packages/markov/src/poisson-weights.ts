import { errors } from './errors.js';
/** Largest Poisson mean (fastest rate x interval) whose weights are computed: 100,000. */
export const MAX_UNIFORMIZATION_MEAN = 100_000;

/** Poisson probabilities and their tails, for uniformization. */
export interface PoissonWeights {
  /** P(K = k) for k = 0..length-1. */
  readonly probabilities: Float64Array;
  /** P(K > k) for k = 0..length-1 (the mass beyond the truncation included). */
  readonly tails: Float64Array;
  /** Mass left out beyond the last index: an upper bound on the truncation error. */
  readonly truncatedMass: number;
}

/**
 * Poisson(mean) weights for uniformization, up to the first index past the mean where the remaining mass is below
 * `tolerance` (bounded rigorously). Computed in log space so large means do not underflow.
 *
 * @example
 * ```ts
 * const { probabilities, truncatedMass } = poissonWeights(3.5); // P(K = k), k = 0..
 * ```
 */
export function poissonWeights(mean: number, tolerance = 1e-15): PoissonWeights {
  // The same bound as @mbs/model's uniformization: beyond it the weights alone would take
  // gigabytes and minutes (a MAP at 10^9 req/s over a 1 s window needs 10^9 of them).
  if (!(mean >= 0 && mean <= MAX_UNIFORMIZATION_MEAN)) {
    throw errors.error(
      'NUMERIC',
      `the arrival process would need ${Number.isFinite(mean) ? Math.ceil(mean).toLocaleString('en-US') : String(mean)} uniformization steps over one interval (its fastest rate times the interval), beyond the ${MAX_UNIFORMIZATION_MEAN.toLocaleString('en-US')} the model computes in bounded time and memory; use shorter timeouts, or scale the workload down (fewer, larger requests)`,
      { details: { mean, limit: MAX_UNIFORMIZATION_MEAN } },
    );
  }
  const values: number[] = [];
  const logMean = Math.log(mean);
  let logProbability = -mean;
  let remainder = 0;
  for (let k = 0; ; k++) {
    if (k > 0) logProbability += logMean - Math.log(k);
    const probability = mean === 0 ? (k === 0 ? 1 : 0) : Math.exp(logProbability);
    values.push(probability);
    // Past the mode the terms fall at least geometrically with ratio r = mean / (k + 1), so the
    // mass beyond k is at most p_k r / (1 − r): a rigorous stopping bound, free of the round-off
    // that 1 − Σ p_k would carry.
    const ratio = mean / (k + 1);
    if (ratio < 1) {
      remainder = (probability * ratio) / (1 - ratio);
      if (remainder < tolerance) break;
    }
  }
  const probabilities = Float64Array.from(values);
  const tails = new Float64Array(probabilities.length);
  // Summed from the far end so small tails keep their relative precision.
  let tail = remainder;
  for (let k = probabilities.length - 1; k >= 0; k--) {
    tails[k] = tail;
    tail += probabilities[k]!;
  }
  return { probabilities, tails, truncatedMass: remainder };
}
