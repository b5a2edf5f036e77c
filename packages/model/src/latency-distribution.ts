import { errors } from './errors.js';
import type { WaitLaw } from './wait-law.js';

/** One term of a latency mixture: weight × P(W ≤ x − shift | batch size n) under one wait law. */
export interface LatencyComponent {
  readonly law: WaitLaw;
  readonly batchSize: number;
  /** The service time added to the wait, in seconds. */
  readonly shiftSeconds: number;
  readonly weight: number;
}

const RELATIVE_TOLERANCE = 1e-7;

/**
 * A request latency distribution: a mixture of shifted wait distributions (wait in the buffer +
 * a service time fixed by the batch size and the largest class). Weights sum to 1.
 */
export class LatencyDistribution {
  readonly components: readonly LatencyComponent[];
  /** Smallest and largest possible latency in seconds. */
  readonly minimumSeconds: number;
  readonly maximumSeconds: number;
  /** E[latency] in seconds. */
  readonly meanSeconds: number;

  constructor(components: readonly LatencyComponent[]) {
    const kept = components.filter((component) => component.weight > 0);
    if (kept.length === 0) {
      throw errors.error('INTERNAL', 'a latency distribution needs a positive weight');
    }
    const total = kept.reduce((sum, component) => sum + component.weight, 0);
    this.components = kept.map((component) => ({ ...component, weight: component.weight / total }));
    let minimum = Number.POSITIVE_INFINITY;
    let maximum = 0;
    let mean = 0;
    for (const component of this.components) {
      minimum = Math.min(minimum, component.shiftSeconds);
      maximum = Math.max(maximum, component.shiftSeconds + component.law.timeoutSeconds);
      mean +=
        component.weight *
        (component.shiftSeconds + component.law.meanWaitByBatchSize[component.batchSize - 1]!);
    }
    this.minimumSeconds = minimum;
    this.maximumSeconds = maximum;
    this.meanSeconds = mean;
  }

  /** P(latency ≤ seconds). */
  cdf(seconds: number): number {
    let sum = 0;
    for (const component of this.components) {
      sum +=
        component.weight *
        component.law.waitCdf(component.batchSize, seconds - component.shiftSeconds);
    }
    return Math.min(1, sum);
  }

  /**
   * The smallest latency x in seconds with P(latency ≤ x) ≥ percentile, by bisection on the
   * monotone CDF to 1e-7 relative (atoms, e.g. the wait of exactly T, are handled).
   *
   * @param percentile in (0, 1), e.g. 0.95
   */
  percentile(percentile: number): number {
    if (!(percentile > 0 && percentile < 1)) {
      throw errors.error(
        'OPTION_INVALID',
        `option percentile: got ${percentile}; must be in (0, 1), e.g. 0.95`,
        { details: { option: 'percentile', value: percentile } },
      );
    }
    let low = this.minimumSeconds;
    let high = this.maximumSeconds;
    if (this.cdf(low) >= percentile) return low;
    // Invariant: cdf(low) < percentile ≤ cdf(high).
    const tolerance = RELATIVE_TOLERANCE * Math.max(high, 1e-9);
    while (high - low > tolerance) {
      const middle = 0.5 * (low + high);
      if (this.cdf(middle) >= percentile) high = middle;
      else low = middle;
    }
    return high;
  }

  /** The mixture `Σ weights[i] × distributions[i]` (weights need not be normalised). */
  static mixture(
    distributions: readonly LatencyDistribution[],
    weights: readonly number[],
  ): LatencyDistribution {
    const components: LatencyComponent[] = [];
    distributions.forEach((distribution, index) => {
      const weight = weights[index] ?? 0;
      if (weight <= 0) return;
      for (const component of distribution.components) {
        components.push({ ...component, weight: component.weight * weight });
      }
    });
    return new LatencyDistribution(components);
  }
}
