/**
 * A Gaussian-process regression with a squared-exponential kernel on inputs in [0, 1]^d, the
 * surrogate of the `bayesian` strategy. Small and exact: it refits by Cholesky factorisation
 * on every observation, which is cheap at MBS's 60 observations per buffer.
 */
export interface GaussianProcess {
  observe(input: readonly number[], value: number): void;
  /** Posterior mean and standard deviation at an input. */
  predict(input: readonly number[]): { mean: number; deviation: number };
  readonly size: number;
}

/** Options of {@link createGaussianProcess}. */
export interface GaussianProcessOptions {
  /** Kernel length scale on the unit cube. Default 0.25. */
  readonly lengthScale?: number;
  /** Observation noise variance relative to the signal variance. Default 1e-6. */
  readonly noise?: number;
}

function kernel(a: readonly number[], b: readonly number[], lengthScale: number): number {
  let distance = 0;
  for (let index = 0; index < a.length; index++) {
    const difference = a[index]! - b[index]!;
    distance += difference * difference;
  }
  return Math.exp(-distance / (2 * lengthScale * lengthScale));
}

/**
 * A Gaussian process with values standardised to zero mean and unit variance internally.
 *
 * @example
 * ```ts
 * const process = createGaussianProcess();
 * process.observe([0.2, 0.5], 1.3);
 * process.predict([0.25, 0.5]);
 * ```
 */
export function createGaussianProcess(options: GaussianProcessOptions = {}): GaussianProcess {
  const lengthScale = options.lengthScale ?? 0.25;
  const noise = options.noise ?? 1e-6;
  const inputs: number[][] = [];
  const values: number[] = [];
  let cholesky: Float64Array = new Float64Array(0);
  let weights: Float64Array = new Float64Array(0);
  let mean = 0;
  let scale = 1;

  const refit = () => {
    const count = inputs.length;
    mean = values.reduce((sum, value) => sum + value, 0) / count;
    const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / count;
    scale = Math.sqrt(variance) || 1;
    const lower = new Float64Array(count * count);
    for (let row = 0; row < count; row++) {
      for (let column = 0; column <= row; column++) {
        let sum =
          kernel(inputs[row]!, inputs[column]!, lengthScale) + (row === column ? noise + 1e-9 : 0);
        for (let k = 0; k < column; k++)
          sum -= lower[row * count + k]! * lower[column * count + k]!;
        lower[row * count + column] =
          row === column ? Math.sqrt(Math.max(sum, 1e-12)) : sum / lower[column * count + column]!;
      }
    }
    // weights = K^-1 y by forward then backward substitution.
    const standardised = values.map((value) => (value - mean) / scale);
    const forward = new Float64Array(count);
    for (let row = 0; row < count; row++) {
      let sum = standardised[row]!;
      for (let k = 0; k < row; k++) sum -= lower[row * count + k]! * forward[k]!;
      forward[row] = sum / lower[row * count + row]!;
    }
    const solution = new Float64Array(count);
    for (let row = count - 1; row >= 0; row--) {
      let sum = forward[row]!;
      for (let k = row + 1; k < count; k++) sum -= lower[k * count + row]! * solution[k]!;
      solution[row] = sum / lower[row * count + row]!;
    }
    cholesky = lower;
    weights = solution;
  };

  return {
    get size() {
      return inputs.length;
    },
    observe(input, value) {
      inputs.push([...input]);
      values.push(value);
      refit();
    },
    predict(input) {
      const count = inputs.length;
      if (count === 0) return { mean: 0, deviation: 1 };
      const covariances = inputs.map((observed) => kernel(observed, input, lengthScale));
      let predicted = 0;
      for (let index = 0; index < count; index++)
        predicted += covariances[index]! * weights[index]!;
      const solved = new Float64Array(count);
      for (let row = 0; row < count; row++) {
        let sum = covariances[row]!;
        for (let k = 0; k < row; k++) sum -= cholesky[row * count + k]! * solved[k]!;
        solved[row] = sum / cholesky[row * count + row]!;
      }
      let explained = 0;
      for (const value of solved) explained += value * value;
      const variance = Math.max(0, 1 - explained);
      return { mean: mean + scale * predicted, deviation: scale * Math.sqrt(variance) };
    },
  };
}

/** The standard normal density and distribution, for expected improvement. */
function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

function normalDistribution(z: number): number {
  // Abramowitz-Stegun 7.1.26 on erf, absolute error below 1.5e-7.
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) *
      t *
      Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Expected improvement below `best` of a Gaussian prediction (we minimise). */
export function expectedImprovement(
  prediction: { mean: number; deviation: number },
  best: number,
): number {
  if (prediction.deviation <= 1e-12) return Math.max(0, best - prediction.mean);
  const z = (best - prediction.mean) / prediction.deviation;
  return (best - prediction.mean) * normalDistribution(z) + prediction.deviation * normalDensity(z);
}
