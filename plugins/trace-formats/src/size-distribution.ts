import { errors } from './errors.js';

/** A source of uniform numbers in [0, 1), such as `createRandom(seed)` of `@mbs/core`. */
export interface UniformRandom {
  next(): number;
}

/** Every request has the same size. */
export interface ConstantSizeDistribution {
  readonly kind: 'constant';
  readonly size: number;
}

/**
 * A heavy-tailed size law: with probability `1 - tailShare` a lognormal body (median
 * `medianSize`, log-standard deviation `sigma`) truncated to [1, `tailStartSize`]; with
 * probability `tailShare` a Pareto tail of index `tailIndex` from `tailStartSize`, truncated at
 * `maxSize`. With `integer`, sizes are rounded up to whole units (tokens).
 */
export interface LognormalParetoSizeDistribution {
  readonly kind: 'lognormal-pareto';
  readonly medianSize: number;
  readonly sigma: number;
  readonly tailShare: number;
  readonly tailStartSize: number;
  readonly tailIndex: number;
  readonly maxSize: number;
  readonly integer: boolean;
}

/** A law of request sizes for generated traces. */
export type SizeDistribution = ConstantSizeDistribution | LognormalParetoSizeDistribution;

function invalid(problem: string, distribution: SizeDistribution): never {
  throw errors.error(
    'OPTION_INVALID',
    `size distribution ${JSON.stringify(distribution)}: ${problem}`,
    { details: { distribution } },
  );
}

/** Checks a size distribution's parameters; throws OPTION_INVALID naming the bad one. */
export function validateSizeDistribution(distribution: SizeDistribution): void {
  if (distribution.kind === 'constant') {
    if (!(Number.isFinite(distribution.size) && distribution.size >= 0)) {
      invalid('size must be a finite number >= 0', distribution);
    }
    return;
  }
  if (distribution.kind !== 'lognormal-pareto') {
    invalid('kind must be "constant" or "lognormal-pareto"', distribution);
  }
  const { medianSize, sigma, tailShare, tailStartSize, tailIndex, maxSize } = distribution;
  if (!(medianSize >= 1 && medianSize < tailStartSize)) {
    invalid('medianSize must be >= 1 and below tailStartSize', distribution);
  }
  if (!(sigma > 0 && sigma <= 10)) invalid('sigma must be in (0, 10]', distribution);
  if (!(tailShare >= 0 && tailShare < 1)) invalid('tailShare must be in [0, 1)', distribution);
  if (!(tailIndex > 0 && tailIndex <= 20)) invalid('tailIndex must be in (0, 20]', distribution);
  if (!(Number.isFinite(maxSize) && maxSize > tailStartSize)) {
    invalid('maxSize must be finite and above tailStartSize', distribution);
  }
}

/**
 * A sampler of sizes from a distribution, drawing uniforms from `random`. Same random stream,
 * same sizes. The lognormal body is drawn by Box-Muller and rejection of values outside
 * [1, tailStartSize] (about 2% for the default workload); the Pareto tail by its inverse
 * truncated distribution function.
 *
 * @example
 * ```ts
 * const nextSize = createSizeSampler(DEFAULT_SYNTHETIC_WORKLOAD.sizes, createRandom(7));
 * nextSize(); // 388
 * ```
 */
export function createSizeSampler(
  distribution: SizeDistribution,
  random: UniformRandom,
): () => number {
  validateSizeDistribution(distribution);
  if (distribution.kind === 'constant') return () => distribution.size;
  const { medianSize, sigma, tailShare, tailStartSize, tailIndex, maxSize, integer } = distribution;
  const logMedian = Math.log(medianSize);
  // Share of the untruncated Pareto mass below maxSize: scales uniforms into the truncated law.
  const tailMass = 1 - (tailStartSize / maxSize) ** tailIndex;
  const round = integer ? (size: number) => Math.max(1, Math.ceil(size)) : (size: number) => size;
  return () => {
    if (random.next() < tailShare) {
      const u = random.next();
      return round(Math.min(maxSize, tailStartSize / (1 - u * tailMass) ** (1 / tailIndex)));
    }
    for (;;) {
      // 1 - next() is in (0, 1], so the logarithm is finite.
      const radius = Math.sqrt(-2 * Math.log(1 - random.next()));
      const normal = radius * Math.cos(2 * Math.PI * random.next());
      const size = Math.exp(logMedian + sigma * normal);
      if (size >= 1 && size <= tailStartSize) return round(size);
    }
  };
}
